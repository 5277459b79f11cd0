"""The commitment register as an .xlsx workbook, because secretariats filter and sum in Excel.

Sheet "Register" has one row per tracked commitment with real dates and numbers (so
Excel sorts and sums them: a baseline, target or value that is a number is stored as one);
sheet "By organisation" counts items per status. Sheet names and headers are in the
reader's language; each sheet prints landscape, one page wide, its header row repeated on
every page. `read_register` reads a register back in any language.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from accord.documents.blocks import pick
from accord.documents.labels import known_languages, labels_for
from accord.documents.progress_types import STATUSES, Status, TrackedItem
from accord.documents.wordml import clean

SHEET_LABELS = ("sheet_register", "sheet_by_organisation")
"""The labels naming the two sheets, in order."""
NUMERIC_TEXT = frozenset({"baseline", "target", "latest_value"})
"""Free-text columns stored as numbers when the text is one ("300", "12,5")."""
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
COLUMNS = (
    ("agreement_id", "col_agreement"),
    ("commitment_id", "col_id"),
    ("number", "col_number"),
    ("objective", "col_objective"),
    ("activity", "col_activity"),
    ("responsible_org_id", "col_responsible_id"),
    ("responsible", "col_responsible"),
    ("partners", "col_partners"),
    ("due", "col_deadline"),
    ("status", "col_status"),
    ("indicator", "col_indicator_name"),
    ("baseline", "col_baseline"),
    ("target", "col_target"),
    ("latest_value", "col_latest"),
    ("latest_percent", "col_percent"),
    ("last_update_at", "col_updated"),
    ("budget_amount", "col_amount"),
    ("budget_currency", "col_currency"),
    ("funding", "col_funding"),
)
"""(key of a register row, label of its header), in sheet order."""
FORMATS = {
    "due": "DD.MM.YYYY",
    "last_update_at": "DD.MM.YYYY HH:MM",
    "latest_percent": "0",
    "budget_amount": "#,##0.00",
}
PARTNER_SEPARATOR = "; "
MAX_WIDTH = 50
LONG_TEXT = frozenset({"objective", "activity", "responsible", "partners", "indicator", "funding"})
"""Columns whose text wraps inside MAX_WIDTH instead of running into the next cell."""
WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
RegisterValue = str | int | date | datetime | Decimal | None
RegisterRow = dict[str, RegisterValue]


def register_row(item: TrackedItem, language: str) -> RegisterRow:
    """What the register holds of `item`: texts in `language`, empty texts as None."""
    text = {
        "objective": pick(item.objective_title, language),
        "activity": pick(item.activity, language),
        "responsible": pick(item.responsible_name, language),
        "partners": PARTNER_SEPARATOR.join(pick(name, language) for name in item.partners),
        "indicator": pick(item.indicator, language),
        "funding": pick(item.funding, language),
    }
    values: RegisterRow = {
        "agreement_id": item.agreement_id,
        "commitment_id": item.commitment_id,
        "number": item.number or None,
        "responsible_org_id": item.responsible_org_id,
        "due": item.due,
        "status": item.status,
        "baseline": item.baseline,
        "target": item.target,
        "latest_value": item.latest_value,
        "latest_percent": item.latest_percent,
        "last_update_at": _to_second(item.last_update_at),
        "budget_amount": item.budget_amount,
        "budget_currency": item.budget_currency,
    }
    values |= {key: value or None for key, value in text.items()}
    return {key: values[key] for key, _ in COLUMNS}


def sheet_names(language: str) -> tuple[str, str]:
    """The register's and the by-organisation sheet's names in `language`, as Excel allows
    them (31 characters, none of []:*?/\\)."""
    labels = labels_for(language)
    register, by_org = (_NOT_IN_SHEET_NAMES.sub(" ", labels[key])[:31] for key in SHEET_LABELS)
    return register, by_org


def export_register(items: Sequence[TrackedItem], *, language: str) -> bytes:
    """The register of `items` with sheet names, headers and statuses in `language`."""
    workbook = Workbook()
    register = workbook.active
    assert register is not None, "a new workbook has one sheet"
    register_name, by_org_name = sheet_names(language)
    register.title = register_name
    ordered = sorted(items, key=lambda i: (i.agreement_id, i.due, i.commitment_id))
    _fill_register(register, [register_row(item, language) for item in ordered], language)
    _fill_by_organisation(workbook.create_sheet(by_org_name), ordered, language)
    workbook.properties.creator = "Accord"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_register(data: bytes) -> list[RegisterRow]:
    """The rows of a register written by `export_register`, whatever its language."""
    workbook = load_workbook(BytesIO(data), data_only=True)
    sheet = workbook.worksheets[0]  # the register comes first, whatever its language
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, ())
    keys = [_header_keys().get(str(title).strip()) if title else None for title in header]
    out: list[RegisterRow] = []
    for values in rows:
        if any(value is not None for value in values):
            found = {k: v for k, v in zip(keys, values, strict=False) if k is not None}
            out.append({key: _read_value(key, found.get(key)) for key, _ in COLUMNS})
    return out


def _fill_register(sheet: Worksheet, rows: list[RegisterRow], language: str) -> None:
    labels = labels_for(language)
    _header(sheet, [labels[label] for _, label in COLUMNS])
    for row in rows:
        cells = [_cell_value(key, row[key], language) for key, _ in COLUMNS]
        sheet.append(cells)
    for index, (key, _) in enumerate(COLUMNS, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = FORMATS.get(key, cell.number_format)
            cell.alignment = WRAPPED if key in LONG_TEXT else TOP
    _finish(sheet)


def _fill_by_organisation(sheet: Worksheet, items: Sequence[TrackedItem], language: str) -> None:
    """Counts per status for each responsible organisation, organisations by name."""
    labels = labels_for(language)
    statuses = [labels[f"status_{status}"] for status in STATUSES]
    _header(
        sheet, [labels["col_responsible_id"], labels["col_responsible"], *statuses, labels["total"]]
    )
    counts: dict[str, Counter[Status]] = {}
    names: dict[str, str] = {}
    for item in items:
        counts.setdefault(item.responsible_org_id, Counter())[item.status] += 1
        names.setdefault(item.responsible_org_id, pick(item.responsible_name, language))
    for org in sorted(counts, key=lambda org: (names[org].casefold(), org)):
        per_status = [counts[org][status] for status in STATUSES]
        sheet.append([org, _text(names[org]), *per_status, sum(per_status)])
    _finish(sheet)


def _header(sheet: Worksheet, titles: Iterable[str]) -> None:
    sheet.append(list(titles))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = WRAPPED


def _finish(sheet: Worksheet) -> None:
    """Header frozen, a filter on every column, widths that fit the content (up to a limit),
    printed landscape on A4, one page wide, the header row on every page."""
    _no_formulas(sheet)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        longest = max((len(_shown(value)) for value in column), default=0)
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        return "00.00.0000 00:00"
    if isinstance(value, date):
        return "00.00.0000"
    return "" if value is None else str(value)


def _cell_value(key: str, value: RegisterValue, language: str) -> Any:
    """What goes in the cell: statuses by name, times as naive UTC (Excel has no time zones)."""
    if key == "status" and isinstance(value, str):
        return labels_for(language)[f"status_{value}"]
    if key in NUMERIC_TEXT and isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = Decimal(value.strip().replace(",", "."))
        return int(number) if number == number.to_integral_value() else number
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        return _text(value)
    return value


def _text(value: str) -> str:
    """Text without the characters XML forbids (openpyxl refuses them)."""
    return clean(value)


def _no_formulas(sheet: Worksheet) -> None:
    """Text that starts with '=' stays text: a register never runs what a source file wrote."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _read_value(key: str, value: object) -> RegisterValue:
    if value is None or value == "":
        return None
    if key == "due" and isinstance(value, datetime):
        return value.date()
    if key == "last_update_at" and isinstance(value, datetime):
        return value.replace(tzinfo=UTC)
    if key == "latest_percent" and isinstance(value, int | float):
        return int(value)
    if key == "budget_amount" and isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if key == "status":
        return _status_names().get(str(value), str(value))
    if key in NUMERIC_TEXT and isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return value if isinstance(value, date) else str(value)


def _to_second(moment: datetime | None) -> datetime | None:
    """Excel keeps times to about a millisecond: the register keeps whole seconds, in UTC."""
    if moment is None:
        return None
    aware = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.replace(microsecond=0)


@cache
def _header_keys() -> dict[str, str]:
    """Header text in any known language → row key."""
    return {
        labels_for(language)[label]: key for language in known_languages() for key, label in COLUMNS
    }


@cache
def _status_names() -> dict[str, str]:
    """A status as printed in any known language → its code."""
    return {
        labels_for(language)[f"status_{status}"]: status
        for language in known_languages()
        for status in STATUSES
    }
