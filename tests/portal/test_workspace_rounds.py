"""Review rounds in the workspace: the launch form's preview and refusals, the round board,
and the secretariat's answers to comments — on SQLite and PostgreSQL."""

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from accord.services.agreements import find_agreement, find_version, version_content
from accord.services.review.access import resolve
from accord.services.review.actions import add_comment, decide
from accord.services.review.rounds import RoundRequest, start_round
from accord.settings import Settings
from accord.source.spec import activity_numbers, numbered
from models import (
    AuditEvent,
    Decision,
    MessageStatus,
    OutgoingMessage,
    ReviewAnswer,
    ReviewComment,
    ReviewRound,
    WorkspaceRun,
)
from tests.portal.conftest import LEGAL, MIA, SAFE_HOME
from tests.review_world import MOU, World
from tests.workspace_world import OFFICER, VIEWER, csrf_of, sign_in, staff_world

MONDAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
NOW = MONDAY + timedelta(days=1, hours=2)
NEW = f"/workspace/agreements/{MOU}/rounds/new"
BOARD = f"/workspace/agreements/{MOU}/rounds/1"


@pytest.fixture
def app(settings_on: Settings, world: World) -> FastAPI:
    staff_world(world)
    return create_app_at(settings_on, NOW)


def create_app_at(settings: Settings, now: datetime) -> FastAPI:
    from accord.workspace.app import create_app

    return create_app(settings, clock=lambda: now)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False, headers={"accept-language": "en"}) as test_client:
        yield test_client


def rounds(world: World) -> int:
    with Session(world.engine) as session:
        return len(session.exec(select(ReviewRound)).all())


def launch(client: TestClient, csrf: str, **fields: str) -> tuple[int, str]:
    answer = client.post(NEW, data={"csrf_token": csrf, **fields})
    return answer.status_code, html.unescape(answer.text)


def test_the_preview_shows_the_date_and_who_is_e_mailed_and_starts_nothing(
    client: TestClient, world: World
) -> None:
    csrf = sign_in(client, OFFICER)
    form = client.get(NEW)
    assert form.status_code == 200
    assert 'name="working_days"' in form.text and 'name="internal"' in form.text
    status, text = launch(client, csrf, working_days="10", action="preview")
    assert status == 200, text[:800]
    for address in (SAFE_HOME, LEGAL, MIA):
        assert address in text
    assert "10 working days from today" in text
    assert 'value="start"' in text  # the Start button comes with the preview
    assert rounds(world) == 0 and not world.messages()


def test_a_deadline_on_a_day_off_is_refused_at_its_field(client: TestClient, world: World) -> None:
    csrf = sign_in(client, OFFICER)
    status, text = launch(client, csrf, deadline="2027-01-17", working_days="", action="preview")
    assert status == 422
    assert re.search(r'id="deadline"[^>]*aria-invalid="true"', text), text[:3000]
    assert 'id="deadline-error"' in text and "day off" in text and "January 18, 2027" in text
    status, text = launch(client, csrf, deadline="2027-01-20", working_days="5", action="start")
    assert status == 422 and "exactly one" in text
    status, text = launch(client, csrf, deadline="yesterday", working_days="", action="start")
    assert status == 422 and "YYYY-MM-DD" in text
    assert rounds(world) == 0 and not world.messages()


def test_an_internal_stage_lists_its_parties_first(client: TestClient) -> None:
    csrf = sign_in(client, OFFICER)
    status, text = launch(client, csrf, working_days="10", internal="kz-mia", action="preview")
    assert status == 200, text[:800]
    preview = text[text.index('id="preview"') :]
    assert preview.index("internal approval") < preview.index("review by the parties")
    status, text = launch(client, csrf, working_days="2", internal="kz-mia", action="preview")
    assert status == 422
    assert re.search(r'name="internal"[^>]*aria-invalid="true"', text)


def test_start_is_refused_while_a_round_is_open_and_launches_nothing(
    client: TestClient, world: World
) -> None:
    with world.env(MONDAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    csrf = sign_in(client, OFFICER)
    status, text = launch(client, csrf, working_days="10", action="start")
    assert status == 422 and "already has round 1 open" in text
    with Session(world.engine) as session:
        assert not session.exec(select(WorkspaceRun)).all()


def open_round_with_comments(world: World) -> dict[str, int]:
    """Round 1 with a comment on a clause, one on an activity, and a request for changes."""
    with world.env(MONDAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    links = world.links()
    ids = {}
    with world.env(MONDAY + timedelta(hours=3)) as env:
        scope = resolve(links[SAFE_HOME], session=env.session, now=env.now)
        ids["clause"] = (
            add_comment(
                scope, "confidentiality", "Shorten the period.", request_key="k1" * 8, env=env
            ).id
            or 0
        )
        ids["activity"] = (
            add_comment(
                scope, None, "Too few trainees.", request_key="k2" * 8, env=env, activity_id="c-01"
            ).id
            or 0
        )
        decide(scope, Decision.request_changes, "See comments.", request_key="k3" * 8, env=env)
    return ids


def numbers(world: World) -> tuple[str, str]:
    with Session(world.engine) as session:
        content = version_content(
            find_version(find_agreement(MOU, session=session), None, session=session)
        )
    spec = content.agreement
    clause = {i.clause.id: i.number for i in numbered(spec.clauses)}["confidentiality"]
    return clause, activity_numbers(spec.objectives, spec.commitments)["c-01"]


def test_the_board_shows_parties_decisions_and_comments_by_their_printed_numbers(
    client: TestClient, world: World
) -> None:
    open_round_with_comments(world)
    clause, activity = numbers(world)
    sign_in(client, VIEWER)
    page = client.get(BOARD)
    assert page.status_code == 200, page.text[:500]
    text = html.unescape(page.text)
    assert f"Clause {clause}" in text and f"Activity {activity}" in text
    assert "confidentiality" not in text and "c-01" not in text
    assert "changes requested" in text and "See comments." in text
    assert "no answer yet" in text  # the parties that have not answered
    assert 'action="' + BOARD + '/answer"' not in text  # a viewer reads, never answers
    assert client.get(f"/workspace/agreements/{MOU}/rounds/2").status_code == 404
    assert client.get(f"/workspace/agreements/{MOU}/rounds/x").status_code == 404


def test_a_bounced_review_e_mail_is_flagged_at_its_party(client: TestClient, world: World) -> None:
    open_round_with_comments(world)
    with Session(world.engine) as session:
        message = session.exec(select(OutgoingMessage).where(OutgoingMessage.to_email == MIA)).one()
        message.status, message.last_error = MessageStatus.bounced, "550 no such mailbox"
        session.add(message)
        session.commit()
        bounced_id = message.id
    csrf = sign_in(client, OFFICER)
    text = html.unescape(client.get(BOARD).text)
    assert "1 review e-mail did not arrive" in text
    assert f"{MIA}>: bounced (550 no such mailbox)" in text
    found = re.search(r'<option value="(\d+)">[^<]*<e.kassymov@example.kz>', text)
    assert found, "the party's other contact is offered"
    wrong = client.post(
        f"{BOARD}/resend",
        data={"csrf_token": csrf, "message": str(bounced_id), "contact": "999999"},
    )
    assert wrong.status_code == 422 and 'id="contact-' in wrong.text
    sent = client.post(
        f"{BOARD}/resend",
        data={"csrf_token": csrf, "message": str(bounced_id), "contact": found.group(1)},
    )
    assert sent.status_code == 303
    assert "e.kassymov@example.kz" in world.links()
    with Session(world.engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "review.sent_to_another_contact")
        ).one()
    assert event.data["bounced"] == MIA and event.actor == f"staff:{OFFICER}"


def test_the_secretariat_answers_a_comment_with_a_verdict_audit_trailed(
    client: TestClient, world: World
) -> None:
    ids = open_round_with_comments(world)
    csrf = sign_in(client, OFFICER)
    answer = client.post(
        f"{BOARD}/answer",
        data={
            "csrf_token": csrf,
            "comment": str(ids["clause"]),
            "response": "Reduced to three years in version 2.",
            "verdict": "partly_accepted",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"].endswith(f"#comment-{ids['clause']}")
    text = html.unescape(client.get(BOARD).text)
    assert "Reduced to three years in version 2." in text and "partly accepted" in text
    with Session(world.engine) as session:
        row = session.exec(select(ReviewAnswer)).one()
        assert (row.comment_id, row.verdict.value) == (ids["clause"], "partly_accepted")
        assert row.answered_by == f"staff:{OFFICER}"
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "review.comment_answered")
        ).one()
        assert event.actor == f"staff:{OFFICER}" and event.data["verdict"] == "partly_accepted"
    client.post(
        f"{BOARD}/answer",
        data={
            "csrf_token": csrf,
            "comment": str(ids["clause"]),
            "response": "Accepted after all.",
            "verdict": "accepted",
        },
    )
    with Session(world.engine) as session:
        assert [a.verdict.value for a in session.exec(select(ReviewAnswer))] == ["accepted"]


def test_an_answer_without_text_or_verdict_is_refused_beside_its_field(
    client: TestClient, world: World
) -> None:
    ids = open_round_with_comments(world)
    csrf = sign_in(client, OFFICER)
    target = ids["activity"]
    answer = client.post(
        f"{BOARD}/answer",
        data={"csrf_token": csrf, "comment": str(target), "response": "  ", "verdict": "accepted"},
    )
    assert answer.status_code == 422
    text = html.unescape(answer.text)
    assert re.search(rf'id="response-{target}"[^>]*aria-invalid="true"', text)
    assert f'id="response-{target}-error"' in text
    answer = client.post(
        f"{BOARD}/answer",
        data={"csrf_token": csrf, "comment": str(target), "response": "Noted.", "verdict": "x"},
    )
    assert answer.status_code == 422
    text = html.unescape(answer.text)
    assert f'id="verdict-{target}-error"' in text and ">Noted.</textarea>" in text
    answer = client.post(
        f"{BOARD}/answer",
        data={"csrf_token": csrf, "comment": "999999", "response": "x", "verdict": "accepted"},
    )
    assert answer.status_code == 422 and "no such comment" in answer.text
    with Session(world.engine) as session:
        assert not session.exec(select(ReviewAnswer)).all()
        assert session.exec(select(ReviewComment).where(col(ReviewComment.id) == target)).one()


def test_the_comments_matrix_downloads_with_the_answers(client: TestClient, world: World) -> None:
    ids = open_round_with_comments(world)
    csrf = sign_in(client, OFFICER)
    client.post(
        f"{BOARD}/answer",
        data={
            "csrf_token": csrf,
            "comment": str(ids["activity"]),
            "response": "Target raised to 200.",
            "verdict": "accepted",
        },
    )
    download = client.get(f"{BOARD}/comments-matrix.docx")
    assert download.status_code == 200
    assert download.content[:2] == b"PK"
    assert "Target raised to 200." in docx_text(download.content)


def docx_text(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
    return html.unescape(re.sub(r"<[^>]+>", "", xml))


def test_the_forms_carry_the_csrf_of_the_session(client: TestClient, world: World) -> None:
    open_round_with_comments(world)
    sign_in(client, OFFICER)
    page = client.get(BOARD)
    assert csrf_of(page.text)


def test_after_the_round_closes_the_reviewer_s_link_shows_the_answers(
    client: TestClient, world: World
) -> None:
    from accord.services.review.answers import answer_comment
    from accord.services.review.tick import review_tick

    ids = open_round_with_comments(world)
    links = world.links()
    with world.env(NOW, actor=f"staff:{OFFICER}") as env:
        answer_comment(MOU, 1, ids["clause"], "Сокращено до трёх лет.", "partly_accepted", env=env)
    assert client.get(f"/r/{links[SAFE_HOME]}").status_code == 200  # still the review page
    with world.env(datetime(2027, 2, 1, 9, 0, tzinfo=UTC)) as env:
        review_tick(env=env)  # the deadline passed: the round closes
    page = client.get(f"/r/{links[SAFE_HOME]}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    clause, _activity = numbers(world)
    assert "Сокращено до трёх лет." in text and "принято частично" in text
    assert "Shorten the period." in text and clause in text
    assert "Too few trainees." not in text  # not answered: not shown as answered
    assert 'method="post"' not in text  # nothing more to send
    assert client.get(f"/r/{links[MIA]}").status_code == 404  # nothing answered: expired


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_paper_decision_is_recorded_with_its_letter_and_scan(
    client: TestClient, world: World
) -> None:
    open_round_with_comments(world)
    csrf = sign_in(client, OFFICER)
    fields = {
        "csrf_token": csrf,
        "party": "kz-mia",
        "decision": "approve",
        "reason": "",
        "incoming_number": "05-12/345",
        "incoming_date": "2027-01-11",
        "outgoing_number": "",
        "outgoing_date": "",
        "late": "",
    }
    refused = client.post(
        f"{BOARD}/paper",
        data={**fields, "incoming_number": ""},
        files={"scan": ("letter.pdf", PDF, "application/pdf")},
    )
    assert refused.status_code == 422
    assert re.search(r'id="incoming_number"[^>]*aria-invalid="true"', refused.text)
    not_a_scan = client.post(
        f"{BOARD}/paper", data=fields, files={"scan": ("letter.pdf", b"MZ\x90\x00", "x/y")}
    )
    assert not_a_scan.status_code == 422 and 'id="scan-error"' in not_a_scan.text
    answer = client.post(
        f"{BOARD}/paper", data=fields, files={"scan": ("letter.pdf", PDF, "application/pdf")}
    )
    assert answer.status_code == 303, answer.text[:1500]
    with Session(world.engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "decision.paper_letter")
        ).one()
    assert event.actor == f"staff:{OFFICER}"
    assert event.data["incoming"] == {"number": "05-12/345", "date": "2027-01-11"}
    assert world.store.read(event.data["scan"]) == PDF
    text = html.unescape(client.get(BOARD).text)
    assert "on paper, recorded by the secretariat" in text


def test_remind_now_and_close_early(client: TestClient, world: World) -> None:
    open_round_with_comments(world)
    csrf = sign_in(client, OFFICER)
    before = len(world.messages("review_reminder"))
    assert client.post(f"{BOARD}/remind", data={"csrf_token": csrf}).status_code == 303
    reminded = {m.to_email for m in world.messages("review_reminder")[before:]}
    assert reminded and SAFE_HOME not in reminded  # its party answered
    again = client.post(f"{BOARD}/remind", data={"csrf_token": csrf})
    assert again.status_code == 422 and "Nobody is left to remind today" in again.text
    assert client.post(f"{BOARD}/close", data={"csrf_token": csrf}).status_code == 303
    with Session(world.engine) as session:
        round_ = session.exec(select(ReviewRound)).one()
        assert round_.status.value == "closed" and round_.outcome is not None
        assert (
            session.exec(select(AuditEvent).where(AuditEvent.action == "round.closed_early"))
            .one()
            .actor
            == f"staff:{OFFICER}"
        )
    closed = client.post(f"{BOARD}/close", data={"csrf_token": csrf})
    assert closed.status_code == 422 and "is closed" in closed.text


def test_extending_the_deadline_tells_every_reviewer(client: TestClient, world: World) -> None:
    open_round_with_comments(world)
    csrf = sign_in(client, OFFICER)
    earlier = client.post(
        f"{BOARD}/deadline", data={"csrf_token": csrf, "new_deadline": "2027-01-12"}
    )
    assert earlier.status_code == 422
    assert re.search(r'id="new_deadline"[^>]*aria-invalid="true"', earlier.text)
    answer = client.post(
        f"{BOARD}/deadline", data={"csrf_token": csrf, "new_deadline": "2027-02-05"}
    )
    assert answer.status_code == 303, answer.text[:1000]
    told = world.messages("deadline_extended")
    assert {m.to_email for m in told} >= {SAFE_HOME, LEGAL, MIA}
    russian = next(m for m in told if m.to_email == SAFE_HOME)
    assert "Новый срок" in russian.subject and "/r/" in russian.text
    with Session(world.engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "review.deadline_extended")
        ).one()
    assert event.data["to"] == "2027-02-05" and event.actor == f"staff:{OFFICER}"
    assert "February 5, 2027" in html.unescape(client.get(BOARD).text)


def test_a_held_delegation_is_confirmed_from_the_board(client: TestClient, world: World) -> None:
    from accord.services.review.actions import delegate

    with world.env(MONDAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    with world.env(MONDAY + timedelta(hours=1)) as env:
        scope = resolve(world.links()[LEGAL], session=env.session, now=env.now)
        delegate(
            scope,
            colleague_email="aliya@partner.example.com",
            colleague_name="Алия Серикова",
            env=env,
        )
    csrf = sign_in(client, OFFICER)
    text = html.unescape(client.get(BOARD).text)
    held = re.search(r'name="delegation" value="(\d+)"', text)
    assert held and "aliya@partner.example.com" in text
    answer = client.post(
        f"{BOARD}/delegation",
        data={"csrf_token": csrf, "delegation": held.group(1), "action": "confirm"},
    )
    assert answer.status_code == 303
    assert "aliya@partner.example.com" in world.links("delegated_access")
    again = client.post(
        f"{BOARD}/delegation",
        data={"csrf_token": csrf, "delegation": held.group(1), "action": "decline"},
    )
    assert again.status_code == 422 and "no delegation" in again.text


def test_a_reviewer_is_replaced_and_the_old_link_stops_working(
    client: TestClient, world: World
) -> None:
    open_round_with_comments(world)
    old_link = world.links()[MIA]
    assert client.get(f"/r/{old_link}").status_code == 200
    csrf = sign_in(client, OFFICER)
    text = html.unescape(client.get(BOARD).text)
    mia = re.search(rf'<option value="(\d+)">[^<]*: [^<]*<{re.escape(MIA)}>', text)
    assert mia, "the party's current reviewers are listed"
    form = {"csrf_token": csrf, "party": "kz-mia", "name": "Dana Example", "replacing": ""}
    twice = client.post(f"{BOARD}/reviewer", data={**form, "email": MIA})
    assert twice.status_code == 422
    assert re.search(r'id="reviewer-email"[^>]*aria-invalid="true"', twice.text)
    bad = client.post(f"{BOARD}/reviewer", data={**form, "email": "not an address"})
    assert bad.status_code == 422 and "is not an e-mail address" in html.unescape(bad.text)
    answer = client.post(
        f"{BOARD}/reviewer",
        data={**form, "email": "dana@example.kz", "replacing": mia.group(1)},
    )
    assert answer.status_code == 303, answer.text[:1500]
    new_link = world.links()["dana@example.kz"]
    assert client.get(f"/r/{new_link}").status_code == 200
    assert client.get(f"/r/{old_link}").status_code == 404
    with Session(world.engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "review.reviewer_replaced")
        ).one()
    assert event.data["to"] == "dana@example.kz" and event.actor == f"staff:{OFFICER}"
