"""An overdue item is escalated to the secretariat once per threshold, not every day."""

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from accord.services.commitments.reminders import send_reminders
from accord.services.commitments.tracked import tracked_items
from accord.services.working_days import next_working_day
from tests.review_world import MOU, World, bring_into_force, make_world

DAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
ITEM = re.compile(r"^- ([\d.]+):", re.MULTILINE)
"""An escalated activity's line in the e-mail: its number in the plan, as the document prints it."""


@pytest.fixture
def world(tmp_path: Path, engine: Engine) -> World:
    return make_world(tmp_path, engine)


def test_each_item_is_escalated_at_14_30_and_60_days_overdue_only(world: World) -> None:
    bring_into_force(world, DAY)
    with Session(world.engine) as session:
        first = min(tracked_items(session=session, agreement=MOU), key=lambda i: i.due)
    first_key, first_due = first.number, first.due
    escalated_on: dict[str, list[int]] = {}
    for late in range(1, 71):
        as_of = first_due + timedelta(days=late)
        before = len(world.messages("escalation_digest"))
        with world.env(DAY) as env:
            send_reminders(as_of, env=env)
        for message in world.messages("escalation_digest")[before:]:
            for key in set(ITEM.findall(message.text)):
                escalated_on.setdefault(key, []).append(late)
    secretariat = len({m.to_email for m in world.messages("escalation_digest")})
    assert secretariat >= 1
    days = sorted(Counter(escalated_on[first_key]).items())
    # the first sweep past each threshold, on a working day: the daily run rests on days off
    expected = [
        (next_working_day(first_due + timedelta(days=t + 1), "KZ") - first_due).days
        for t in (14, 30, 60)
    ]
    assert days == [(late, secretariat) for late in expected]
    for key, seen in escalated_on.items():
        assert len(seen) <= 3 * secretariat, (key, seen)


def test_a_sweep_after_a_gap_escalates_once_at_the_threshold_reached(world: World) -> None:
    """Sweeps that did not run for weeks do not catch up with one mail per missed threshold."""
    bring_into_force(world, DAY)
    with Session(world.engine) as session:
        first = min(tracked_items(session=session, agreement=MOU), key=lambda i: i.due)
    due: date = first.due

    def late(days: int) -> date:  # a working day: the daily run rests on days off
        return next_working_day(due + timedelta(days=days), "KZ")

    with world.env(DAY) as env:
        report = send_reminders(late(40), env=env)
    assert report.escalations >= 1
    with world.env(DAY) as env:
        again = send_reminders(late(45), env=env)
    assert again.escalations == 0
    with world.env(DAY) as env:
        third = send_reminders(late(61), env=env)
    assert third.escalations >= 1
