"""How dates, deadlines and amounts are written in a document language."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

from babel.dates import format_date as babel_date

from accord.documents.labels import Labels
from accord.i18n import formats
from accord.source.spec import BudgetSpec, CommitmentSpec, Recurrence, RepeatSpec

_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def format_date(day: date) -> str:
    """dd.mm.yyyy, the way documents in the region date things in every language."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def as_utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive time is UTC already (the database keeps it so)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_moment(moment: datetime) -> str:
    """dd.mm.yyyy hh:mm UTC: a signature's time, the same for readers in every time zone."""
    utc = as_utc(moment)
    return f"{format_date(utc)} {utc:%H:%M} UTC"


def format_due(label: str, due: date, labels: Labels) -> str:
    """A deadline as the source wrote it: a quarter stays a quarter ("II кв. 2027")."""
    quarter = _QUARTER.fullmatch(label.strip())
    if quarter:
        year, number = quarter.group(1), int(quarter.group(2))
        numeral = labels["quarter_numerals"].split()[number - 1]
        return labels["quarter"].format(quarter=numeral, year=year)
    if _ISO_DATE.fullmatch(label.strip()) or not label.strip():
        return format_date(due)
    return label


def format_amount(amount: Decimal, currency: str, labels: Labels) -> str:
    """1 500 000 KZT; cents only when there are any."""
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    grouped = text.replace(",", "\0").replace(".", labels["decimal_sep"])
    return f"{grouped.replace(chr(0), labels['thousands_sep'])} {currency}".strip()


def format_deadline(commitment: CommitmentSpec, labels: Labels) -> str:
    """A commitment's deadline as its plan prints it: recurring, ongoing or once."""
    if commitment.repeat is not None:
        return format_repeat(commitment.repeat, commitment.due, labels)
    if commitment.ongoing:
        until = labels["repeat_until"].format(date=format_date(commitment.due))
        return f"{labels['ongoing']}; {until}"
    return format_due(commitment.due_label, commitment.due, labels)


def format_repeat(repeat: RepeatSpec, last: date, labels: Labels) -> str:
    """ "ежегодно, до 25 декабря", "ежеквартально, до 5 числа …", then "до 31.12.2028"."""
    every = repeat.every
    if every is Recurrence.year and repeat.by is not None:
        text = labels["repeat_year"].format(day=_day_and_month(*repeat.by, labels.language))
    else:
        text = labels[f"repeat_{every.value}"]
        if repeat.day:
            text = labels["repeat_day"].format(every=text, day=repeat.day)
    return f"{text}; {labels['repeat_until'].format(date=format_date(last))}"


def _day_and_month(month: int, day: int, language: str) -> str:
    """ "25 декабря": the day and the month's name as the language writes it in a date."""
    written = babel_date(date(2001, month, day), "d MMMM", locale=formats.babel_locale(language))
    return written if language == "en" else written.lower()


def budget_by_year(budget: BudgetSpec, labels: Labels) -> tuple[list[str], str]:
    """ "2027: РБ 1 500; МБ 300" per year, then the total; and the unit ("тыс. KZT")."""
    scale = budget.scale or 1
    years: dict[int, list[str]] = {}
    for part in budget.years:
        years.setdefault(part.year, []).append(
            f"{part.source} {format_amount(part.amount, '', labels)}"
        )
    lines = [f"{year}: {'; '.join(parts)}" for year, parts in sorted(years.items())]
    lines.append(f"{labels['total']}: {format_amount(budget.amount / scale, '', labels)}")
    unit = (
        labels[f"scale_{scale}"].format(currency=budget.currency) if scale > 1 else budget.currency
    )
    return lines, unit
