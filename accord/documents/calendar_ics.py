"""An organisation's deadlines as an iCalendar feed that Outlook and Google Calendar subscribe to.

Each commitment is one all-day event with a UID derived from its agreement and
commitment ids, so a calendar that re-reads the feed moves or updates the event
it already shows instead of adding a second one.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from accord.documents.blocks import pick
from accord.documents.formatting import format_due
from accord.documents.labels import Labels, labels_for
from accord.documents.progress_types import CLOSED, TrackedItem

PRODID = "-//Accord//Commitments calendar//EN"
REFRESH = timedelta(hours=12)
"""How often subscribers should re-read the feed (RFC 7986 REFRESH-INTERVAL)."""
ALARM_BEFORE = timedelta(days=7)


def organisation_calendar(
    org_id: str,
    org_name: str,
    items: Sequence[TrackedItem],
    *,
    language: str,
    generated_at: datetime,
) -> bytes:
    """The ICS feed of `org_id`'s deadlines, texts in `language`, stamped `generated_at`."""
    labels = labels_for(language)
    calendar = _calendar(org_id, org_name, labels)
    stamp = _utc(generated_at)
    for item in sorted(items, key=lambda i: (i.due, i.agreement_id, i.commitment_id)):
        calendar.add_component(_event(item, labels, stamp))
    return bytes(calendar.to_ical())


def _calendar(org_id: str, org_name: str, labels: Labels) -> Calendar:
    calendar = Calendar()
    name = labels["calendar_name"].format(org=org_name)
    for key, value in (
        ("prodid", PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("method", "PUBLISH"),
        ("x-wr-calname", name),
        ("name", name),
        ("x-wr-caldesc", labels["calendar_description"].format(org=org_name)),
        ("x-wr-relcalid", f"accord-{org_id}"),  # a stable calendar id, for clients that keep one
    ):
        calendar.add(key, value)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")  # Outlook's name for it; free text, so spelt out
    return calendar


def _event(item: TrackedItem, labels: Labels, stamp: datetime) -> Event:
    """An all-day event on the deadline (DTEND is the next day, as RFC 5545 wants)."""
    event = Event()
    activity = pick(item.activity, labels.language)
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.due)
    event.add("dtend", item.due + timedelta(days=1))
    event.add("summary", f"{item.number}. {activity}" if item.number else activity)
    event.add("description", _description(item, labels))
    event.add("status", "CANCELLED" if item.status == "cancelled" else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    if item.last_update_at is not None:
        event.add("last-modified", _utc(item.last_update_at))
    if item.status not in CLOSED:
        event.add_component(_alarm(labels["calendar_alarm"].format(activity=activity)))
    return event


def _description(item: TrackedItem, labels: Labels) -> str:
    """Agreement, indicator, target and status, one per line, in the feed's language."""
    language = labels.language
    lines = [
        f"{labels['col_agreement']}: {pick(item.agreement_title, language)}",
        f"{labels['col_deadline']}: {format_due(item.due_label, item.due, labels)}",
    ]
    if item.indicator:
        lines.append(f"{labels['col_indicator_name']}: {pick(item.indicator, language)}")
    if item.target:
        lines.append(f"{labels['col_target']}: {item.target}")
    lines.append(f"{labels['col_status']}: {labels[f'status_{item.status}']}")
    return "\n".join(lines)


def _alarm(text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", -ALARM_BEFORE)
    return alarm


def _utc(moment: datetime) -> datetime:
    """Aware UTC, so DTSTAMP ends in Z; a naive time is taken to be UTC already."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
