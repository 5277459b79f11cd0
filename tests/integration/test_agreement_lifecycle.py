"""The agreement's status through its whole life, and the capabilities meeting only through
events: a new round cancels a sign-off, the last signature brings commitments into force, the
term ends, the secretariat terminates."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services.commitments.ending import terminate
from accord.services.commitments.periodic import expire_ended, periodic_duties
from accord.services.commitments.reminders import send_reminders
from accord.services.env import ServiceEnv
from accord.services.events import ReviewRoundStarting
from accord.services.review.rounds import RoundRequest, start_round
from accord.services.signing.start import start_signoff
from accord.settings import Settings
from models import (
    Agreement,
    AgreementStatus,
    AuditEvent,
    ItemStatus,
    SignOff,
    SignOffStatus,
    TrackedCommitment,
)
from tests.cli_runner import run_cli
from tests.review_world import MOU, World, approve_all, bring_into_force, make_world

DAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    return make_world(tmp_path, engine)


def status(world: World) -> AgreementStatus:
    with Session(world.engine) as session:
        return session.exec(select(Agreement).where(Agreement.slug == MOU)).one().status


def actions(world: World) -> list[str]:
    with Session(world.engine) as session:
        return list(session.exec(select(AuditEvent.action).order_by(col(AuditEvent.seq))))


def test_a_new_round_cancels_the_open_sign_off(world: World) -> None:
    approve_all(world, DAY)
    assert status(world) is AgreementStatus.approved
    with world.env(DAY) as env:
        start_signoff(MOU, env=env)
    assert status(world) is AgreementStatus.signing
    with world.env(DAY) as env:
        start_round(RoundRequest(agreement=MOU, working_days=5), env=env)
    assert status(world) is AgreementStatus.in_review
    with Session(world.engine) as session:
        assert session.exec(select(SignOff.status)).all() == [SignOffStatus.cancelled]
    trail = actions(world)
    assert trail.index("signoff.cancelled") < trail.index(
        "round.opened", trail.index("signoff.started")
    )


def test_the_last_signature_brings_the_commitments_into_force(world: World) -> None:
    bring_into_force(world, DAY)
    assert status(world) is AgreementStatus.in_force
    with Session(world.engine) as session:
        assert len(session.exec(select(TrackedCommitment)).all()) == 5
    assert world.messages("focal_access")  # commitments' handler welcomed the focal points


def test_an_environment_without_handlers_refuses_to_lose_an_event(world: World) -> None:
    with Session(world.engine) as session:
        bare = ServiceEnv(
            session=session, store=world.store, base_url="https://x.example.org", actor="t", now=DAY
        )
        with pytest.raises(RuntimeError, match="bootstrap"):
            bare.publish(ReviewRoundStarting(1, MOU))


def test_the_term_ends_the_day_after_its_last_day(world: World) -> None:
    world.edit(f"{MOU}.yaml", "\nterm:", "\nreporting:\n  every_months: 6\n  day: 20\nterm:")
    world.draft()
    bring_into_force(world, DAY)  # a three-year term: its last day is 2030-01-11
    with world.env(DAY) as env:
        assert expire_ended(date(2030, 1, 11), env=env) == []
    assert status(world) is AgreementStatus.in_force
    with world.env(DAY) as env:
        assert expire_ended(date(2030, 1, 12), env=env) == [MOU]
    assert status(world) is AgreementStatus.expired
    assert "agreement.expired" in actions(world)
    with world.env(DAY) as env:
        assert periodic_duties(date(2030, 1, 12), env=env) == 0  # no more report requests
        swept = send_reminders(date(2030, 1, 12), env=env)
    assert (swept.selected, swept.marked_overdue) == (0, 0)  # nobody is reminded of it
    with world.env(DAY) as env, pytest.raises(Refusal, match="is expired; it cannot"):
        start_round(RoundRequest(agreement=MOU, working_days=5), env=env)


def test_termination_is_final_and_cancels_the_open_commitments(world: World) -> None:
    with world.env(DAY) as env, pytest.raises(Refusal, match="is draft; it cannot terminate"):
        terminate(MOU, reason="Стороны договорились", env=env)
    bring_into_force(world, DAY)
    with world.env(DAY, actor="cli:secretariat") as env:
        done = terminate(MOU, reason="Стороны договорились о прекращении", env=env)
    assert (done.agreement, done.cancelled) == (MOU, 5)
    assert status(world) is AgreementStatus.terminated
    with Session(world.engine) as session:
        assert {t.status for t in session.exec(select(TrackedCommitment))} == {ItemStatus.cancelled}
        entry = session.exec(
            select(AuditEvent).where(AuditEvent.action == "agreement.terminated")
        ).one()
    assert entry.actor == "cli:secretariat" and len(entry.data["cancelled"]) == 5
    with world.env(DAY) as env, pytest.raises(Refusal) as again:
        terminate(MOU, reason="ещё раз", env=env)
    assert again.value.code == "status.refused"


def test_terminate_from_the_command_line(
    world: World, settings_on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    bring_into_force(world, DAY)
    missing = run_cli(capsys, "terminate", MOU)
    assert missing.code == 2  # --reason is required
    done = run_cli(capsys, "terminate", MOU, "--reason", "Parties agreed to end it")
    assert done.code == 0, done.err
    assert f"{MOU}: terminated; 5 open commitments cancelled" in done.out
    again = run_cli(capsys, "terminate", MOU, "--reason", "again")
    assert again.code == 1 and "is terminated; it cannot terminate now" in again.err
