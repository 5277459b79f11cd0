"""From review to reminders, what people read names the agreement by its title and clauses and
activities by the numbers the document prints: never the slug, a clause's id or an
activity's key (issue 11, "one numbering everywhere")."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx2python import docx2python
from sqlalchemy.engine import Engine
from sqlmodel import Session

from accord.services.agreements import find_agreement, find_version, version_content
from accord.services.commitments.periodic import periodic_duties
from accord.services.commitments.reminders import send_reminders
from accord.services.commitments.report import write_progress_report
from accord.services.commitments.tracked import tracked_items
from accord.services.review.access import resolve
from accord.services.review.actions import add_comment, decide
from accord.services.review.rounds import RoundRequest, start_round
from accord.source.spec import activity_numbers, numbered
from models import Decision
from tests.review_world import MOU, World, bring_into_force, make_world

DAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    return make_world(tmp_path, engine)


def _internal_ids(world: World) -> set[str]:
    """The slug, every clause id and every activity key of the agreement."""
    with Session(world.engine) as session:
        spec = version_content(
            find_version(find_agreement(MOU, session=session), None, session=session)
        ).agreement
    clauses = {item.clause.id for item in numbered(spec.clauses)}
    return {MOU} | clauses | {c.id for c in spec.commitments}


def _shown_ids(text: str, ids: set[str]) -> list[str]:
    return sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))


def _changes_requested(world: World) -> None:
    """Round 1: one party asks for changes with a comment on a clause and on an activity."""
    with world.env(DAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=10), env=env)
    for email, token in world.links().items():
        with world.env(DAY, actor=f"reviewer:{email}") as env:
            scope = resolve(token, session=env.session, for_update=True, now=env.now)
            if email == "safehome@example.kz":
                add_comment(scope, "confidentiality", "Срок хранения.", request_key="k1", env=env)
                add_comment(scope, None, "Срок.", request_key="k2", env=env, activity_id="c-03")
                decide(scope, Decision.request_changes, "См. замечания.", request_key="d", env=env)
            elif email != "d.ospanov@example.kz":
                decide(scope, Decision.approve, None, request_key=f"d-{email}", env=env)


def test_no_mail_or_report_shows_a_slug_a_clause_id_or_an_activity_key(world: World) -> None:
    world.edit(f"{MOU}.yaml", "\nterm:", "\nreporting:\n  every_months: 6\n  day: 20\nterm:")
    world.draft()
    ids = _internal_ids(world)
    _changes_requested(world)
    world.edit(f"{MOU}.yaml", "retention_years: 5", "retention_years: 3")
    world.draft()
    bring_into_force(world, DAY)
    with Session(world.engine) as session:
        due = sorted(i.due for i in tracked_items(session=session, agreement=MOU))
    for as_of in (
        date.fromordinal(due[0].toordinal() - 2),
        date.fromordinal(due[0].toordinal() + 30),
    ):
        with world.env(DAY) as env:
            send_reminders(as_of, env=env)
    with world.env(DAY) as env:
        periodic_duties(date(2027, 7, 12), env=env)
    with world.env(DAY) as env:
        periodic_duties(date(2029, 11, 1), env=env)
    kinds = {m.kind for m in world.messages()}
    assert {
        "review_request",
        "changes_requested",
        "round_closed",
        "sign_request",
        "signed_agreement",
        "focal_access",
        "focal_digest",
        "escalation_digest",
        "report_request",
        "expiry_alert",
    } <= kinds
    for message in world.messages():
        for part in (message.subject, message.text, message.html):
            assert not _shown_ids(part, ids), (message.kind, _shown_ids(part, ids), part)

    with world.env(DAY) as env:
        reports = write_progress_report(MOU, due[0], env=env)
        items = tracked_items(session=env.session, agreement=MOU)
    numbers = {i.number for i in items}
    for report in reports:
        text = docx2python(report).text
        assert not _shown_ids(text, ids), _shown_ids(text, ids)
        assert any(re.search(rf"(?<![\d.]){re.escape(n)}(?![\d.])", text) for n in numbers)


def test_the_digest_numbers_are_the_plans(world: World) -> None:
    bring_into_force(world, DAY)
    with Session(world.engine) as session:
        items = tracked_items(session=session, agreement=MOU)
        spec = version_content(
            find_version(find_agreement(MOU, session=session), None, session=session)
        ).agreement
    printed = set(activity_numbers(spec.objectives, spec.commitments).values())
    overdue = max(i.due for i in items).toordinal() + 1
    for day in range(overdue, overdue + 7):  # the first working day after the last deadline
        with world.env(DAY) as env:
            if send_reminders(date.fromordinal(day), env=env).digests:
                break
    [digest, *_] = world.messages("focal_digest")
    listed = re.findall(r"^- (\S+) \(", digest.text, flags=re.MULTILINE)
    assert listed and set(listed) <= printed, (listed, printed)
