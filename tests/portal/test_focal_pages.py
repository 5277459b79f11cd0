"""What a focal point sees and does on their link: own items, progress, evidence, calendar."""

import asyncio
import hashlib
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from icalendar import Calendar
from sqlmodel import Session, col, func, select
from starlette.requests import Request
from starlette.testclient import TestClient
from starlette.types import Message

from accord.portal.app import create_app
from accord.portal.uploads import FORM_ALLOWANCE, TooLarge, read_form
from accord.services.commitments.rules import EVIDENCE_LIMIT
from accord.settings import Settings
from models import EvidenceFile, ItemStatus, ProgressUpdate, TrackedCommitment
from tests.factories import minimal_pdf
from tests.portal.conftest import CSRF_FIELD, MONDAY, NOW
from tests.review_world import MOU, World, bring_into_force

FOCAL_LINK = re.compile(r"/f/([A-Za-z0-9_-]{20,})")
ITEM_FORM = re.compile(
    r'name="request_key" value="([^"]+)">\s*'
    r'<input type="hidden" name="agreement" value="([^"]+)">\s*'
    r'<input type="hidden" name="commitment" value="([^"]+)">'
)
KIM = "t.kim@example.kz"  # ngo-legal-support's focal point, Russian: c-04, c-05
ISSAYEVA = "m.issayeva@example.kz"  # kz-mia's focal point, Kazakh: c-01, c-02
PDF = minimal_pdf()
NO_FILE = ("", b"", "application/octet-stream")
"""What a browser sends when no file was chosen."""


@pytest.fixture
def focal_links(world: World) -> dict[str, str]:
    """The MOU in force; focal point e-mail → token, read from their welcome e-mails."""
    bring_into_force(world, MONDAY)
    links = {}
    for message in world.messages("focal_access"):
        match = FOCAL_LINK.search(message.text)
        assert match, f"no link in the welcome to {message.to_email}"
        links[message.to_email] = match.group(1)
    return links


@dataclass(frozen=True)
class FocalPage:
    html: str
    csrf: str
    keys: dict[tuple[str, str], str]
    """(agreement, commitment) → the request key of that item's form."""


def open_focal(client: TestClient, token: str, query: str = "") -> FocalPage:
    response = client.get(f"/f/{token}{query}")
    assert response.status_code == 200, response.text[:500]
    found = CSRF_FIELD.search(response.text)
    assert found is not None
    keys = {(a, c): key for key, a, c in ITEM_FORM.findall(response.text)}
    return FocalPage(response.text, found.group(1), keys)


def post_update(
    client: TestClient,
    token: str,
    page: FocalPage,
    commitment: str,
    *,
    evidence: tuple[str, bytes, str] = NO_FILE,
    key: str | None = None,
    **fields: str,
) -> tuple[int, str, str]:
    """(status, location, body) of sending one item's form as the page rendered it."""
    data = {
        "csrf_token": page.csrf,
        "request_key": key or page.keys[(MOU, commitment)],
        "agreement": MOU,
        "commitment": commitment,
        "status": "in_progress",
        "value": "",
        "percent": "",
        "note": "",
        **fields,
    }
    response = client.post(f"/f/{token}/update", data=data, files={"evidence": evidence})
    return response.status_code, response.headers.get("location", ""), response.text


def updates(world: World) -> list[ProgressUpdate]:
    with Session(world.engine) as session:
        return list(session.exec(select(ProgressUpdate).order_by(col(ProgressUpdate.id))))


def item(world: World, key: str) -> TrackedCommitment:
    with Session(world.engine) as session:
        return session.exec(select(TrackedCommitment).where(TrackedCommitment.key == key)).one()


def test_the_page_lists_only_the_organisations_own_items(
    client: TestClient, focal_links: dict[str, str], settings_on: Settings
) -> None:
    page = open_focal(client, focal_links[KIM])
    text = html.unescape(page.html)
    assert set(page.keys) == {(MOU, "c-04"), (MOU, "c-05")}
    assert "Обеспечить круглосуточную работу горячей линии" in text  # activity, in Russian
    assert "Предоставлять жертвам торговли людьми бесплатную юридическую помощь" in text
    assert "Организовать обучение сотрудников органов внутренних дел" not in text  # kz-mia's
    assert "Меморандум о взаимопонимании" in text  # grouped under the agreement
    assert "Количество квартальных отчётов, представленных в срок" in text  # indicator
    assert "Целевое значение" in text and "Отчётов пока нет." in text
    assert "Допустимые типы: PDF, DOCX, XLSX, JPG, JPEG, PNG; не более 10 МБ." in text
    assert 'accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png"' in page.html
    assert 'enctype="multipart/form-data"' in page.html
    assert f"{settings_on.public_base_url}/f/{focal_links[KIM]}/calendar.ics" in text
    kazakh = html.unescape(open_focal(client, focal_links[ISSAYEVA]).html)
    assert "Ішкі істер органдарының қызметкерлерін" in kazakh  # kz-mia, in Kazakh
    assert "2027 ж. II тоқсан" in kazakh  # a quarter deadline stays a quarter
    assert "Ұйымыңыздың міндеттемелері" in kazakh
    english = open_focal(client, focal_links[KIM], "?ui=en").html
    assert "Commitments of your organisation" in english and 'action="/f/' in english
    assert f'action="/f/{focal_links[KIM]}/update?ui=en"' in english


def test_overdue_items_stand_out(settings_on: Settings, focal_links: dict[str, str]) -> None:
    later = datetime(2027, 4, 5, 9, 0, tzinfo=UTC)  # c-02 was due on 31 March
    with TestClient(create_app(settings_on, clock=lambda: later)) as client:
        page = open_focal(client, focal_links[ISSAYEVA]).html
    late = re.findall(r'<li class="item late" id="item-[^"]*--(c-\d+)"', page)
    assert late == ["c-02"]
    assert "мерзімі өтті" in page


def test_an_update_with_evidence_is_saved_and_the_file_kept_by_its_hash(
    client: TestClient, focal_links: dict[str, str], world: World, settings_on: Settings
) -> None:
    token = focal_links[KIM]
    page = open_focal(client, token)
    status, location, _ = post_update(
        client,
        token,
        page,
        "c-04",
        status="in_progress",
        value="2",
        percent="50",
        note="Два квартальных отчёта из четырёх.",
        evidence=("Отчёт за II квартал.pdf", PDF, "application/pdf"),
    )
    assert status == 303 and location.startswith(f"/f/{token}?done=update")
    assert location.endswith("#item-kz-referral-mou--c-04")
    shown = client.get(location).text
    assert "Ваш отчёт о ходе выполнения сохранён." in shown
    assert "50 %" in shown
    [update] = updates(world)
    assert (update.status, update.value, update.percent) == (ItemStatus.in_progress, "2", 50)
    assert update.note == "Два квартальных отчёта из четырёх." and update.created_at == NOW
    with Session(world.engine) as session:
        evidence = session.exec(select(EvidenceFile)).one()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (evidence.sha256, evidence.size, evidence.filename) == (
        digest,
        len(PDF),
        "Отчёт за II квартал.pdf",
    )
    stored = settings_on.output_dir / "evidence" / digest[:2] / f"{digest}.pdf"
    assert stored.read_bytes() == PDF
    tracked = item(world, "c-04")
    assert (tracked.status, tracked.latest_percent, tracked.latest_value) == (
        ItemStatus.in_progress,
        50,
        "2",
    )


def test_a_file_of_another_type_is_refused_naming_the_allowed_ones(
    client: TestClient, focal_links: dict[str, str], world: World, settings_on: Settings
) -> None:
    token = focal_links[KIM]
    page = open_focal(client, token)
    status, _, body = post_update(
        client, token, page, "c-04", percent="10", evidence=("setup.exe", b"MZ\x90\x00", "x")
    )
    assert status == 422
    text = html.unescape(body)
    assert "Файл «setup.exe» нельзя приложить: допускаются только типы" in text
    assert "PDF, DOCX, XLSX, JPG, JPEG, PNG" in text
    assert 'value="10"' in body  # what they typed is kept for them
    status, _, body = post_update(
        client, token, page, "c-04", evidence=("report.pdf", b"MZ\x90\x00 a program", "x")
    )
    assert status == 422 and "на самом деле не является файлом PDF" in html.unescape(body)
    assert updates(world) == []
    assert not (settings_on.output_dir / "evidence").exists()


def test_a_file_over_the_limit_is_refused_naming_the_limit(
    client: TestClient, focal_links: dict[str, str], world: World
) -> None:
    token = focal_links[KIM]
    page = open_focal(client, token)
    too_big = PDF + b"0" * (EVIDENCE_LIMIT + 1 - len(PDF))
    status, _, body = post_update(
        client, token, page, "c-05", evidence=("big.pdf", too_big, "application/pdf")
    )
    assert status == 422
    assert "Файл-подтверждение может быть не больше 10 МБ; выбранный файл больше." in body
    whole_post_too_big = PDF + b"0" * (EVIDENCE_LIMIT + FORM_ALLOWANCE)
    status, _, body = post_update(
        client, token, page, "c-05", evidence=("big.pdf", whole_post_too_big, "application/pdf")
    )
    assert status == 422 and "не больше 10 МБ" in body
    assert updates(world) == []


def _request(headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> tuple[Request, list[int]]:
    """A multipart request whose body arrives in `chunks`; records how many were read."""
    read: list[int] = []

    async def receive() -> Message:
        read.append(1)
        index = len(read) - 1
        if index >= len(chunks):
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunks[index], "more_body": True}

    content_type = (b"content-type", b"multipart/form-data; boundary=xyz")
    scope = {"type": "http", "method": "POST", "headers": [content_type, *headers]}
    return Request(scope, receive), read


def test_an_oversize_post_is_refused_before_it_is_read() -> None:
    """By its declared length first, then while arriving: never more than the ceiling."""
    declared = str(EVIDENCE_LIMIT + FORM_ALLOWANCE + 1).encode()
    request, read = _request([(b"content-length", declared)], [])
    with pytest.raises(TooLarge):
        asyncio.run(read_form(request, file_limit=EVIDENCE_LIMIT))
    assert read == []  # not a byte read
    chunk = b"0" * (1024 * 1024)
    endless = [b"--xyz\r\nContent-Disposition: form-data; name=f; filename=a.pdf\r\n\r\n"]
    request, read = _request([], endless + [chunk] * 100)  # 100 MB, and no length declared
    with pytest.raises(TooLarge):
        asyncio.run(read_form(request, file_limit=EVIDENCE_LIMIT))
    assert len(read) <= EVIDENCE_LIMIT // len(chunk) + 2  # stopped at the ceiling


def test_an_item_of_another_organisation_is_refused(
    client: TestClient, focal_links: dict[str, str], world: World
) -> None:
    token = focal_links[KIM]
    page = open_focal(client, token)
    status, _, body = post_update(
        client,
        token,
        page,
        "c-01",  # kz-mia's: crafted, the page never offered it
        key=page.keys[(MOU, "c-04")],
        status="done",
        percent="100",
    )
    assert status == 422
    assert "У вашей организации нет обязательства «c-01»" in html.unescape(body)
    assert updates(world) == []
    assert item(world, "c-01").status is ItemStatus.not_started
    status, _, _ = post_update(client, token, page, "c-04", agreement="kg-nrm-action-plan")
    assert status == 422 and updates(world) == []


def test_bad_values_are_explained_and_nothing_is_saved(
    client: TestClient, focal_links: dict[str, str], world: World
) -> None:
    token = focal_links[KIM]
    page = open_focal(client, token)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"percent": "120"}, "Процент должен быть целым числом от 0 до 100."),
        ({"percent": "half"}, "Процент должен быть целым числом от 0 до 100."),
        ({"status": "overdue"}, "Выберите статус обязательства."),
        ({"value": "9" * 201}, "Длина значения — 201 знаков"),
    ]
    for fields, said in cases:
        status, _, body = post_update(client, token, page, "c-04", **fields)
        assert (status, said in body) == (422, True), fields
    assert updates(world) == []


def test_a_double_submit_records_one_update(
    client: TestClient, focal_links: dict[str, str], world: World
) -> None:
    token = focal_links[KIM]
    page = open_focal(client, token)
    for _ in range(2):
        status, location, _ = post_update(
            client,
            token,
            page,
            "c-05",
            status="done",
            percent="100",
            evidence=("act.pdf", PDF, "application/pdf"),
        )
        assert status == 303 and "done=update" in location
    assert len(updates(world)) == 1
    with Session(world.engine) as session:
        assert session.exec(select(func.count(col(EvidenceFile.id)))).one() == 1
    assert item(world, "c-05").status is ItemStatus.done


def test_posts_without_a_genuine_csrf_pair_or_link_change_nothing(
    settings_on: Settings, client: TestClient, focal_links: dict[str, str], world: World
) -> None:
    token = focal_links[KIM]
    page = open_focal(client, token)
    status, _, body = post_update(client, token, page, "c-04", csrf_token="")
    assert status == 403 and "Срок действия формы истёк" in body
    other = open_focal(client, focal_links[ISSAYEVA])  # genuine, but for another link
    assert post_update(client, token, page, "c-04", csrf_token=other.csrf)[0] == 403
    assert post_update(client, token, page, "c-04", request_key="short")[0] == 403
    with TestClient(create_app(settings_on, clock=lambda: NOW)) as stranger:  # no cookie
        assert post_update(stranger, token, page, "c-04")[0] == 403
    forged = token[:-4] + "AAAA"
    for path in ("", "/calendar.ics"):
        response = client.get(f"/f/{forged}{path}")
        assert response.status_code == 404 and "Ссылка недействительна" in response.text
    assert updates(world) == []


def test_the_calendar_feed_has_one_event_per_item(
    client: TestClient, focal_links: dict[str, str]
) -> None:
    token = focal_links[ISSAYEVA]
    response = client.get(f"/f/{token}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert sorted(str(e["uid"]) for e in events) == [
        f"{MOU}-c-01@accord",
        f"{MOU}-c-02@accord",
    ]
    assert any("Ішкі істер органдарының" in str(e["summary"]) for e in events)  # Kazakh
    russian = Calendar.from_ical(client.get(f"/f/{token}/calendar.ics?lang=ru").content)
    assert any("Организовать обучение" in str(e["summary"]) for e in russian.walk("VEVENT"))
    assert client.head(f"/f/{token}/calendar.ics").status_code == 200
    assert "set-cookie" not in response.headers


def test_items_carry_the_plans_numbers_never_their_ids(
    client: TestClient, focal_links: dict[str, str]
) -> None:
    page = open_focal(client, focal_links[KIM]).html
    visible = html.unescape(re.sub(r"<[^>]*>", "", page))
    assert re.search(r'<h3><span class="num">4\.</span> Обеспечить круглосуточную', page)
    assert re.search(r'<h3><span class="num">5\.</span> Предоставлять жертвам', page)
    assert "c-04" not in visible and "c-05" not in visible
    feed = Calendar.from_ical(client.get(f"/f/{focal_links[KIM]}/calendar.ics").content)
    summaries = sorted(str(e["SUMMARY"]) for e in feed.walk("VEVENT"))
    assert [s.split(" ", 1)[0] for s in summaries] == ["4.", "5."]
