"""Calendar override files: days a government made non-working or working by decree.

One file per country (`calendars/KZ.yaml` …), read with positions like agreement
sources, so a secretariat can add a decree's days before the `holidays` package
knows them, and every mistake is reported as `file:line:column: what (expected)`.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from accord.errors import AccordError
from accord.source import field_readers as fr
from accord.source.field_readers import Report
from accord.source.iso_codes import COUNTRY_CODES
from accord.source.problems import Problem, SourceInvalid
from accord.source.source_files import display_path
from accord.source.yaml_nodes import Mapping, Node, Sequence, read_yaml_file

TOP_KEYS = ("country", "days_off", "working_days")
DAY_KEYS = ("date", "name", "decree")
DECREE_KEYS = ("title", "number", "date", "source")
LISTS = {"days_off": "a day off", "working_days": "a working day"}
"""The two lists and how a day in each is named in messages."""


class OverridesFolderMissing(AccordError):
    """ACCORD_CALENDARS_DIR names no folder: decrees would be silently ignored."""


@dataclass(frozen=True)
class Decree:
    """Where a moved day comes from: the act as published; number and date when confirmed."""

    title: str
    number: str | None = None
    date: dt.date | None = None
    source: str | None = None

    def cited(self) -> str:
        """`Title No. <number> of <YYYY-MM-DD>`, leaving out what is not confirmed."""
        parts = [self.title]
        if self.number:
            parts.append(f"No. {self.number}")
        if self.date:
            parts.append(f"of {self.date.isoformat()}")
        return " ".join(parts)


@dataclass(frozen=True)
class OverrideDay:
    day: dt.date
    working: bool
    """True: a weekend day or holiday made working; False: a day made non-working."""
    decree: Decree
    name: str | None
    path: str
    line: int
    column: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class CountryOverrides:
    country: str
    path: str
    days: tuple[OverrideDay, ...]

    def by_date(self) -> dict[dt.date, OverrideDay]:
        return {day.day: day for day in self.days}


def load_overrides(
    directory: Path, *, known_country: Callable[[str], bool]
) -> dict[str, CountryOverrides]:
    """Every `*.yaml` file of `directory`, validated together; SourceInvalid lists all problems."""
    if not directory.is_dir():
        raise OverridesFolderMissing(
            f"calendar overrides folder {directory} not found (expected a folder of files "
            "such as KZ.yaml; set ACCORD_CALENDARS_DIR)"
        )
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))
    problems: list[Problem] = []
    result: dict[str, CountryOverrides] = {}
    for file in files:
        report = Report(display_path(file))
        overrides = read_override_file(file, report, known_country=known_country)
        problems.extend(report.problems)
        if overrides is None:
            continue
        if overrides.country in result:
            first = result[overrides.country].path
            problems.append(
                Problem(
                    report.path,
                    1,
                    1,
                    f"second file for country {overrides.country} "
                    f"(expected one file per country; the first is {first})",
                )
            )
            continue
        result[overrides.country] = overrides
    if problems:
        raise SourceInvalid(problems)
    return result


def read_override_file(
    file: Path, report: Report, *, known_country: Callable[[str], bool]
) -> CountryOverrides | None:
    """One file's overrides, or None when it has problems (they are in `report`)."""
    parsed = read_yaml_file(file, display=report.path)
    report.problems.extend(parsed.problems)
    if parsed.root is None or parsed.problems:
        return None
    return parse_overrides(parsed.root, report, stem=file.stem, known_country=known_country)


def parse_overrides(
    root: Node, report: Report, *, stem: str, known_country: Callable[[str], bool]
) -> CountryOverrides | None:
    top = fr.mapping_of(root, report, "calendar overrides file")
    if top is None:
        return None
    fr.check_keys(top, report, allowed=TOP_KEYS, required=("country",), context="the file")
    country = _country(top, report, stem=stem, known_country=known_country)
    days: list[OverrideDay] = []
    for key, kind in LISTS.items():
        node = fr.value_of(top, key)
        if node is None or fr.is_null(node):
            continue
        items = fr.list_of(node, report, key)
        if items is not None:
            days.extend(_days(items, report, working=key == "working_days", kind=kind))
    _check_each_date_once(days, report)
    if country is None or report.problems:
        return None
    return CountryOverrides(country, report.path, tuple(sorted(days, key=lambda d: d.day)))


def _country(
    top: Mapping, report: Report, *, stem: str, known_country: Callable[[str], bool]
) -> str | None:
    node = fr.value_of(top, "country")
    if node is None:
        return None
    code = fr.text_of(node, report, "country")
    if code is None:
        return None
    if code not in COUNTRY_CODES or not known_country(code):
        hint = f"; did you mean '{code.upper()}'?" if code.upper() in COUNTRY_CODES else ""
        report.add(
            node,
            f"unknown country '{code}' (expected an ISO 3166-1 alpha-2 code the "
            f"holidays package has a calendar for, such as KZ, KG, TJ, UZ, TM{hint})",
        )
        return None
    if stem.upper() != code:
        report.add(node, f"country {code} in a file named {stem} (expected the file {code}.yaml)")
        return None
    return code


def _days(items: Sequence, report: Report, *, working: bool, kind: str) -> Iterable[OverrideDay]:
    for item in items.items:
        entry = fr.mapping_of(item, report, kind)
        if entry is None:
            continue
        fr.check_keys(entry, report, allowed=DAY_KEYS, required=("date",), context=kind)
        date_node = fr.value_of(entry, "date")
        day = fr.date_of(date_node, report, "date") if date_node is not None else None
        name = fr.optional(entry, "name", fr.text_of, report)
        decree = _decree(entry, report)
        if day is not None and decree is not None and date_node is not None:
            where = (date_node.line, date_node.column)
            yield OverrideDay(day, working, decree, name, report.path, *where)


def _decree(entry: Mapping, report: Report) -> Decree | None:
    node = fr.value_of(entry, "decree")
    if node is None or fr.is_null(node):
        report.add(
            entry,
            "missing decree reference (expected decree: with title, number, "
            "date and source of the act that moved this day)",
        )
        return None
    decree = fr.mapping_of(node, report, "decree")
    if decree is None:
        return None
    fr.check_keys(decree, report, allowed=DECREE_KEYS, required=("title",), context="decree")
    title = fr.optional(decree, "title", fr.text_of, report, "decree title")
    number = fr.optional(decree, "number", fr.text_of, report, "decree number")
    signed = fr.optional(decree, "date", fr.date_of, report, "decree date")
    source = fr.optional(decree, "source", fr.text_of, report, "decree source")
    return Decree(title, number, signed, source) if title is not None else None


def _check_each_date_once(days: list[OverrideDay], report: Report) -> None:
    first: dict[dt.date, OverrideDay] = {}
    for day in days:
        earlier = first.get(day.day)
        if earlier is None:
            first[day.day] = day
        elif earlier.working == day.working:
            message = f"duplicate date {day.day} (first at line {earlier.line})"
            report.problems.append(Problem(report.path, day.line, day.column, message))
        else:
            report.problems.append(
                Problem(
                    report.path,
                    day.line,
                    day.column,
                    f"{day.day} is both {_kind(earlier)} (line {earlier.line}) and {_kind(day)} "
                    "(expected it in one list only)",
                )
            )


def _kind(day: OverrideDay) -> str:
    return LISTS["working_days" if day.working else "days_off"]
