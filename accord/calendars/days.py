"""The values a calendar answers with: which days differ from their weekday, and why."""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

WEEKEND = frozenset({5, 6})
"""Saturday and Sunday (`date.weekday()` numbers): the weekend in all five countries."""


class Source(StrEnum):
    """Why a day is what it is, in the words `accord calendar` prints."""

    PACKAGE = "holidays package"
    LAW = "law"
    DECREE = "override"


@dataclass(frozen=True)
class CalendarDay:
    """A day that is not what its weekday says: a holiday, a moved day off, a worked weekend."""

    day: dt.date
    working: bool
    name: str
    source: Source
    basis: str
    """The package and its version, the law cited, or the decree and the file line."""
