"""Review rounds end to end at the service level, on SQLite and PostgreSQL, with time controlled."""

import re
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx2python import docx2python
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accord.adapters.delivery import deliver_pending
from accord.errors import Refusal
from accord.mail.eml_mailer import EmlMailer
from accord.services import audit
from accord.services.links import LinkNotValid
from accord.services.review.access import resolve
from accord.services.review.actions import add_comment, decide
from accord.services.review.board import record_on_paper, review_status
from accord.services.review.page import reviewer_page
from accord.services.review.rounds import RoundRequest, start_round
from accord.services.review.tick import review_tick
from accord.services.working_days import DeadlineInvalid
from models import (
    Agreement,
    AgreementStatus,
    AuditEvent,
    Decision,
    MessageStatus,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
)
from tests.review_world import MOU, World, make_world

MONDAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    return make_world(tmp_path, engine)


def _start(world: World, now: datetime = MONDAY, **kwargs: object) -> None:
    with world.env(now) as env:
        start_round(RoundRequest(agreement=MOU, **kwargs), env=env)  # type: ignore[arg-type]


def _act(
    world: World,
    email: str,
    now: datetime,
    decision: Decision,
    reason: str | None = None,
    comment: tuple[str | None, str] | None = None,
) -> bool:
    token = world.links()[email]
    with world.env(now, actor=f"reviewer:{email}") as env:
        scope = resolve(token, session=env.session, now=env.now, for_update=True)
        if comment:
            add_comment(scope, comment[0], comment[1], request_key=f"c-{email}-{now}", env=env)
        return decide(
            scope, decision, reason, request_key=f"d-{email}-{now}-{decision}", env=env
        ).round_closed


def _round(world: World, number: int) -> ReviewRound:
    with Session(world.engine) as session:
        row = session.exec(select(ReviewRound).where(ReviewRound.number == number)).one()
        return row


REVIEWERS = [
    "secretariat@example.kz",
    "d.ospanov@example.kz",
    "m.issayeva@example.kz",
    "safehome@example.kz",
    "s.zhumabayeva@example.kz",
]


def test_start_sends_each_reviewer_a_request_with_link_and_document(world: World) -> None:
    _start(world, working_days=10)
    requests = world.messages("review_request")
    assert sorted(m.to_email for m in requests) == sorted(REVIEWERS)
    assert all(m.attachments[0]["filename"] == f"{MOU}-v1.docx" for m in requests)
    assert len(set(world.links().values())) == 5
    kazakh = next(m for m in requests if m.language == "kk")
    assert "2027" in kazakh.text and world.base_url in kazakh.text
    round_ = _round(world, 1)
    assert round_.status.value == "open"


def test_reminders_go_out_exactly_at_their_offsets(world: World) -> None:
    _start(world, working_days=10)  # deadline Monday 25 January; reminders 20 and 22 January
    _act(world, "m.issayeva@example.kz", MONDAY, Decision.approve)
    sent_on = {}
    for day in range(12, 26):
        with world.env(at(date(2027, 1, day))) as env:
            sent_on[day] = review_tick(env=env).reminders
        with world.env(at(date(2027, 1, day))) as env:  # the same day again: nothing twice
            assert review_tick(env=env).reminders == 0
    assert {d: n for d, n in sent_on.items() if n} == {20: 4, 22: 4}
    assert "m.issayeva@example.kz" not in {m.to_email for m in world.messages("review_reminder")}


def test_two_rounds_changes_then_approval(world: World, tmp_path: Path) -> None:
    _start(world, working_days=10)
    for email in ("secretariat@example.kz", "m.issayeva@example.kz", "s.zhumabayeva@example.kz"):
        assert not _act(world, email, MONDAY, Decision.approve)
    closed = _act(
        world,
        "safehome@example.kz",
        MONDAY,
        Decision.request_changes,
        reason="Срок хранения слишком долгий",
        comment=("confidentiality", "Предлагаем 3 года <script>alert(1)</script>"),
    )
    assert closed
    assert world.messages("changes_requested")
    round1 = _round(world, 1)
    assert (round1.status.value, round1.outcome.value) == ("closed", "changes_requested")
    closing = world.messages("round_closed")
    assert closing and closing[0].attachments[0]["filename"] == f"{MOU}-round-1-comments.docx"
    matrix = docx2python(BytesIO(world.store.read(closing[0].attachments[0]["document"]))).text
    assert "Предлагаем 3 года <script>alert(1)</script>" in matrix
    with pytest.raises(Refusal, match="no open review round"), world.env(MONDAY) as env:
        record_on_paper(MOU, "kz-mia", Decision.approve, None, env=env)

    world.edit(f"{MOU}.yaml", "retention_years: 5", "retention_years: 3")
    assert {r.agreement: r.number for r in world.draft()}[MOU] == 2
    second_start = at(date(2027, 1, 18))
    _start(world, second_start, working_days=5)
    links = {e: t for e, t in world.links().items()}
    with Session(world.engine) as session:
        page = reviewer_page(
            resolve(links["safehome@example.kz"], session=session, now=second_start),
            session=session,
            now=second_start,
        )
        assert (page.version_number, page.previous_number) == (2, 1)
    for email in REVIEWERS[:-1]:
        _act(world, email, second_start, Decision.approve)
    with world.env(second_start) as env:
        assert record_on_paper(
            MOU,
            "ngo-legal-support",
            Decision.approve_with_comments,
            "Согласовано на бумаге",
            env=env,
        )
    round2 = _round(world, 2)
    assert round2.outcome.value == "approved"
    with Session(world.engine) as session:
        assert (
            session.exec(select(Agreement).where(Agreement.slug == MOU)).one().status
            is AgreementStatus.approved
        )
        assert audit.verify_chain(session=session).ok
    with world.env(second_start) as env:
        status = review_status(MOU, env=env)
    assert [r.outcome for r in status.rounds] == ["changes_requested", "approved"]


def test_internal_stage_opens_the_external_review(world: World) -> None:
    _start(world, working_days=10, internal=("kz-mia",), internal_working_days=2)
    assert [m.to_email for m in world.messages("review_request")] == ["m.issayeva@example.kz"]
    _act(world, "m.issayeva@example.kz", MONDAY, Decision.approve)
    assert len(world.messages("review_request")) == 1 + 5


def test_bad_input_changes_nothing(world: World) -> None:
    with pytest.raises(DeadlineInvalid, match="in the past"):
        _start(world, deadline=date(2027, 1, 4))
    with pytest.raises(DeadlineInvalid, match=r"2027-03-2[45]"):
        _start(world, deadline=date(2027, 3, 22))
    _start(world, working_days=10)
    with pytest.raises(Refusal, match="already has round 1 open"):
        _start(world, working_days=10)
    token = world.links()["safehome@example.kz"]
    with world.env(MONDAY) as env:
        scope = resolve(token, session=env.session, now=env.now)
        with pytest.raises(Refusal, match="has no clause “no-such-clause”"):
            add_comment(scope, "no-such-clause", "text", request_key="k1", env=env)
        with pytest.raises(Refusal, match="Write a comment before sending it"):
            add_comment(scope, None, "   ", request_key="k2", env=env)
        with pytest.raises(Refusal, match="the limit is 5000"):
            add_comment(scope, None, "x" * 5001, request_key="k3", env=env)
        with pytest.raises(Refusal, match="reason") as refused:
            decide(scope, Decision.request_changes, "", request_key="k4", env=env)
        assert (refused.value.code, refused.value.field) == ("review.reason_required", "reason")
    with pytest.raises(LinkNotValid), Session(world.engine) as session:
        resolve("forged-" + token[7:], session=session, now=MONDAY)


def test_delivery_is_exactly_once(world: World, tmp_path: Path) -> None:
    _start(world, working_days=10)
    mailer = EmlMailer(tmp_path / "outbox")
    first = deliver_pending(engine=world.engine, mailer=mailer, store=world.store)
    again = deliver_pending(engine=world.engine, mailer=mailer, store=world.store)
    assert (first.sent, again.sent) == (5, 0)
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 5
    assert {m.status for m in world.messages()} == {MessageStatus.sent}


def test_a_bounced_review_request_shows_in_status_and_tells_the_secretariat(
    world: World, tmp_path: Path
) -> None:
    from accord.mail.webhook import DeliveryEvent
    from accord.services.delivery_feedback import record_delivery_events

    _start(world, working_days=10)
    deliver_pending(engine=world.engine, mailer=EmlMailer(tmp_path / "out"), store=world.store)
    bounced = next(
        m for m in world.messages("review_request") if m.to_email == "safehome@example.kz"
    )
    event = DeliveryEvent(
        message_id=str(bounced.id),
        event="bounce",
        sg_event_id="ev-1",
        timestamp=MONDAY,
        reason="550 mailbox unavailable",
    )
    with world.env(MONDAY) as env:
        assert record_delivery_events([event, event], env=env) == 1  # a replay changes nothing
    with world.env(MONDAY) as env:
        status = review_status(MOU, env=env)
    assert [str(u) for u in status.undelivered] == [
        "review_request to safehome@example.kz: bounced (550 mailbox unavailable)"
    ]
    told = world.messages("delivery_failed")
    assert told and all(m.to_email != "safehome@example.kz" for m in told)
    assert "safehome@example.kz" in told[0].text


def test_a_decision_after_the_deadline_is_refused_when_it_arrives(world: World) -> None:
    _start(world, working_days=10)  # deadline Monday 25 January, 18:00 in Kazakhstan (UTC+5)
    just_in_time = datetime(2027, 1, 25, 12, 59, tzinfo=UTC)
    too_late = datetime(2027, 1, 25, 13, 0, tzinfo=UTC)
    _act(world, "m.issayeva@example.kz", just_in_time, Decision.approve)
    with pytest.raises(Refusal) as refused:
        _act(world, "safehome@example.kz", too_late, Decision.approve)
    assert refused.value.code == "review.deadline_passed"
    assert "2027-01-25 at 18:00 (UTC+05:00)" in str(refused.value)
    with Session(world.engine) as session:
        decided = session.exec(select(ReviewDecision)).all()
    assert [d.decided_at for d in decided] == [just_in_time]  # nothing of the late one kept
    assert _round(world, 1).status.value == "open"  # the tick has not run yet
    with world.env(too_late) as env:
        assert [c.outcome.value for c in review_tick(env=env).closed] == ["incomplete"]


def test_a_message_that_cannot_be_built_fails_alone_and_the_secretariat_is_told(
    world: World, tmp_path: Path
) -> None:
    """Messages queued before names and addresses were checked where they enter."""
    from models import OutgoingMessage

    _start(world, working_days=10)
    poison = {"d.ospanov@example.kz": 'a"<x>@example.kz', "m.issayeva@example.kz": "a@b.c,d@e.f"}
    with Session(world.engine) as session:
        for message in session.exec(select(OutgoingMessage)):
            if message.to_email == "safehome@example.kz":
                message.to_name = "Safe\nHome"
            message.to_email = poison.get(message.to_email, message.to_email)
            session.add(message)
        session.commit()
    report = deliver_pending(
        engine=world.engine, mailer=EmlMailer(tmp_path / "outbox"), store=world.store
    )
    by_address = {m.to_email: m for m in world.messages("review_request")}
    failed = {e for e, m in by_address.items() if m.status is MessageStatus.failed}
    assert failed == {"safehome@example.kz", *poison.values()}
    assert "recipient name must be one line" in (by_address["safehome@example.kz"].last_error or "")
    assert "not an e-mail address" in (by_address["a@b.c,d@e.f"].last_error or "")
    assert by_address["secretariat@example.kz"].status is MessageStatus.sent
    told = world.messages("delivery_failed")  # each secretariat contact, of each message
    secretariat = ["d.ospanov@example.kz", "secretariat@example.kz"]
    assert sorted(m.to_email for m in told) == sorted(secretariat * 3)
    assert {m.status for m in told} == {MessageStatus.sent}  # told in the same delivery
    assert "Safe Home" in next(m.subject for m in told if "Safe" in m.subject)
    assert (report.sent, report.failed) == (2 + 6, 3)
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2 + 6


def test_re_drafting_lists_the_open_round_access_it_would_revoke_and_needs_yes(
    world: World,
) -> None:
    from accord.services.drafting.drafting import record_drafts
    from accord.settings import PROJECT_ROOT
    from accord.source.clause_library import ClauseLibrary
    from accord.source.loader import load_sources

    _start(world, working_days=10)
    safe_home = world.links()["safehome@example.kz"]
    world.edit(
        "organizations.yaml",
        "      - name: Гульнара Токтарова\n        email: safehome@example.kz\n"
        "        language: ru\n        roles: [signatory, reviewer]\n"
        "        title:\n          ru: Директор\n          kk: Директор\n          en: Director\n",
        "",
    )
    library = ClauseLibrary.from_directory(PROJECT_ROOT / "templates" / "clauses")
    sources = load_sources([world.sources], clause_library=library)
    with pytest.raises(Refusal) as refused, world.env(MONDAY) as env:
        record_drafts(sources, session=env.session, actor="test")
    assert refused.value.code == "drafting.would_revoke"
    said = str(refused.value)
    assert "safehome@example.kz (ngo-safe-home): review round 1 of kz-referral-mou" in said
    assert "--yes" in said
    with Session(world.engine) as session:  # nothing was written
        assert resolve(safe_home, session=session, now=MONDAY).contact.active
    with world.env(MONDAY) as env:
        record_drafts(sources, session=env.session, actor="test", revoke_open_access=True)
    with pytest.raises(LinkNotValid), Session(world.engine) as session:
        resolve(safe_home, session=session, now=MONDAY)


def test_a_delegate_belongs_to_its_round_and_an_outside_address_waits_for_the_secretariat(
    world: World,
) -> None:
    from accord.services.review.actions import delegate
    from accord.services.review.board import confirm_delegation
    from models import Contact

    _start(world, working_days=10)
    mia = world.links()["m.issayeva@example.kz"]
    with world.env(MONDAY) as env:  # the party's own domain: the link goes out at once
        scope = resolve(mia, session=env.session, now=env.now)
        inside = delegate(
            scope, colleague_email="a.nurova@example.kz", colleague_name="А. Нурова", env=env
        )
        outside = delegate(
            scope, colleague_email="b.sadykov@example.org", colleague_name="Б. Садыков", env=env
        )
    assert not inside.awaiting_confirmation and outside.awaiting_confirmation
    assert list(world.links("delegated_access")) == ["a.nurova@example.kz"]  # none outside yet
    told = world.messages("delegation_held")
    assert sorted(m.to_email for m in told) == ["d.ospanov@example.kz", "secretariat@example.kz"]
    assert "accord review confirm-delegate kz-referral-mou 1" in told[0].text
    assert "accord review decline-delegate kz-referral-mou 1" in told[0].text
    with world.env(MONDAY) as env:
        held = review_status(MOU, env=env).held
    assert [(h.party, h.name, h.email) for h in held] == [
        ("kz-mia", "Б. Садыков", "b.sadykov@example.org")
    ]
    assert held[0].delegator == "Мадина Исаева <m.issayeva@example.kz>"
    with world.env(MONDAY, actor="secretariat") as env:
        confirm_delegation(MOU, held[0].id, env=env)
    with pytest.raises(Refusal) as again, world.env(MONDAY) as env:
        confirm_delegation(MOU, held[0].id, env=env)
    assert again.value.code == "review.no_held_delegation"
    links = world.links("delegated_access")
    with Session(world.engine) as session:
        scope = resolve(links["b.sadykov@example.org"], session=session, now=MONDAY)
        assert (scope.contact.name, scope.contact.delegate) == ("Б. Садыков", True)
        assert scope.access.delegated_by_id is not None  # the delegator's name is kept too
    with world.env(MONDAY) as env:
        assert review_status(MOU, env=env).held == []
    for email in REVIEWERS:  # round 1 closes; round 2 reaches only the organisations file
        _act(world, email, MONDAY, Decision.approve)
    world.edit(f"{MOU}.yaml", "retention_years: 5", "retention_years: 3")
    world.draft()  # the delegates are not in organizations.yaml, and are left alone
    with Session(world.engine) as session:
        delegates = session.exec(select(Contact).where(col(Contact.delegate).is_(True))).all()
        assert {(c.email, c.active) for c in delegates} == {
            ("a.nurova@example.kz", True),
            ("b.sadykov@example.org", True),
        }
    _start(world, at(date(2027, 1, 18)), working_days=5)
    second = [m.to_email for m in world.messages("review_request")][len(REVIEWERS) :]
    assert sorted(second) == sorted(REVIEWERS)


def test_changes_requested_names_clauses_and_activities_by_their_numbers(world: World) -> None:
    _start(world, working_days=10)
    token = world.links()["safehome@example.kz"]
    with world.env(MONDAY) as env:
        scope = resolve(token, session=env.session, now=env.now)
        add_comment(scope, None, "Срок нереален.", request_key="k-a", env=env, activity_id="c-03")
    _act(
        world,
        "safehome@example.kz",
        MONDAY,
        Decision.request_changes,
        reason="См. комментарии.",
        comment=("confidentiality", "Сократить срок хранения."),
    )
    texts = [m.text for m in world.messages("changes_requested")]
    assert texts
    for text in texts:
        assert re.search(r"(Clauses concerned|Пункты|Тармақтар): 7\n", text), text
        assert re.search(
            r"(Activities of the plan concerned|Мероприятия плана|Жоспардың іс-шаралары): 3\n", text
        )
        assert "confidentiality" not in text and "c-03" not in text


def test_the_secretariat_declines_a_held_delegation_and_the_delegator_is_told(
    world: World,
) -> None:
    from accord.services.review.actions import delegate
    from accord.services.review.board import confirm_delegation, decline_delegation

    _start(world, working_days=10)
    mia = world.links()["m.issayeva@example.kz"]
    with world.env(MONDAY) as env:
        scope = resolve(mia, session=env.session, now=env.now)
        for email, name in [("b.sadykov@example.org", "Б. Садыков"), ("c@example.net", "C. D")]:
            delegate(scope, colleague_email=email, colleague_name=name, env=env)
        first, second = review_status(MOU, env=env).held
    with world.env(MONDAY, actor="secretariat") as env:
        declined = decline_delegation(MOU, first.id, env=env)
        confirm_delegation(MOU, second.id, env=env)
    assert declined.email == "b.sadykov@example.org"
    with pytest.raises(Refusal) as again, world.env(MONDAY) as env:
        decline_delegation(MOU, first.id, env=env)
    assert again.value.code == "review.no_held_delegation"
    with pytest.raises(Refusal) as confirmed_after, world.env(MONDAY) as env:
        confirm_delegation(MOU, first.id, env=env)
    assert confirmed_after.value.code == "review.no_held_delegation"
    assert list(world.links("delegated_access")) == ["c@example.net"]  # never the declined one
    told = world.messages("delegation_declined")
    assert [(m.to_email, m.language) for m in told] == [("m.issayeva@example.kz", "kk")]
    assert "Б. Садыков" in told[0].text and "b.sadykov@example.org" in told[0].text
    with world.env(MONDAY) as env:
        status = review_status(MOU, env=env)
        assert status.held == []
        assert [(d.email, d.state) for d in status.delegations] == [
            ("b.sadykov@example.org", "declined"),
            ("c@example.net", "confirmed"),
        ]
        trail = env.session.exec(select(AuditEvent.action)).all()
    assert "review.delegation_declined" in trail


def test_comments_and_delegations_after_the_deadline_are_refused_like_decisions(
    world: World,
) -> None:
    from accord.services.review.actions import delegate

    _start(world, working_days=10)  # deadline Monday 25 January, 18:00 in Kazakhstan (UTC+5)
    too_late = datetime(2027, 1, 25, 13, 0, tzinfo=UTC)
    token = world.links()["m.issayeva@example.kz"]
    with pytest.raises(Refusal) as comment, world.env(too_late) as env:
        scope = resolve(token, session=env.session, now=env.now)
        add_comment(scope, None, "Late words", request_key="late-comment", env=env)
    with pytest.raises(Refusal) as delegation, world.env(too_late) as env:
        scope = resolve(token, session=env.session, now=env.now)
        delegate(scope, colleague_email="a.nurova@example.kz", colleague_name="А. Н", env=env)
    for refused in (comment.value, delegation.value):
        assert refused.code == "review.deadline_passed"
        assert "2027-01-25 at 18:00 (UTC+05:00)" in str(refused)
    assert (comment.value.field, delegation.value.field) == ("body", "email")
    with Session(world.engine) as session:
        assert session.exec(select(ReviewComment)).all() == []
    assert world.links("delegated_access") == {}
    just_in_time = datetime(2027, 1, 25, 12, 59, tzinfo=UTC)
    with world.env(just_in_time) as env:
        scope = resolve(token, session=env.session, now=env.now)
        add_comment(scope, None, "In time", request_key="in-time-comment", env=env)
        delegate(scope, colleague_email="a.nurova@example.kz", colleague_name="А. Н", env=env)
    assert list(world.links("delegated_access")) == ["a.nurova@example.kz"]


def test_a_paper_decision_after_the_deadline_needs_late_and_its_reason(world: World) -> None:
    _start(world, working_days=10)  # deadline Monday 25 January, 18:00 in Kazakhstan (UTC+5)
    too_late = datetime(2027, 1, 25, 13, 0, tzinfo=UTC)
    for reason in (None, "  "):
        with pytest.raises(Refusal) as refused, world.env(too_late, actor="secretariat") as env:
            record_on_paper(
                MOU, "ngo-safe-home", Decision.approve, None, env=env, late_reason=reason
            )
        assert refused.value.code == "review.paper_after_deadline"
        assert "2027-01-25 at 18:00 (UTC+05:00)" in str(refused.value)
        assert "--late" in str(refused.value)
    assert count_decisions(world) == 0
    with world.env(too_late, actor="secretariat") as env:
        record_on_paper(
            MOU,
            "ngo-safe-home",
            Decision.approve,
            None,
            env=env,
            late_reason="Letter No. 15 of 25.01 reached the secretariat on 26.01",
        )
    assert count_decisions(world) == 1
    with Session(world.engine) as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "decision.recorded")
        ).one()
    assert event.data["late"] == "Letter No. 15 of 25.01 reached the secretariat on 26.01"
    with world.env(datetime(2027, 1, 25, 12, 0, tzinfo=UTC), actor="secretariat") as env:
        record_on_paper(MOU, "ngo-legal-support", Decision.approve, None, env=env)  # in time
    assert count_decisions(world) == 2


def count_decisions(world: World) -> int:
    with Session(world.engine) as session:
        return len(session.exec(select(ReviewDecision)).all())
