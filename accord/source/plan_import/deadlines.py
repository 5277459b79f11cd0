"""Deadlines as plans write them: a date or quarter, a year or a range of years ("2025–2027
годы"), a month ("декабрь 2027 года"), or a recurring one ("ежегодно, до 25 декабря",
"ежеквартально, до 5 числа", "жыл сайын", "har chorakda") or an ongoing activity
("постоянно", "тұрақты", "doimiy"), either of which runs until the plan's end.

A reader returns None for what it cannot read; the row reports it where it stands.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from accord.source.plan_import.cells import deadline_of

DEADLINE_EXPECTED = (
    'expected DD.MM.YYYY, a quarter like "II кв. 2027", a year or years like "2025–2027 годы", '
    'a recurring deadline like "ежегодно, до 25 декабря" or "ежеквартально", '
    'or "постоянно"'
)
RECURRING = {
    "year": ("ежегодно", "жыл сайын", "har yili", "ҳар йили", "har yil", "ҳар йил"),
    "half_year": (
        "раз в полугодие", "ежеполугодно", "каждое полугодие", "жарты жылда бір рет",
        "жарым жылда бир жолу", "har yarim yilda", "ҳар ярим йилда",
    ),
    "quarter": (
        "ежеквартально", "тоқсан сайын", "чейрек сайын", "ар бир чейрек", "ар чейректе",
        "har chorakda", "ҳар чоракда", "har chorak", "ҳар чорак",
    ),
    "month": ("ежемесячно", "ай сайын", "har oyda", "ҳар ойда", "har oy", "ҳар ой"),
}  # fmt: skip
"""Words for each period in Russian, Kazakh, Kyrgyz and Uzbek (both scripts)."""
ONGOING = (
    "постоянно", "на постоянной основе", "тұрақты", "туруктуу", "дайыма", "doimiy", "доимий",
    "доимӣ", "yzygiderli", "ongoing", "continuously",
)  # fmt: skip
"""Words plans write for what is done throughout the plan rather than by a deadline."""
MONTH_STEMS = (
    ("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("мая", 5), ("май", 5),
    ("июн", 6), ("июл", 7), ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11),
    ("декабр", 12), ("қаңтар", 1), ("ақпан", 2), ("наурыз", 3), ("сәуір", 4), ("мамыр", 5),
    ("маусым", 6), ("шілде", 7), ("тамыз", 8), ("қыркүйек", 9), ("қазан", 10), ("қараша", 11),
    ("желтоқсан", 12), ("yanvar", 1), ("fevral", 2), ("mart", 3), ("aprel", 4), ("may", 5),
    ("iyun", 6), ("iyul", 7), ("avgust", 8), ("sentabr", 9), ("sentyabr", 9), ("oktabr", 10),
    ("oktyabr", 10), ("noyabr", 11), ("dekabr", 12),
)  # fmt: skip
"""Month names by their stem: Russian (and Kyrgyz and Uzbek Cyrillic), Kazakh, Uzbek Latin."""
_YEARS = re.compile(r"(20\d\d)\s*(?:[-–—]|по|до)\s*(20\d\d)")
_YEAR = re.compile(
    r"(?:в течение\s+|в\s+)?(20\d\d)\s*-?\s*"
    r"(?:год|года|г\.?|гг\.?|жыл|жылы|ж\.?|йил|йилда|yil|yilda)?"
)
_YEARS_WORD = re.compile(r"[\s-]*(годы|годов|гг\.?|жылдар|жж\.?|йиллар|yillar)$")
_HALF = re.compile(r"(i|ii|1|2)\s*-?\s*(?:е\s+)?полугоди[ея]\s*(20\d\d)")
_WORD = re.compile(r"[^\W\d_]+'?[^\W\d_]*")
_DAY = re.compile(r"(?<!\d)([1-9]|[12]\d|3[01])(?!\d)")


@dataclass(frozen=True)
class Deadline:
    """The source's `due` (a date or quarter) and, for a recurring deadline, its `repeat`."""

    due: str
    repeat: dict[str, str | int] | None = None
    ongoing: bool = False
    """Done continuously («постоянно») until `due`."""


def read_deadline(value: object, plan_end: date | None) -> Deadline | str:
    """The deadline in a cell, or the reason it cannot be one (DEADLINE_EXPECTED or a missing
    plan end for a recurring deadline)."""
    once = deadline_of(value)
    if once is not None:
        return Deadline(once)
    if not isinstance(value, str):
        return DEADLINE_EXPECTED
    text = " ".join(value.replace("ё", "е").replace("’", "'").split()).casefold()
    every = next((e for e, words in RECURRING.items() if any(w in text for w in words)), None)
    if every is not None:
        return _recurring(every, text, plan_end)
    if any(re.match(rf"{word}(?!\w)", text) for word in ONGOING):
        return _ongoing(text, plan_end)
    return _period(text) or DEADLINE_EXPECTED


def _until(text: str, plan_end: date | None) -> date | str:
    """The end of the years the cell names, else the plan's end, else why it is not known."""
    years = _YEARS.search(text)
    end = date(int(years.group(2)), 12, 31) if years else plan_end
    if end is None:
        return (
            "a recurring or ongoing deadline runs until the plan ends, and the plan does not "
            "say when (expected years in the title like 'на 2025–2027 годы', or --until)"
        )
    return end


def _ongoing(text: str, plan_end: date | None) -> Deadline | str:
    """«постоянно»: carried out until the end of the years named, else of the plan."""
    end = _until(text, plan_end)
    return end if isinstance(end, str) else Deadline(end.isoformat(), ongoing=True)


def _recurring(every: str, text: str, plan_end: date | None) -> Deadline | str:
    """Until the end of the years the cell names, else the plan's end; on the day it gives."""
    end = _until(text, plan_end)
    if isinstance(end, str):
        return end
    rest = _YEARS.sub(" ", text)
    repeat: dict[str, str | int] = {"every": every}
    month = _month(rest)
    day = _DAY.search(rest)
    if every == "year" and month is not None:
        day_of = int(day.group(1)) if day else calendar.monthrange(2001, month)[1]
        if day_of > calendar.monthrange(2001, month)[1]:
            return DEADLINE_EXPECTED
        repeat["by"] = f"{month:02d}-{day_of:02d}"
    elif every != "year" and day is not None and int(day.group(1)) <= 28:
        repeat["day"] = int(day.group(1))
    return Deadline(end.isoformat(), repeat)


def _period(text: str) -> Deadline | None:
    """A range of years (recurring yearly), a half-year, a month of a year, or one year."""
    text = re.sub(r"^(до|by)\s+", "", text)
    years = _YEARS.fullmatch(
        re.sub(r"[\s-]*(годы|годов|гг\.?|жылдар|жж\.?|йиллар|yillar)$", "", text)
    )
    if years:
        first, last = int(years.group(1)), int(years.group(2))
        if first > last:
            return None
        if first == last:
            return Deadline(f"{last}-12-31")
        return Deadline(f"{last}-12-31", {"every": "year", "by": "12-31"})
    half = _HALF.fullmatch(re.sub(r"\s*(года|г\.?)$", "", text))
    if half:
        end = "06-30" if half.group(1) in ("i", "1") else "12-31"
        return Deadline(f"{half.group(2)}-{end}")
    year = re.search(r"20\d\d", text)
    if year is None:
        return None
    named, day = _month(text), _DAY.search(text.replace(year.group(), " "))
    if named is not None:
        return _day_of(int(year.group()), named, int(day.group(1)) if day else None)
    return Deadline(f"{year.group()}-12-31") if _YEAR.fullmatch(text) else None


def _day_of(year: int, month: int, day: int | None) -> Deadline | None:
    """«25 декабря 2027 года», or the month's last day for «декабрь 2027 года»."""
    last = calendar.monthrange(year, month)[1]
    if day is not None and day > last:
        return None
    return Deadline(date(year, month, day or last).isoformat())


def _month(text: str) -> int | None:
    for word in _WORD.findall(text):
        for stem, number in MONTH_STEMS:
            if word.startswith(stem):
                return number
    return None
