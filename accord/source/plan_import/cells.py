"""Values read from spreadsheet cells: text, dates and quarters, amounts, currencies.

Coordinators type these by hand, in Russian, Kazakh or English; each reader says what it
could not read by returning None, and the row reports it where it stands.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

NATIONAL_CURRENCY = {"KZ": "KZT", "KG": "KGS", "TJ": "TJS", "UZ": "UZS", "TM": "TMT"}
"""Used when a sheet has no currency column: plans in the region budget in national money."""
CURRENCY_WORDS = {
    "тенге": "KZT", "тг": "KZT", "сом": "KGS", "сомони": "TJS", "сум": "UZS", "манат": "TMT",
    "руб": "RUB", "рубль": "RUB", "$": "USD", "долл": "USD", "доллар сша": "USD", "€": "EUR",
    "евро": "EUR", "теңге": "KZT", "сомов": "KGS", "сумов": "UZS", "сўм": "UZS", "so'm": "UZS",
    "usd": "USD", "долл. сша": "USD",
}  # fmt: skip
SCALE_WORDS = {
    "тыс": 1000, "тысяч": 1000, "мың": 1000, "миң": 1000, "минг": 1000, "ming": 1000,
    "млн": 1000000, "миллион": 1000000, "million": 1000000, "mln": 1000000,
}  # fmt: skip
_APOSTROPHES = re.compile("[’ʻʼ‘`]")
_UNIT = re.compile(r"(.*?)\s*(?:\((.*)\)|,\s*([^,]*))")
_QUOTES = re.compile("[«»\"“”„'`]")
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_QUARTERS = (
    re.compile(r"(?P<year>\d{4})\s*-?\s*q(?P<q>[1-4])"),
    re.compile(r"q(?P<q>[1-4])\s*(?P<year>\d{4})"),
    re.compile(r"(?P<q>iv|iii|ii|i|[1-4])\s*-?\s*(?:кв\.?|квартал)\s*(?P<year>\d{4})"),
    re.compile(r"(?P<year>\d{4})\s*(?:ж\.?)?\s*(?P<q>iv|iii|ii|i|[1-4])\s*тоқсан"),
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious '.0', dates as DD.MM.YYYY, lines kept."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    lines = (" ".join(line.split()) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


def shown(value: object) -> str:
    return " ".join(cell_text(value).split())


def normalise(text: str) -> str:
    """Header text compared loosely: case, ё, spacing, the Uzbek apostrophe's many forms, a
    trailing ':' or '*' do not matter."""
    text = _APOSTROPHES.sub("'", text.replace("ё", "е").replace("Ё", "Е"))
    return " ".join(text.split()).casefold().rstrip(":*").strip()


class Unit(NamedTuple):
    """A budget header's unit: «тыс. тенге» is (1000, KZT); None where it does not say."""

    scale: int | None
    currency: str | None


def unit_of(header: str) -> tuple[str, Unit]:
    """A normalised header without its unit in brackets or after a comma, and that unit."""
    found = _UNIT.fullmatch(header)
    if not found:
        return header, Unit(None, None)
    inside = found.group(2) if found.group(2) is not None else found.group(3)
    words = re.findall(r"[^\s.,()]+", inside)
    scale = next((SCALE_WORDS[w] for w in words if w in SCALE_WORDS), None)
    currency = next((CURRENCY_WORDS[w] for w in words if w in CURRENCY_WORDS), None)
    if scale is None and currency is None:
        return header, Unit(None, None)
    return found.group(1).strip(" ,"), Unit(scale, currency)


def org_key(text: str) -> str:
    """Organisation names compared loosely: case, quotes, ё and spacing do not matter."""
    plain = _QUOTES.sub(" ", text.replace("ё", "е").replace("Ё", "Е"))
    return " ".join(plain.split()).casefold().rstrip(".")


def deadline_of(value: object) -> str | None:
    """The deadline as the source writes it (2027-06-30 or 2027-Q2), or None if unreadable."""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if not isinstance(value, str):
        return None
    text = re.sub(r"^(до|by)\s+", "", value.strip().casefold())
    text = re.sub(r"\s*(г\.?|года|ж\.?)$", "", text)
    for pattern in (_DMY, _ISO):
        found = pattern.fullmatch(text)
        if found:
            numbers = [int(part) for part in found.groups()]
            day, month, year = numbers if pattern is _DMY else numbers[::-1]
            return _iso_date(year, month, day)
    return _quarter(text)


def _iso_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _quarter(text: str) -> str | None:
    for pattern in _QUARTERS:
        found = pattern.fullmatch(text)
        if found:
            q = found.group("q")
            return f"{found.group('year')}-Q{_ROMAN.get(q) or int(q)}"
    return None


def amount_of(value: object) -> Decimal | None:
    """A number from a cell: Excel's own, or text like '1 500 000,50' or '1,500,000.50'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, str):
        text = re.sub(r"[\s\u00a0\u202f]", "", value)
        text = text.replace(",", "") if "." in text else text.replace(",", ".")
    else:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None
