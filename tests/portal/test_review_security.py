"""A link lets its holder act for their own party in their own round, and nothing more."""

import base64
import json
import socket
import threading
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from accord.errors import AccordError
from accord.portal.app import create_app
from accord.portal.serve import serve
from accord.services.review.board import record_on_paper
from accord.services.review.rounds import RoundRequest, start_round
from accord.settings import Settings
from models import (
    Decision,
    MessageEvent,
    MessageStatus,
    Organization,
    OutgoingMessage,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
)
from tests.portal.conftest import (
    LEGAL,
    MONDAY,
    NOW,
    SAFE_HOME,
    count,
    open_page,
    post,
)
from tests.review_world import MOU, World

NOT_VALID = "Ссылка недействительна"


def _not_valid_body(client: TestClient, token: str) -> str:
    response = client.get(f"/r/{token}")
    assert response.status_code == 404
    body: str = response.text
    assert NOT_VALID in body
    return body


def test_forged_tokens_get_the_plain_page_and_learn_nothing(
    client: TestClient, links: dict[str, str]
) -> None:
    real = links[SAFE_HOME]
    forged = _not_valid_body(client, real[:-4] + "AAAA")
    assert "Меморандум" not in forged and "Безопасный дом" not in forged
    assert _not_valid_body(client, "x" * 300) == forged
    response = client.get(f"/r/{real[:-4]}AAAA/document.docx")
    assert response.status_code == 404 and response.text == forged
    assert client.get("/no/such/page").status_code == 404
    assert "This link is not valid" in client.get("/r/nothing?ui=en").text


def test_a_closed_round_and_a_foreign_round_refuse_the_link(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    forged = _not_valid_body(client, "a" * 32)
    stale = open_page(client, links[SAFE_HOME])
    for token in links.values():  # everyone answers: round 1 closes
        post(client, token, "decision", open_page(client, token), decision="approve")
    assert _not_valid_body(client, links[SAFE_HOME]) == forged  # expired: the same page
    status, _, body = post(client, links[SAFE_HOME], "comment", stale, clause_id="", body="Late")
    assert (status, body) == (404, forged)  # a form rendered earlier cannot act either
    world.edit(f"{MOU}.yaml", "retention_years: 5", "retention_years: 3")
    world.draft()
    with world.env(NOW) as env:
        start_round(RoundRequest(agreement=MOU, working_days=5), env=env)
    assert world.links()[SAFE_HOME] != links[SAFE_HOME]
    assert _not_valid_body(client, links[SAFE_HOME]) == forged  # round 1's link, round 2 open


def test_a_link_acts_only_for_its_own_party_whatever_the_form_says(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    with Session(world.engine) as session:
        legal = session.exec(
            select(ReviewAssignment)
            .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
            .where(Organization.slug == "ngo-legal-support")
        ).one()
    page = open_page(client, links[SAFE_HOME])
    status, _, _ = post(
        client,
        links[SAFE_HOME],
        "decision",
        page,
        decision="request_changes",
        reason="Нет.",
        assignment_id=str(legal.id),
        organization="ngo-legal-support",
        party="ngo-legal-support",
        round_id="999",
    )
    assert status == 303
    with Session(world.engine) as session:
        rows = session.exec(select(ReviewDecision)).all()
    assert len(rows) == 1 and rows[0].assignment_id != legal.id
    legal_page = open_page(client, links[LEGAL]).html
    assert "Шешім әлі қабылданған жоқ." in legal_page  # party B still has no decision


def test_another_agreements_round_is_out_of_reach(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    with world.env(MONDAY) as env:
        start_round(RoundRequest(agreement="kg-nrm-action-plan", working_days=10), env=env)
    kg_email, kg_token = next((e, t) for e, t in world.links().items() if e.endswith(".kg"))
    page = open_page(client, kg_token)
    assert "Безопасный дом" not in page.html
    post(client, kg_token, "comment", page, clause_id="", body="Комментарий КР.")
    with Session(world.engine) as session:
        comment = session.exec(select(ReviewComment)).one()
        assignment = session.get(ReviewAssignment, comment.assignment_id)
        assert assignment is not None
        org = session.get(Organization, assignment.organization_id)
    assert org is not None and org.country == "KG", kg_email
    assert "Комментарий КР." not in open_page(client, links[SAFE_HOME]).html


def test_posts_without_a_genuine_csrf_pair_change_nothing(
    settings_on: Settings, client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    page = open_page(client, token)
    base = {"request_key": page.keys["decision"], "decision": "approve", "lang": "ru"}
    for fields in (
        {},
        {"csrf_token": "0" * 64},
        {"csrf_token": page.csrf[:-1] + ("1" if page.csrf[-1] == "0" else "0")},
    ):
        response = client.post(f"/r/{token}/decision", data={**base, **fields})
        assert response.status_code == 403 and "Срок действия формы истёк" in response.text
    other = open_page(client, links[LEGAL])  # a genuine field, but for another link
    response = client.post(f"/r/{token}/decision", data={**base, "csrf_token": other.csrf})
    assert response.status_code == 403
    app = create_app(settings_on, clock=lambda: NOW)
    with TestClient(app, follow_redirects=False) as stranger:  # the field, but no cookie
        response = stranger.post(f"/r/{token}/decision", data={**base, "csrf_token": page.csrf})
        assert response.status_code == 403
    response = client.post(
        f"/r/{token}/decision", data={**base, "csrf_token": page.csrf, "request_key": "short"}
    )
    assert response.status_code == 403
    assert count(world.engine, ReviewDecision) == 0


def test_double_submit_records_one_decision(
    settings_on: Settings, client: TestClient, links: dict[str, str], world: World
) -> None:
    token = links[SAFE_HOME]
    page = open_page(client, token)
    for _ in range(2):
        status, location, _ = post(client, token, "decision", page, decision="approve")
        assert status == 303 and "done=decision" in location
    again = open_page(client, token)
    results: list[int] = []

    def submit() -> None:  # the same form, sent five times at once
        app = create_app(settings_on, clock=lambda: NOW)
        with TestClient(app, follow_redirects=False) as same_browser:
            same_browser.cookies.update(dict(client.cookies))
            status, _, _ = post(same_browser, token, "decision", again, decision="approve")
            results.append(status)

    threads = [threading.Thread(target=submit) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [303] * 5
    with Session(world.engine) as session:
        keys = session.exec(select(ReviewDecision.request_key)).all()
    assert sorted(keys) == sorted({page.keys["decision"], again.keys["decision"]})


def test_pages_carry_the_security_headers(client: TestClient, links: dict[str, str]) -> None:
    response = client.get(f"/r/{links[SAFE_HOME]}")
    headers = response.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    cookie = headers["set-cookie"]
    assert "accord_csrf=" in cookie and "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower() and "secure" not in cookie.lower()
    assert "<script" not in response.text and " style=" not in response.text
    css = client.get("/static/portal.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert client.get("/r/unknown").headers["referrer-policy"] == "no-referrer"
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_cookie_is_secure_behind_https(settings_on: Settings, links: dict[str, str]) -> None:
    settings = settings_on.model_copy(update={"public_base_url": "https://accord.example.org"})
    with TestClient(create_app(settings, clock=lambda: NOW)) as client:
        cookie = client.get(f"/r/{links[SAFE_HOME]}").headers["set-cookie"]
    assert "secure" in cookie.lower()


# --- SendGrid event webhook ---------------------------------------------------------------


@pytest.fixture
def signing_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _public_key(key: ec.EllipticCurvePrivateKey) -> str:
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def _signed(key: ec.EllipticCurvePrivateKey, payload: bytes, timestamp: str) -> dict[str, str]:
    signature = key.sign(timestamp.encode() + payload, ec.ECDSA(hashes.SHA256()))
    return {
        "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
        "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
        "Content-Type": "application/json",
    }


@pytest.fixture
def webhook(settings_on: Settings, signing_key: ec.EllipticCurvePrivateKey) -> TestClient:
    settings = settings_on.model_copy(
        update={"sendgrid_webhook_public_key": _public_key(signing_key)}
    )
    return TestClient(create_app(settings, clock=lambda: NOW))


def _events(message: OutgoingMessage, event: str, event_id: str) -> bytes:
    return json.dumps(
        [
            {
                "email": message.to_email,
                "event": event,
                "sg_event_id": event_id,
                "timestamp": int(NOW.timestamp()),
                "message_id": str(message.id),
                "reason": "550 5.1.1 mailbox unavailable",
            },
            {"event": "open", "sg_event_id": "open-1", "message_id": str(message.id)},
        ]
    ).encode()


def test_a_signed_bounce_is_recorded_once_and_the_secretariat_told(
    webhook: TestClient,
    signing_key: ec.EllipticCurvePrivateKey,
    links: dict[str, str],
    world: World,
) -> None:
    request = next(m for m in world.messages("review_request") if m.to_email == SAFE_HOME)
    payload = _events(request, "bounce", "evt-bounce-1")
    timestamp = str(int(NOW.timestamp()))
    response = webhook.post(
        "/sendgrid/events", content=payload, headers=_signed(signing_key, payload, timestamp)
    )
    assert response.status_code == 200 and response.json()["recorded"] == 1
    replay = webhook.post(
        "/sendgrid/events", content=payload, headers=_signed(signing_key, payload, timestamp)
    )
    assert replay.status_code == 200 and replay.json()["recorded"] == 0
    with Session(world.engine) as session:
        message = session.get(OutgoingMessage, request.id)
        assert message is not None and message.status is MessageStatus.bounced
        assert len(session.exec(select(MessageEvent)).all()) == 1
    failed = world.messages("delivery_failed")
    assert failed and {m.to_email for m in failed} <= {
        "secretariat@example.kz",
        "d.ospanov@example.kz",
    }
    assert SAFE_HOME in failed[0].text


def test_unsigned_or_stale_events_are_refused(
    webhook: TestClient,
    signing_key: ec.EllipticCurvePrivateKey,
    links: dict[str, str],
    world: World,
) -> None:
    request = world.messages("review_request")[0]
    payload = _events(request, "bounce", "evt-2")
    timestamp = str(int(NOW.timestamp()))
    headers = _signed(signing_key, payload, timestamp)
    tampered = payload.replace(b"bounce", b"dropped")
    assert webhook.post("/sendgrid/events", content=tampered, headers=headers).status_code == 403
    assert webhook.post("/sendgrid/events", content=payload).status_code == 403
    stale = str(int(NOW.timestamp()) - 3600)
    response = webhook.post(
        "/sendgrid/events", content=payload, headers=_signed(signing_key, payload, stale)
    )
    assert response.status_code == 403
    other_key = ec.generate_private_key(ec.SECP256R1())
    response = webhook.post(
        "/sendgrid/events", content=payload, headers=_signed(other_key, payload, timestamp)
    )
    assert response.status_code == 403
    with Session(world.engine) as session:
        assert session.exec(select(MessageEvent)).all() == []


def test_the_webhook_is_off_without_a_key(client: TestClient) -> None:
    assert client.post("/sendgrid/events", content=b"[]").status_code == 404


def test_paper_and_portal_decisions_share_one_history(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    with world.env(NOW) as env:
        record_on_paper(MOU, "ngo-safe-home", Decision.approve, "Письмо от 12.01", env=env)
    page = open_page(client, links[SAFE_HOME]).html
    assert "внесено секретариатом" in page
    assert date(2027, 1, 25).isoformat() not in page  # dates are written for people


def test_the_answer_that_closed_the_round_can_be_sent_twice(
    client: TestClient, links: dict[str, str], world: World
) -> None:
    *others, last = links.values()
    for token in others:
        post(client, token, "decision", open_page(client, token), decision="approve")
    page = open_page(client, last)
    first = post(client, last, "decision", page, decision="approve")
    second = post(client, last, "decision", page, decision="approve")  # a double click
    assert first[:2] == second[:2] == (303, "/done")
    assert "Спасибо" in client.get("/done").text
    assert count(world.engine, ReviewDecision) == len(links)
    assert client.get(f"/r/{last}").status_code == 404  # the link itself has expired
    forged = client.post(f"/r/{'b' * 32}/decision", data={"request_key": page.keys["decision"]})
    assert forged.status_code == 403  # no CSRF pair: refused before anything is looked up


def test_serve_refuses_a_busy_port(settings: Settings) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        configured = settings.model_copy(update={"portal_port": port})
        with pytest.raises(AccordError, match=f"port {port} on 127.0.0.1 is already in use"):
            serve(configured)


def test_a_fault_shows_a_plain_page_not_a_traceback(settings: Settings, tmp_path: Path) -> None:
    empty = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'empty.db'}"})
    with TestClient(create_app(empty), raise_server_exceptions=False) as client:
        response = client.get(f"/r/{'a' * 32}")
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.text and "Traceback" not in response.text
    assert response.headers["cache-control"] == "no-store"
