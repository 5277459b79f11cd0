"""What a signatory sees and does on their link: the exact text and hash, sign, decline."""

import html
import re
import threading
from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from accord.portal.app import create_app
from accord.portal.i18n import show_date
from accord.services.links import LinkNotValid
from accord.services.review.access import resolve
from accord.services.review.actions import decide
from accord.services.review.rounds import RoundRequest, start_round
from accord.services.signing.start import start_signoff
from accord.settings import Settings
from models import (
    Agreement,
    AgreementStatus,
    AuditEvent,
    Decision,
    Signature,
    SignatureStatus,
    SignOff,
    SignOffStatus,
    TrackedCommitment,
)
from tests.portal.conftest import CSRF_FIELD, MONDAY, NOW
from tests.review_world import MOU, SIGN_LINK, World

SECRETARIAT = "secretariat@example.kz"  # kz-iac, Russian
KASSYMOV = "e.kassymov@example.kz"  # kz-mia, Russian
SAFE_HOME = "safehome@example.kz"  # ngo-safe-home, Russian
LEGAL = "s.zhumabayeva@example.kz"  # ngo-legal-support, Kazakh
NOT_VALID = "Ссылка недействительна"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def start_signing(world: World) -> dict[str, str]:
    """Round 1 approved by every party and sign-off started; nobody has signed yet.

    Returns signatory e-mail → token, read from the sign-request e-mails.
    """
    with world.env(MONDAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    for email, token in world.links().items():
        with world.env(MONDAY) as env:
            try:
                scope = resolve(token, session=env.session, now=env.now)
            except LinkNotValid:
                continue  # the round closed with the last party's answer
            decide(scope, Decision.approve, None, request_key=f"approve-{email}", env=env)
    with world.env(MONDAY) as env:
        start_signoff(MOU, env=env)
    links = {}
    for message in world.messages("sign_request"):
        match = SIGN_LINK.search(message.text)
        assert match, f"no link in the sign request to {message.to_email}"
        links[message.to_email] = match.group(1)
    return links


@pytest.fixture
def signing_links(world: World) -> dict[str, str]:
    return start_signing(world)


@dataclass(frozen=True)
class SignPage:
    html: str
    csrf: str


def open_sign_page(client: TestClient, token: str, query: str = "") -> SignPage:
    response = client.get(f"/s/{token}{query}")
    assert response.status_code == 200, response.text[:500]
    found = CSRF_FIELD.search(response.text)
    assert found is not None
    return SignPage(response.text, found.group(1))


def sign_form(page: SignPage, **fields: str) -> dict[str, str]:
    base = {"name": "Айгерим Жаксылыкова", "title": "Председатель", "confirm": "yes"}
    return {"csrf_token": page.csrf, "lang": "", **base, **fields}


def signoff_sha(world: World) -> str:
    with Session(world.engine) as session:
        return session.exec(select(SignOff)).one().version_sha256


def signature_of(world: World, email_org: str) -> Signature:
    from models import Organization

    with Session(world.engine) as session:
        return session.exec(
            select(Signature)
            .join(Organization, col(Organization.id) == Signature.organization_id)
            .where(Organization.slug == email_org)
        ).one()


def agreement_status(world: World) -> AgreementStatus:
    with Session(world.engine) as session:
        return session.exec(select(Agreement).where(Agreement.slug == MOU)).one().status


def test_the_page_shows_the_final_text_and_its_full_hash(
    client: TestClient, signing_links: dict[str, str], world: World
) -> None:
    token = signing_links[SAFE_HOME]
    page = open_sign_page(client, token).html
    sha = signoff_sha(world)
    assert len(sha) == 64 and f'<code id="sha256">{sha}</code>' in page
    assert "Общественный фонд «Безопасный дом»" in html.unescape(page)
    confirmation = html.unescape(page)
    assert f"Я подтверждаю, что подписываю версию 1 с хешем {sha} от имени" in confirmation
    assert re.search(r'<span class="num">5\.1\.</span>', page)  # numbered sub-clauses
    assert "Общие положения" in page and "Жалпы ережелер" not in page
    assert "clause=" not in page  # no comment links: this text is final
    kazakh = open_sign_page(client, token, "?lang=kk").html
    assert "Жалпы ережелер" in kazakh and "Подписать соглашение" in kazakh
    english = open_sign_page(client, token, "?ui=en").html
    assert f"I confirm that I sign version 1 with hash {sha} on behalf of" in english
    document = client.get(f"/s/{token}/document.docx")
    assert document.status_code == 200 and document.content[:2] == b"PK"
    assert "attachment" in document.headers["content-disposition"]
    assert "Келісімге қол қою" in open_sign_page(client, signing_links[LEGAL]).html


def test_signing_needs_a_name_a_title_and_the_confirmation(
    client: TestClient, signing_links: dict[str, str], world: World
) -> None:
    token = signing_links[SAFE_HOME]
    page = open_sign_page(client, token)
    for fields, said in (
        ({"name": " "}, "Укажите полное имя и должность"),
        ({"title": ""}, "Укажите полное имя и должность"),
        ({"confirm": ""}, "Отметьте подтверждение"),
        ({"name": "И" * 201}, "допускается не более 200"),
    ):
        response = client.post(f"/s/{token}/sign", data=sign_form(page, **fields))
        assert response.status_code == 422, fields
        assert said in response.text, fields
    kept = client.post(f"/s/{token}/sign", data=sign_form(page, confirm="", title="Директор"))
    assert 'value="Директор"' in kept.text  # what they typed is kept for them
    assert signature_of(world, "ngo-safe-home").status is SignatureStatus.pending
    assert agreement_status(world) is AgreementStatus.signing


def test_a_signature_keeps_its_evidence(
    client: TestClient, signing_links: dict[str, str], world: World
) -> None:
    token = signing_links[SAFE_HOME]
    page = open_sign_page(client, token)
    response = client.post(
        f"/s/{token}/sign",
        data=sign_form(page, name="Гульнара Токтарова", title="Директор"),
        headers={"User-Agent": BROWSER, "X-Forwarded-For": "203.0.113.50"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/s/{token}/done"
    signature = signature_of(world, "ngo-safe-home")
    assert signature.status is SignatureStatus.signed
    assert (signature.signer_name, signature.signer_title) == ("Гульнара Токтарова", "Директор")
    assert signature.ip_address == "testclient"  # the header is not trusted by default
    assert signature.user_agent == BROWSER
    assert signature.version_sha256 == signoff_sha(world)
    assert signature.signed_at == NOW
    thanks = client.get(response.headers["location"])
    assert thanks.status_code == 200 and "Спасибо" in thanks.text
    assert "вступает в силу, когда его подпишут все" in thanks.text
    assert "вступило в силу" not in thanks.text
    again = client.get(f"/s/{token}").text  # the link still opens, without the forms
    assert "Подписано" in again and 'action="/s/' not in again


def test_behind_a_trusted_proxy_the_forwarded_address_is_kept(
    settings_on: Settings, signing_links: dict[str, str], world: World
) -> None:
    trusting = settings_on.model_copy(update={"trust_proxy_headers": True})
    with TestClient(create_app(trusting, clock=lambda: NOW), follow_redirects=False) as client:
        token = signing_links[KASSYMOV]
        page = open_sign_page(client, token)
        response = client.post(
            f"/s/{token}/sign",
            data=sign_form(page),
            headers={"X-Forwarded-For": "10.9.9.9, 198.51.100.7"},
        )
    assert response.status_code == 303
    assert signature_of(world, "kz-mia").ip_address == "198.51.100.7"  # the proxy's own hop


def test_signing_twice_is_refused_and_changes_nothing(
    client: TestClient, signing_links: dict[str, str], world: World
) -> None:
    token = signing_links[SAFE_HOME]
    page = open_sign_page(client, token)
    assert client.post(f"/s/{token}/sign", data=sign_form(page)).status_code == 303
    first = signature_of(world, "ngo-safe-home")
    second = client.post(f"/s/{token}/sign", data=sign_form(page, name="Someone Else"))
    assert second.status_code == 422
    assert "уже подписала версию 1" in second.text
    english = client.post(f"/s/{token}/sign", data={**sign_form(page), "ui": "en"})
    assert english.status_code == 422 and "has already signed version 1" in english.text
    declined = client.post(f"/s/{token}/decline", data={"csrf_token": page.csrf, "reason": "No"})
    assert declined.status_code == 422 and "больше не может отказаться" in declined.text
    assert signature_of(world, "ngo-safe-home") == first
    assert agreement_status(world) is AgreementStatus.signing


def test_declining_needs_a_reason_and_sends_the_agreement_back_to_drafting(
    client: TestClient, signing_links: dict[str, str], world: World
) -> None:
    token = signing_links[LEGAL]
    page = open_sign_page(client, token)
    empty = client.post(f"/s/{token}/decline", data={"csrf_token": page.csrf, "reason": "  "})
    assert empty.status_code == 422 and "Бас тарту себебін" in empty.text
    assert agreement_status(world) is AgreementStatus.signing
    reason = "5-тармақтағы міндеттемелер келісілген мәтінге сәйкес емес."
    response = client.post(f"/s/{token}/decline", data={"csrf_token": page.csrf, "reason": reason})
    assert response.status_code == 303
    answered = client.get(response.headers["location"])
    assert answered.status_code == 200 and "қол қоюдан бас тартты" in answered.text
    assert agreement_status(world) is AgreementStatus.draft
    with Session(world.engine) as session:
        assert session.exec(select(SignOff)).one().status is SignOffStatus.declined
    assert signature_of(world, "ngo-legal-support").decline_reason == reason
    told = world.messages("signoff_declined")
    assert told and {m.to_email for m in told} >= {SECRETARIAT}
    for other in signing_links.values():  # sign-off is over: every link is now not valid
        assert client.get(f"/s/{other}").status_code == 404


def test_bad_links_get_the_same_not_valid_page(
    client: TestClient, signing_links: dict[str, str]
) -> None:
    real = signing_links[SAFE_HOME]
    forged = client.get(f"/s/{real[:-4]}AAAA")
    assert forged.status_code == 404 and NOT_VALID in forged.text
    assert "Меморандум" not in forged.text and "Безопасный дом" not in forged.text
    assert client.get("/r/" + real[:-4] + "AAAA").text == forged.text  # the reviewers' page
    for path in ("document.docx", "done"):
        response = client.get(f"/s/{real[:-4]}AAAA/{path}")
        assert (response.status_code, response.text) == (404, forged.text)
    assert client.get(f"/s/{'x' * 300}").text == forged.text
    pending = client.get(f"/s/{real}/done")  # not answered yet: back to the page
    assert pending.status_code == 303 and pending.headers["location"] == f"/s/{real}"


def test_posts_without_a_genuine_csrf_pair_change_nothing(
    settings_on: Settings, client: TestClient, signing_links: dict[str, str], world: World
) -> None:
    token = signing_links[SAFE_HOME]
    page = open_sign_page(client, token)
    for form in ({k: v for k, v in sign_form(page).items() if k != "csrf_token"},):
        response = client.post(f"/s/{token}/sign", data=form)
        assert response.status_code == 403 and "Срок действия формы истёк" in response.text
    other = open_sign_page(client, signing_links[KASSYMOV])  # genuine, but for another link
    response = client.post(f"/s/{token}/sign", data={**sign_form(page), "csrf_token": other.csrf})
    assert response.status_code == 403
    with TestClient(create_app(settings_on, clock=lambda: NOW)) as stranger:  # no cookie
        response = stranger.post(f"/s/{token}/sign", data=sign_form(page))
        assert response.status_code == 403
        response = stranger.post(
            f"/s/{token}/decline", data={"csrf_token": page.csrf, "reason": "x"}
        )
        assert response.status_code == 403
    assert signature_of(world, "ngo-safe-home").status is SignatureStatus.pending
    assert agreement_status(world) is AgreementStatus.signing


def test_the_last_signature_brings_the_agreement_into_force(
    client: TestClient, signing_links: dict[str, str], world: World
) -> None:
    pages = {email: open_sign_page(client, token) for email, token in signing_links.items()}
    last = LEGAL
    for email, token in signing_links.items():
        if email != last:
            response = client.post(f"/s/{token}/sign", data=sign_form(pages[email]))
            assert response.status_code == 303
            assert "вступает в силу, когда его подпишут все" in client.get(f"/s/{token}/done").text
    token = signing_links[last]
    response = client.post(f"/s/{token}/sign", data=sign_form(pages[last], name="Самал Жумабаева"))
    assert response.status_code == 303
    thanks = client.get(response.headers["location"]).text
    assert "Рақмет" in thanks
    effective = show_date(NOW.date(), "kk")  # babel's own spaces (some are non-breaking)
    assert f"келісім күшіне енді (күшіне ену күні — {effective})" in thanks
    assert agreement_status(world) is AgreementStatus.in_force
    with Session(world.engine) as session:
        assert session.exec(select(TrackedCommitment)).all()
    assert client.get(f"/s/{token}").status_code == 404  # sign-off closed: the link expired
    twice = client.post(f"/s/{token}/sign", data=sign_form(pages[last]))  # a second click
    assert twice.status_code == 303 and twice.headers["location"] == f"/s/{token}/done"
    english = client.get(f"/s/{signing_links[SAFE_HOME]}/done?ui=en").text
    assert "Every party has now signed: the agreement is in force from" in english


def test_everyone_signing_at_once_brings_it_into_force_exactly_once(
    settings_on: Settings, client: TestClient, signing_links: dict[str, str], world: World
) -> None:
    pages = {email: open_sign_page(client, token) for email, token in signing_links.items()}
    app = create_app(settings_on, clock=lambda: NOW)
    start = threading.Barrier(len(signing_links))
    results: list[int] = []

    def sign_now(email: str) -> None:
        with TestClient(app, follow_redirects=False) as browser:
            browser.cookies.update(dict(client.cookies))
            start.wait()  # every signatory presses the button at the same moment
            token = signing_links[email]
            response = browser.post(f"/s/{token}/sign", data=sign_form(pages[email]))
            results.append(response.status_code)

    threads = [threading.Thread(target=sign_now, args=(email,)) for email in signing_links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [303] * len(signing_links)
    assert agreement_status(world) is AgreementStatus.in_force
    with Session(world.engine) as session:
        signatures = session.exec(select(Signature)).all()
        in_force = session.exec(
            select(AuditEvent).where(AuditEvent.action == "agreement.in_force")
        ).all()
    assert {s.status for s in signatures} == {SignatureStatus.signed}
    assert len(in_force) == 1


def test_a_text_changed_after_approval_cannot_be_signed(
    client: TestClient, signing_links: dict[str, str], world: World
) -> None:
    token = signing_links[SAFE_HOME]
    page = open_sign_page(client, token)
    world.edit(f"{MOU}.yaml", "retention_years: 5", "retention_years: 3")
    world.draft()
    response = client.post(f"/s/{token}/sign", data=sign_form(page))
    assert response.status_code == 422
    assert "Текст изменился после согласования (есть версия 2" in response.text
    assert signature_of(world, "ngo-safe-home").status is SignatureStatus.pending


def test_the_pages_carry_the_security_headers(
    client: TestClient, signing_links: dict[str, str]
) -> None:
    response = client.get(f"/s/{signing_links[SAFE_HOME]}")
    headers = response.headers
    assert "script-src 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    cookie = headers["set-cookie"]
    assert "accord_csrf=" in cookie and "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert "<script" not in response.text and " style=" not in response.text


def test_the_signing_page_shows_the_plan_it_signs(
    client: TestClient, signing_links: dict[str, str]
) -> None:
    page = html.unescape(open_sign_page(client, signing_links[SAFE_HOME]).html)
    plan = page.split('<section class="plan"', 1)[1].split('<section class="card"', 1)[0]
    assert '<span class="num">1.</span> Организовать обучение сотрудников' in plan
    assert "6\xa0000\xa0000 KZT" in plan and "II кв. 2027" in plan
    assert "activity=" not in plan  # no comment links: this text is final


def test_a_signing_refusal_is_shown_beside_its_field(
    client: TestClient, signing_links: dict[str, str]
) -> None:
    token = signing_links[SAFE_HOME]
    page = open_sign_page(client, token)
    response = client.post(
        f"/s/{token}/decline", data={"csrf_token": page.csrf, "lang": "", "reason": " "}
    )
    assert response.status_code == 422
    body = response.text
    assert re.search(r'<textarea id="reason"[^>]*aria-invalid="true"[^>]*autofocus', body)
    assert 'id="reason-error" role="alert"' in body and 'class="flash error"' not in body
