"""The register behind the workspace's commitments pages, on SQLite and PostgreSQL: one
secretariat's items filtered and paged by due date, progress per objective, and report
requests sent on demand once per contact and day."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accord.errors import Refusal
from accord.services.commitments.periodic import request_reports_now
from accord.services.commitments.register import (
    RegisterFilter,
    objective_progress,
    register_page,
    responsible_organizations,
)
from accord.services.commitments.tracked import tracked_items
from models import AuditEvent, ItemStatus, Organization, TrackedCommitment
from tests.review_world import MOU, World, bring_into_force, make_world

IN_FORCE = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
TODAY = date(2027, 2, 1)


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    return make_world(tmp_path, engine)


def kz(session: Session) -> int:
    org = session.exec(select(Organization).where(Organization.slug == "kz-iac")).one()
    assert org.id is not None
    return org.id


def test_pages_follow_the_due_dates_without_gaps_or_repeats(world: World) -> None:
    bring_into_force(world, IN_FORCE)
    with Session(world.engine) as session:
        every = RegisterFilter()
        pages = [
            register_page(kz(session), every, page=n, today=TODAY, session=session, per_page=2)
            for n in (1, 2, 3)
        ]
        beyond = register_page(kz(session), every, page=9, today=TODAY, session=session, per_page=2)
    assert [p.total for p in pages] == [5, 5, 5] and pages[0].pages == 3
    ids = [line.id for p in pages for line in p.lines]
    assert len(ids) == len(set(ids)) == 5
    dues = [line.due for p in pages for line in p.lines]
    assert dues == sorted(dues)
    assert beyond.page == 3, "a page past the end shows the last one"


def test_filters_combine(world: World) -> None:
    bring_into_force(world, IN_FORCE)
    with Session(world.engine) as session:
        sid = kz(session)
        items = session.exec(select(TrackedCommitment).order_by(col(TrackedCommitment.due))).all()
        first, last = items[0], items[-1]
        first.status, first.due = ItemStatus.in_progress, TODAY - timedelta(days=1)
        last.status = ItemStatus.done
        session.add_all([first, last])
        session.commit()

        def count(**wanted: Any) -> int:
            found = RegisterFilter(**wanted)
            return register_page(sid, found, page=1, today=TODAY, session=session).total

        assert count(overdue=True) == 1, "open and past its due date"
        assert count(status=ItemStatus.done) == 1
        assert count(organization="kz-mia") == 2
        assert count(organization="kz-mia", status=ItemStatus.done) == 0
        assert count(due_from=last.due, due_to=last.due) >= 1
        assert count(agreement="another-agreement") == 0
        assert {o.slug for o in responsible_organizations(sid, session=session)} == {
            "kz-mia",
            "ngo-safe-home",
            "ngo-legal-support",
        }
        other = session.exec(select(Organization).where(Organization.slug == "kg-cc")).one()
        nothing = register_page(
            other.id or 0, RegisterFilter(), page=1, today=TODAY, session=session
        )
        assert nothing.total == 0 and nothing.lines == []


def test_progress_per_objective_counts_every_item_once(world: World) -> None:
    bring_into_force(world, IN_FORCE)
    with Session(world.engine) as session:
        items = tracked_items(session=session, agreement=MOU)
    progress = objective_progress(items, today=TODAY)
    assert sum(o.total for o in progress) == len(items) == 5
    assert all(sum(o.counts.values()) == o.total for o in progress)
    assert all(o.percent == 0 for o in progress), "nothing reported yet"


def test_report_requests_go_to_every_focal_point_once_a_day(world: World) -> None:
    with (
        world.env(IN_FORCE, actor="staff:officer@example.kz") as env,
        pytest.raises(Refusal) as caught,
    ):
        request_reports_now(MOU, env=env)
    assert caught.value.code == "commitments.not_in_force_now"
    bring_into_force(world, IN_FORCE)
    now = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
    with world.env(now, actor="staff:officer@example.kz") as env:
        sent = request_reports_now(MOU, env=env)
    with world.env(now + timedelta(hours=2), actor="staff:officer@example.kz") as env:
        again = request_reports_now(MOU, env=env)
    requests = world.messages("report_request")
    assert sent == len(requests) >= 3 and again == 0
    assert len({m.to_email for m in requests}) == sent
    with Session(world.engine) as session:
        audit = session.exec(
            select(AuditEvent).where(AuditEvent.action == "report.requested")
        ).all()
    assert [e.actor for e in audit] == ["staff:officer@example.kz"] * 2
