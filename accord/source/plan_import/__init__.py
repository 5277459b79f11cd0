"""A coordinator's spreadsheet of activities turned into an `accord/v1` agreement source.

Coordinators draft joint plans in Excel. This reads such a sheet (columns found by
their Russian, state-language or English names, texts per language in columns suffixed
" (ru)", " (kk)" …) and writes the YAML the secretariat then keeps under `agreements/`.
Plans as the region prints them read too: a header over two or three merged rows with the
budget over its years ("Предполагаемые расходы (тыс. тенге)" / 2025 / 2026), a row of column
numbers, objectives as heading rows across the table, lead and co-responsible bodies in one
cell, recurring and range deadlines. Every bad cell is reported at once, by sheet, row and
column; nothing half-read comes out; columns it does not read are listed in `notes`.
"""

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from accord.i18n.languages import written_tag
from accord.source.field_readers import expected_language
from accord.source.plan_import.errors import PlanImportInvalid
from accord.source.plan_import.headers import Sheet, find_table, sheet_title
from accord.source.plan_import.organisations import Organisations
from accord.source.plan_import.rows import read_rows
from accord.source.plan_import.yaml_writer import Source, source_text
from accord.source.spec import AgreementKind
from accord.source.zip_parts import zip_size

__all__ = ["FILE_LIMIT", "ImportedPlan", "PlanImportInvalid", "file_too_large", "import_plan"]

_YEARS = re.compile(r"(20\d\d)\s*[-–—]\s*(20\d\d)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


FILE_LIMIT = 20 * 1024 * 1024
"""Bytes of a plan workbook: a plan of thousands of activities takes a few hundred KB."""
UNPACKED_LIMIT = 50 * 1024 * 1024
"""Bytes the workbook may unpack to: openpyxl holds every cell in memory, several times over."""
PART_LIMIT = 2_000
ROW_LIMIT = 10_000
"""Rows with content per sheet: no plan has this many activities; a sheet that does is
refused before it is loaded whole."""


@dataclass(frozen=True)
class ImportedPlan:
    """The agreement source, and what the sheet held that it leaves out (unknown columns)."""

    text: str
    notes: tuple[str, ...]


def import_plan(
    data: bytes,
    *,
    agreement_id: str,
    kind: str,
    languages: Sequence[str],
    country: str,
    secretariat: str,
    known_orgs: Mapping[str, set[str]],
    title: Mapping[str, str],
    file_name: str = "plan.xlsx",
    until: date | None = None,
) -> ImportedPlan:
    """The agreement source for the plan in `data`, or PlanImportInvalid with every problem.

    A recurring deadline runs until `until`, else the end of the last year the sheet's title
    (or the given title) names: "на 2025–2027 годы"."""
    problems = _check_arguments(kind, languages, secretariat, known_orgs, title)
    languages = [tag for language in languages if (tag := written_tag(language))]  # uz: uz-Latn
    if not languages:  # which columns hold which language cannot be told
        raise PlanImportInvalid(problems)
    title = {written_tag(language) or language: text for language, text in title.items()}
    _check_size(data, file_name)
    workbook = _open(data, file_name)
    table = find_table(workbook, file_name, tuple(languages))
    if isinstance(table, str):
        raise PlanImportInvalid([*problems, table])
    plan_end = until or _plan_end(table, title)
    rows = read_rows(table, tuple(languages), Organisations.of(known_orgs), country, plan_end)
    if not rows and not table.problems:
        expected = "expected one row per activity under it"
        table.problems.append(f"{table.where}: no activities below the header row ({expected})")
    problems += table.problems
    if problems:
        raise PlanImportInvalid(problems)
    source = Source(
        agreement_id, kind, tuple(languages), country, secretariat, dict(title), plan_end
    )
    notes = tuple(table.unknown)
    return ImportedPlan(source_text(source, sheet_title(table), rows, table, notes), notes)


def _plan_end(table: Sheet, title: Mapping[str, str]) -> date | None:
    """The last day of the last year the plan's title names, or of its last budget year."""
    for text in (sheet_title(table), *title.values()):
        years = _YEARS.search(text) or _YEAR.search(text)
        if years:
            return date(int(years.groups()[-1]), 12, 31)
    if table.years:
        return date(max(column.year for column in table.years.values()), 12, 31)
    return None


def _check_arguments(
    kind: str,
    languages: Sequence[str],
    secretariat: str,
    known_orgs: Mapping[str, set[str]],
    title: Mapping[str, str],
) -> list[str]:
    """What the caller (not the sheet) got wrong, in the same words."""
    problems: list[str] = []
    kinds = [k.value for k in AgreementKind]
    if kind not in kinds:
        problems.append(
            f"kind: '{kind}' is not a kind of agreement (expected {' or '.join(kinds)})"
        )
    if not languages:
        problems.append("languages: none given (expected at least one, like ru)")
    problems += [
        f"languages: '{language}' is not a language Accord knows ({expected_language(language)})"
        for language in languages
        if written_tag(language) is None
    ]
    problems += [
        f"title: no text in '{language}' (expected a title in every language of the plan)"
        for language in languages
        if not title.get(language, "").strip()
    ]
    if secretariat not in known_orgs:
        problems.append(f"secretariat: unknown organisation '{secretariat}' (expected an id)")
    return problems


def file_too_large(file_name: str, size: int) -> PlanImportInvalid:
    """Said before the file is read when its size is known first (the command line)."""
    return PlanImportInvalid(
        [
            f"{file_name}: {size / 1024 / 1024:.1f} MB is too large for a plan "
            f"(expected at most {FILE_LIMIT // 1024 // 1024} MB)"
        ]
    )


def _check_size(data: bytes, file_name: str) -> None:
    """Refuse a workbook that would take the memory of the machine to open: too large, a zip
    bomb, or too many rows (counted streaming, a row at a time)."""
    if len(data) > FILE_LIMIT:
        raise file_too_large(file_name, len(data))
    try:
        size = zip_size(data)
    except zipfile.BadZipFile:
        return  # _open says it is not a workbook
    if size.parts > PART_LIMIT or size.unpacked > UNPACKED_LIMIT:
        unpacked = f"{size.unpacked / 1024 / 1024:.0f} MB in {size.parts} parts"
        limit = f"{UNPACKED_LIMIT // 1024 // 1024} MB in {PART_LIMIT} parts"
        raise PlanImportInvalid(
            [f"{file_name}: unpacks to {unpacked}, too large for a plan (expected at most {limit})"]
        )
    for title, rows in _rows_per_sheet(data):
        if rows > ROW_LIMIT:
            raise PlanImportInvalid(
                [
                    f"{file_name}: sheet '{title}' has more than {ROW_LIMIT} rows with content "
                    f"(expected one row per activity, at most {ROW_LIMIT})"
                ]
            )


def _rows_per_sheet(data: bytes) -> list[tuple[str, int]]:
    """Rows with content per sheet, counted up to one past the limit, in read-only mode."""
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # _open says what is wrong with it
        return []
    try:
        counts = []
        for sheet in workbook.worksheets:
            rows = 0
            for row in sheet.iter_rows(values_only=True):
                rows += any(value is not None for value in row)
                if rows > ROW_LIMIT:
                    break
            counts.append((sheet.title, rows))
        return counts
    finally:
        workbook.close()


def _open(data: bytes, file_name: str) -> Workbook:
    """The workbook, or a message that the file is not one (openpyxl fails in many ways)."""
    try:
        return load_workbook(BytesIO(data), data_only=True)
    except Exception as error:  # any failure to parse means the same thing to the coordinator
        reason = f"{type(error).__name__}: {error}"
        raise PlanImportInvalid(
            [f"{file_name}: not an Excel workbook (expected an .xlsx file; {reason})"]
        ) from error
