"""What commitments tracking hands to its documents: plain values, no database, no I/O.

The calendar feed, the progress report and the register export all print the same
thing, a tracked commitment as it stands today; the services build these values
from the database so the renderers stay pure (values in, bytes out).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from accord.source.spec import LangText

Status = Literal["not_started", "in_progress", "done", "overdue", "cancelled"]
STATUSES: tuple[Status, ...] = ("not_started", "in_progress", "done", "overdue", "cancelled")
"""Every status, in the order documents list them."""
CLOSED: frozenset[Status] = frozenset({"done", "cancelled"})
"""Statuses that need nothing more from anyone: no reminders, never late."""


@dataclass(frozen=True)
class TrackedItem:
    """One commitment of an in-force agreement, with its latest reported progress."""

    agreement_id: str
    commitment_id: str
    objective_id: str | None
    objective_title: LangText | None
    activity: LangText
    responsible_org_id: str
    responsible_name: LangText
    partners: tuple[LangText, ...]
    """Names of the partner organisations, per language."""
    due: date
    status: Status
    indicator: LangText | None = None
    baseline: str | None = None
    target: str | None = None
    latest_value: str | None = None
    latest_percent: int | None = None
    last_update_at: datetime | None = None
    budget_amount: Decimal | None = None
    budget_currency: str | None = None
    funding: LangText | None = None
    agreement_title: LangText | None = None
    """Printed next to the id where an item is seen outside its agreement (calendar, register)."""
    due_label: str = ""
    """The deadline as the source wrote it (``2027-Q2``); empty means print `due` as a date."""
    latest_note: str | None = None
    """What the focal point wrote with the latest update that has a note."""
    number: str = ""
    """The activity's number as its plan prints it ("2.4"); what people see, not the id."""

    @property
    def uid(self) -> str:
        """Stable across exports, so calendars update an event instead of adding another."""
        return f"{self.agreement_id}-{self.commitment_id}@accord"


def is_late(item: TrackedItem, as_of: date) -> bool:
    """Overdue by status, or past its deadline while still open."""
    if item.status in CLOSED:
        return False
    return item.status == "overdue" or item.due < as_of


def progress_percent(item: TrackedItem) -> int:
    """How far an item is: done counts as 100, otherwise the last reported percentage or 0."""
    if item.status == "done":
        return 100
    return max(0, min(100, item.latest_percent or 0))


RISK_DAYS = 30
"""An open item due within this many days is at risk when it is behind its expected progress."""


def expected_percent(item: TrackedItem, as_of: date, start: date | None) -> int:
    """The progress a steady pace from `start` (entry into force) to the deadline gives by
    `as_of`; without a start, an item due soon is expected done."""
    if start is None or item.due <= start:
        return 100
    elapsed = (as_of - start).days / (item.due - start).days
    return max(0, min(100, round(elapsed * 100)))


def is_at_risk(item: TrackedItem, as_of: date, start: date | None) -> bool:
    """Open, not yet late, due within RISK_DAYS, and behind the progress expected by now."""
    if item.status in CLOSED or is_late(item, as_of) or (item.due - as_of).days > RISK_DAYS:
        return False
    return progress_percent(item) < expected_percent(item, as_of, start)
