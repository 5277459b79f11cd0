"""The rules of commitments in force, free of I/O: calendars, what a digest takes, what a
progress report may say."""

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePath

from accord.calendars import periods
from accord.calendars.periods import Period, ReportingRule, add_months
from accord.errors import Refusal
from accord.services.commitments.evidence_content import content_matches
from accord.source.spec import MONTHS_OF, AgreementSpec, Recurrence, RepeatSpec, ReportingSpec
from models import ItemStatus

# --- the calendar of an agreement in force --------------------------------------------------

EXPIRY_WARNINGS = (90, 30, 7)
"""Days before the end of the term at which the secretariat is alerted, once each."""
REMIND_EVERY_DAYS = 7
"""A report not in after its period ended is asked for again every this many days."""
_DAY = timedelta(days=1)

NextWorkingDay = Callable[[date], date]
"""The agreement's country calendar: a day itself if it is a working day, else the next one.
Report due dates, report requests, their reminders and expiry alerts that fall on a day off
move to it."""


def reporting_rule(spec: ReportingSpec) -> ReportingRule:
    """The reporting periods a source asks for: calendar ones (`every`) or from entry into force."""
    return ReportingRule(day=spec.day, every=spec.every, every_months=spec.every_months)


def ended_periods(spec: ReportingSpec, effective: date, as_of: date) -> list[Period]:
    """Reporting periods that ended before `as_of`, oldest first."""
    return reporting_rule(spec).periods(effective, as_of)


def report_due(spec: ReportingSpec, period: Period, next_working_day: NextWorkingDay) -> date:
    """By `day` of the month after the period, or the next working day after a day off."""
    return reporting_rule(spec).due(period, next_working_day=next_working_day)


def report_request_key(
    first_key: str,
    *,
    already_asked: bool,
    period_end: date,
    as_of: date,
    next_working_day: NextWorkingDay,
) -> str:
    """The key of today's report request: the first one on the first working day after the
    period, then a reminder every `REMIND_EVERY_DAYS` days, each moved off days off (one
    reminder when a long holiday moves two onto the same day); "" when none is due today."""
    if not already_asked:
        return first_key if as_of >= next_working_day(period_end + _DAY) else ""
    weeks = (as_of - period_end).days // REMIND_EVERY_DAYS
    reminder_days = (
        next_working_day(period_end + REMIND_EVERY_DAYS * k * _DAY) for k in range(weeks, 0, -1)
    )
    return f"{first_key}:{as_of}" if as_of in reminder_days else ""


def occurrences(repeat: RepeatSpec, start: date, last: date) -> list[date]:
    """The deadlines of a recurring commitment from entry into force (`start`) to its `due`
    (`last`): yearly on its day, or per calendar period (at its end, or on `day` of the
    month after it). None falls in that window: the commitment is due once, on `last`."""
    if repeat.every is Recurrence.year and repeat.by is not None:
        month, day = repeat.by
        found = [date(year, month, day) for year in range(start.year, last.year + 1)]
    else:
        months = MONTHS_OF[repeat.every]
        found = [
            periods.report_due(end, repeat.day) if repeat.day else end
            for end in _calendar_period_ends(start, last, months)
        ]
    return [d for d in found if start <= d <= last] or [last]


def _calendar_period_ends(start: date, last: date, months: int) -> list[date]:
    """Last days of the calendar periods of `months` (quarters end in March, June …) that
    end within [start, last]."""
    ends: list[date] = []
    month = (start.month - 1) // months * months + months  # the period holding `start`
    year = start.year
    while True:
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end > last:
            return ends
        ends.append(end)
        month += months


def occurrence_key(commitment_key: str, due: date) -> str:
    """The tracked key of one occurrence: `c-07@2027-12-25`."""
    return f"{commitment_key}@{due.isoformat()}"


def expiry_date(spec: AgreementSpec, effective: date) -> date | None:
    """The last day of the term: its `until`, or `years` after entry into force; None if open."""
    if spec.term is None:
        return None
    return spec.term.until or (
        add_months(effective, 12 * spec.term.years) if spec.term.years else None
    )


def expiry_alert_day(expires_on: date, warning: int, next_working_day: NextWorkingDay) -> date:
    """The day the alert `warning` days before the end is sent: moved off a day off, but never
    past the last day of the term (an alert after it would come too late to renew)."""
    return min(next_working_day(expires_on - warning * _DAY), expires_on)


def expiry_warning(expires_on: date, as_of: date, next_working_day: NextWorkingDay) -> int | None:
    """The alert (days before the end) due by `as_of`: the nearest one crossed; None if none."""
    if as_of > expires_on:
        return None
    crossed = [
        w for w in EXPIRY_WARNINGS if expiry_alert_day(expires_on, w, next_working_day) <= as_of
    ]
    return min(crossed) if crossed else None


def has_expired(expires_on: date, as_of: date) -> bool:
    """The agreement holds through its last day; it has expired from the day after."""
    return as_of > expires_on


# --- the daily sweep ------------------------------------------------------------------------

OPEN = (ItemStatus.not_started, ItemStatus.in_progress, ItemStatus.overdue)


@dataclass(frozen=True)
class SweepItem:
    id: int
    key: str
    agreement_id: int
    responsible_id: int
    due: date
    activity: dict[str, str]


def threshold(item: SweepItem, as_of: date) -> str:
    """Which reminder an item is due: before its deadline, or after it."""
    return "overdue" if item.due < as_of else "due_soon"


def reminder_horizons(countries: dict[int, str], horizons: dict[str, date]) -> dict[int, date]:
    """Agreement id → last due day to remind about, for agreements whose country has a
    horizon today (country → day); one without (today is a day off there) is not reminded."""
    return {a: horizons[c] for a, c in countries.items() if c in horizons}


def within_horizon(items: Sequence[SweepItem], horizons: dict[int, date]) -> list[SweepItem]:
    """Items due by their agreement's horizon (agreement id → last day to remind about);
    items of agreements without one (ended agreements) are left out."""
    return [i for i in items if i.agreement_id in horizons and i.due <= horizons[i.agreement_id]]


def fresh_for_digest(
    items: Sequence[SweepItem], as_of: date, marked: set[tuple[int, str]]
) -> list[SweepItem]:
    """Items whose reminder of today's kind was not sent today: a digest never repeats itself."""
    return [i for i in items if (i.id, threshold(i, as_of)) not in marked]


LATER_ESCALATIONS = (30, 60)
"""Days overdue at which an item is escalated again, after the first threshold."""


def escalation_thresholds(first: int) -> tuple[int, ...]:
    """The first threshold (days overdue, the sweep's setting) and the later ones past it."""
    return (first, *(days for days in LATER_ESCALATIONS if days > first))


def escalation_mark(threshold: int) -> str:
    """The reminder mark of an escalation at `threshold` days overdue."""
    return f"escalated:{threshold}"


def escalated(
    items: Sequence[SweepItem],
    as_of: date,
    thresholds: Sequence[int],
    done: set[tuple[int, int]],
) -> list[tuple[SweepItem, int]]:
    """Items more than a threshold overdue, with the highest threshold they passed, unless
    they were escalated at it already (`done`: item id, threshold): each threshold once,
    and a sweep that missed days does not catch up with one mail per missed threshold."""
    due: list[tuple[SweepItem, int]] = []
    for item in items:
        passed = [t for t in thresholds if (as_of - item.due).days > t]
        if passed and (item.id, max(passed)) not in done:
            due.append((item, max(passed)))
    return due


# --- what a progress report may say --------------------------------------------------------

REPORTABLE = (ItemStatus.not_started, ItemStatus.in_progress, ItemStatus.done, ItemStatus.cancelled)
""""Overdue" is what the deadline says, never what a report says."""
VALUE_LIMIT = 200
"""`tracked_commitment.latest_value` holds 200 characters."""
NOTE_LIMIT = 5000
EVIDENCE_LIMIT = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
"""How each allowed type begins: a renamed program is not a PDF."""
LIMIT_MB = EVIDENCE_LIMIT // (1024 * 1024)
ALLOWED_TYPES = ", ".join(suffix.lstrip(".").upper() for suffix in EVIDENCE_TYPES)


def reported_status(status: ItemStatus) -> ItemStatus:
    if status not in REPORTABLE:
        raise Refusal("commitments.status", "Choose the item's status.", field="status")
    return status


def reported_percent(percent: int | None) -> int | None:
    if percent is not None and not 0 <= percent <= 100:
        raise Refusal(
            "commitments.percent",
            "The percentage must be a whole number from 0 to 100.",
            field="percent",
        )
    return percent


def reported_value(value: str | None) -> str | None:
    text = (value or "").strip()
    if len(text) > VALUE_LIMIT:
        raise Refusal(
            "commitments.value_too_long",
            "The value is %(length)s characters long; the limit is %(limit)s.",
            field="value",
            length=len(text),
            limit=VALUE_LIMIT,
        )
    return text or None


def reported_note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > NOTE_LIMIT:
        raise Refusal(
            "commitments.note_too_long",
            "The note is %(length)s characters long; the limit is %(limit)s.",
            field="note",
            length=len(text),
            limit=NOTE_LIMIT,
        )
    return text or None


def evidence_name(filename: str) -> str:
    """The file's own name (no folders), if its type is one of the allowed ones."""
    name = PurePath(filename.replace("\\", "/")).name
    if PurePath(name).suffix.lower() not in EVIDENCE_TYPES:
        raise Refusal(
            "commitments.evidence_type",
            "“%(name)s” cannot be attached: the allowed types are %(types)s.",
            field="evidence",
            name=name[:80],
            types=ALLOWED_TYPES,
        )
    return name


def evidence_location(sha256: str, filename: str) -> str:
    """Where an evidence file is kept in the document store: by its hash, with its suffix."""
    return f"evidence/{sha256[:2]}/{sha256}{PurePath(filename).suffix.lower()}"


def evidence_too_large() -> Refusal:
    """Also said by the portal when a post is over the limit before it is even read."""
    return Refusal(
        "commitments.evidence_too_large",
        "An evidence file may be up to %(limit)s MB; the file you chose is larger.",
        field="evidence",
        limit=LIMIT_MB,
    )


def evidence_file(filename: str, data: bytes) -> tuple[str, str]:
    """(name, suffix) of an allowed file within the limit whose content is of its type."""
    name = evidence_name(filename)
    if len(data) > EVIDENCE_LIMIT:
        raise evidence_too_large()
    suffix = PurePath(name).suffix.lower()
    if not (data.startswith(SIGNATURES[suffix]) and content_matches(suffix, data)):
        raise Refusal(
            "commitments.evidence_content",
            "“%(name)s” is not really a %(type)s file; attach the document itself.",
            field="evidence",
            name=name[:80],
            type=suffix.lstrip(".").upper(),
        )
    return name, suffix


# --- reporting periods of a secretariat's report ---------------------------------------------

_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?P<part>H[12]|Q[1-4]))?")


def reporting_period(text: str) -> tuple[date, date] | None:
    """First and last day of "2027-H1", "2027-H2", "2027-Q3" or "2027"; None for anything else."""
    found = _PERIOD.fullmatch(text.strip().upper())
    if not found:
        return None
    year, part = int(found.group("year")), found.group("part")
    first, months = (1, 12) if part is None else (1 + (int(part[1]) - 1) * 6, 6)
    if part is not None and part.startswith("Q"):
        first, months = 1 + (int(part[1]) - 1) * 3, 3
    last_month = first + months - 1
    return date(year, first, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])
