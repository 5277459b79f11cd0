"""The header row: which column holds which field, in which language.

Columns are found by their Russian, Kazakh or English names; texts per language sit in
columns suffixed with the language (" (ru)", " (kk)", " (uz-Latn)"), unsuffixed = primary.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from accord.i18n.languages import parse_tag
from accord.source.plan_import.cells import normalise

HEADER_SEARCH_ROWS = 20
"""Rows above the table (a title, a date) that may come before the header row."""
TEXT_FIELDS = ("objective", "activity", "indicator", "funding")
"""Columns with text per language; the others hold one value."""
REQUIRED = ("activity", "responsible", "deadline")
ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("№", "№ п/п", "n", "no", "no.", "nr", "#", "number"),
    "objective": ("задача", "задачи", "цель", "objective", "objectives", "міндет"),
    "activity": (
        "мероприятие", "мероприятия", "наименование мероприятия", "activity", "activities",
        "іс-шара",
    ),
    "responsible": (
        "ответственный", "ответственные", "ответственный исполнитель",
        "ответственные исполнители", "исполнитель", "исполнители", "responsible",
        "responsible organisation", "responsible organization", "lead", "жауапты орындаушы",
    ),
    "partners": ("партнеры", "соисполнители", "partners", "серіктестер"),
    "deadline": (
        "срок", "сроки", "срок исполнения", "срок выполнения", "сроки исполнения", "deadline",
        "due", "due date", "мерзімі", "орындау мерзімі",
    ),
    "indicator": ("индикатор", "индикаторы", "показатель", "indicator", "indicators"),
    "baseline": ("базовое значение", "исходное значение", "baseline", "бастапқы мән"),
    "target": ("целевое значение", "target", "нысаналы мән"),
    "budget": ("бюджет", "сумма", "budget", "amount", "бюджеті"),
    "currency": ("валюта", "currency"),
    "funding": (
        "источник финансирования", "источники финансирования", "funding",
        "source of funding", "source of financing", "қаржыландыру көзі",
    ),
}  # fmt: skip
FIELD_NAMES = {
    "objective": "'Задача' / 'Objective'",
    "activity": "'Мероприятие' / 'Activity'",
    "responsible": "'Ответственный' / 'Responsible'",
    "deadline": "'Срок' / 'Deadline'",
    "indicator": "'Индикатор' / 'Indicator'",
    "funding": "'Источник финансирования' / 'Funding'",
}
_SUFFIX = re.compile(r"^(.*?)\s*\(([a-z]{2}(?:[-_][a-z]{4})?)\)$")


@dataclass(frozen=True)
class Column:
    index: int
    """1-based, as Excel counts."""
    header: str
    """As written in the sheet, for messages."""


@dataclass
class Sheet:
    """The table found in one worksheet, and the problems found so far."""

    file_name: str
    sheet: Worksheet
    header_row: int
    columns: dict[tuple[str, str], Column]
    """(field, language) → column; single-value fields use the language ''."""
    problems: list[str] = field(default_factory=list)
    merged: set[tuple[int, int]] = field(default_factory=set)
    """(row, column) of cells in merged ranges: reported as a range, not cell by cell."""

    @property
    def where(self) -> str:
        return f"{self.file_name}: sheet '{self.sheet.title}'"

    def at(self, row: int, column: Column) -> str:
        letter = get_column_letter(column.index)
        return f"{self.where}, row {row}, column {letter} ({column.header})"

    def add(self, row: int, column: Column, message: str) -> None:
        if (row, column.index) not in self.merged:
            self.problems.append(f"{self.at(row, column)}: {message}")


def find_table(workbook: Workbook, file_name: str, languages: tuple[str, ...]) -> Sheet | str:
    """The first sheet with a header row, or the message saying none was found."""
    for sheet in workbook.worksheets:
        for number, cells in enumerate(
            sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
        ):
            fields = {_header_field(value, languages) for value in cells}
            if len(fields - {None}) >= 2 and fields & _anchors(languages):
                return _table(file_name, sheet, number, cells, languages)
    names = ", ".join(f"'{sheet.title}'" for sheet in workbook.worksheets)
    wanted = "'№', " + ", ".join(FIELD_NAMES[f] for f in REQUIRED)
    return (
        f"{file_name}: no header row in the first {HEADER_SEARCH_ROWS} rows of sheet {names} "
        f"(expected a row of column names such as {wanted})"
    )


def _anchors(languages: tuple[str, ...]) -> set[tuple[str, str] | None]:
    """Headers that make a row the header row (with one more recognised column)."""
    return {("responsible", ""), ("deadline", ""), *(("activity", lang) for lang in languages)}


def _header_field(value: object, languages: tuple[str, ...]) -> tuple[str, str] | None:
    """(field, language) a header names; text fields get a language, unsuffixed = primary."""
    if not isinstance(value, str) or not value.strip():
        return None
    text, language = normalise(value), ""
    suffix = _SUFFIX.fullmatch(text)
    if suffix:
        found = parse_tag(suffix.group(2))  # headers are compared casefolded: (uz-latn)
        text, language = suffix.group(1), found.tag if found else suffix.group(2)
    name = next((f for f, aliases in ALIASES.items() if text in aliases), None)
    if name is None:
        return None
    if name not in TEXT_FIELDS:
        return name, ""
    language = language or languages[0]
    return (name, language) if language in languages else None


def _table(
    file_name: str,
    sheet: Worksheet,
    header_row: int,
    cells: tuple[Any, ...],
    languages: tuple[str, ...],
) -> Sheet:
    table = Sheet(file_name, sheet, header_row, {})
    for index, value in enumerate(cells, start=1):
        key = _header_field(value, languages)
        if key is None:
            continue
        column = Column(index, " ".join(str(value).split()))
        if key in table.columns:
            first = table.columns[key]
            message = f"the same column as {get_column_letter(first.index)} ({first.header})"
            table.add(header_row, column, f"{message} (keep one of them)")
        else:
            table.columns[key] = column
    _check_header(table, languages)
    _check_merged(table)
    return table


def _check_header(table: Sheet, languages: tuple[str, ...]) -> None:
    """Required columns present; a text column present in one language is there in all."""
    where = f"{table.where}, row {table.header_row}"
    for name in REQUIRED:
        if not any(f == name for f, _ in table.columns):
            table.problems.append(
                f"{where}: no column for {FIELD_NAMES[name]} (it is required; expected a header "
                f"such as {FIELD_NAMES[name]})"
            )
    for name in TEXT_FIELDS:
        present = [lang for lang in languages if (name, lang) in table.columns]
        for language in (lang for lang in languages if present and lang not in present):
            table.problems.append(
                f"{where}: no column for {FIELD_NAMES[name]} in '{language}' (every language "
                f"of the plan needs one: a header like '{_alias(name)} ({language})')"
            )


def _alias(name: str) -> str:
    return ALIASES[name][0].capitalize()


def _check_merged(table: Sheet) -> None:
    """Merged cells hide which row a value belongs to; a merged title above the table is fine."""
    for merged in sorted(table.sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row >= table.header_row:
            table.problems.append(
                f"{table.where}, cells {merged.coord}: merged (unmerge them and put the value "
                "in every row it applies to)"
            )
            table.merged.update(merged.cells)


def sheet_title(table: Sheet) -> str:
    """Text above the header row, which coordinators use for the plan's name."""
    if table.header_row == 1:
        return ""  # iter_rows reads max_row=0 as "to the end"
    texts = [
        " ".join(str(value).split())
        for row in table.sheet.iter_rows(max_row=table.header_row - 1, values_only=True)
        for value in row
        if isinstance(value, str) and value.strip()
    ]
    return " ".join(texts)
