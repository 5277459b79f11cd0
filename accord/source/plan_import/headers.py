"""The header row: which column holds which field, in which language.

Columns are found by their Russian, Kazakh or English names; texts per language sit in
columns suffixed with the language (" (ru)", " (kk)", " (uz-Latn)"), unsuffixed = primary.
"""

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from accord.i18n.languages import parse_tag
from accord.source.plan_import.cells import Unit, normalise, unit_of

HEADER_SEARCH_ROWS = 20
"""Rows above the table (a title, a date) that may come before the header row."""
HEADER_DEPTH = 3
"""At most this many header rows: a group ("Предполагаемые расходы") over years over sources."""
TEXT_FIELDS = ("objective", "activity", "indicator", "funding", "completion", "mechanism")
"""Columns with text per language; the others hold one value."""
REQUIRED = ("activity", "responsible", "deadline")
ALIASES: dict[str, tuple[str, ...]] = {
    "number": (
        "№", "№ п/п", "n", "no", "no.", "nr", "#", "number", "р/с №", "р/с", "№ р/с", "т/б",
        "т/р", "t/r", "№ т/р",
    ),
    "objective": (
        "задача", "задачи", "цель", "objective", "objectives", "міндет", "милдет", "vazifa",
        "вазифа",
    ),
    "activity": (
        "мероприятие", "мероприятия", "наименование мероприятия", "наименование мероприятий",
        "activity", "activities", "іс-шара", "іс-шаралар", "іс-шараның атауы",
        "иш-чара", "иш-чаралар", "иш-чаранын аталышы", "чора-тадбирлар",
        "чора-тадбирлар номи", "chora-tadbirlar", "chora-tadbirlar nomi", "tadbir nomi",
    ),
    "responsible": (
        "ответственный", "ответственные", "ответственный исполнитель",
        "ответственные исполнители", "ответственные за исполнение", "исполнитель",
        "исполнители", "responsible", "responsible organisation", "responsible organization",
        "lead", "жауапты орындаушы", "жауапты орындаушылар", "орындауға жауаптылар",
        "жооптуу аткаруучу", "жооптуу аткаруучулар", "масъул ижрочилар", "масъул ижрочи",
        "mas'ul ijrochilar", "mas'ul ijrochi", "ijrochilar",
    ),
    "co_responsible": (
        "соисполнители", "соисполнитель", "co-responsible", "co-executors", "бірлесіп орындаушылар",
        "тең орындаушылар", "кошо аткаруучулар", "ҳамижрочилар", "hamijrochilar",
    ),
    "partners": ("партнеры", "partners", "серіктестер", "өнөктөштөр"),
    "deadline": (
        "срок", "сроки", "срок исполнения", "срок выполнения", "сроки исполнения",
        "срок реализации", "сроки реализации", "deadline", "due", "due date", "мерзімі",
        "орындау мерзімі", "аткаруу мөөнөтү", "мөөнөтү", "ижро муддати", "ijro muddati",
        "amalga oshirish muddati", "амалга ошириш муддати",
    ),
    "completion": (
        "форма завершения", "форма исполнения", "форма завершения мероприятия",
        "form of completion", "аяқталу нысаны", "аткаруунун формасы", "аяктоо формасы",
        "ижро шакли", "ijro shakli", "якунлаш шакли", "yakunlash shakli",
    ),
    "mechanism": (
        "механизм реализации", "механизм исполнения", "implementation mechanism",
        "іске асыру тетігі", "ишке ашыруу механизми", "амалга ошириш механизми",
        "amalga oshirish mexanizmi",
    ),
    "indicator": (
        "индикатор", "индикаторы", "показатель", "indicator", "indicators",
        "ожидаемый результат", "ожидаемые результаты", "көрсеткіш", "күтілетін нәтиже",
        "күтүлгөн натыйжа", "кутилаётган натижа", "kutilayotgan natija",
    ),
    "baseline": ("базовое значение", "исходное значение", "baseline", "бастапқы мән"),
    "target": ("целевое значение", "target", "нысаналы мән"),
    "budget": (
        "бюджет", "сумма", "budget", "amount", "бюджеті", "предполагаемые расходы",
        "прогнозируемые расходы", "объем финансирования", "стоимость", "болжамды шығыстар",
        "қаржыландыру көлемі", "болжолдуу чыгымдар", "каржылоонун көлөмү",
        "молиялаштириш ҳажми", "moliyalashtirish hajmi", "тахминий харажатлар",
        "taxminiy xarajatlar",
    ),
    "currency": ("валюта", "currency"),
    "funding": (
        "источник финансирования", "источники финансирования", "funding",
        "source of funding", "source of financing", "қаржыландыру көзі",
        "қаржыландыру көздері", "каржылоо булагы", "каржылоо булактары",
        "молиялаштириш манбаи", "молиялаштириш манбалари", "moliyalashtirish manbai",
        "moliyalashtirish manbalari",
    ),
}  # fmt: skip
TOTAL_WORDS = ("всего", "итого", "барлығы", "жиыны", "бардыгы", "жалпы", "жами", "jami", "total")
"""A budget column summing the years: read for nothing, the total is computed."""
FIELD_NAMES = {
    "objective": "'Задача' / 'Objective'",
    "activity": "'Мероприятие' / 'Activity'",
    "responsible": "'Ответственный' / 'Responsible'",
    "deadline": "'Срок' / 'Deadline'",
    "indicator": "'Индикатор' / 'Indicator'",
    "funding": "'Источник финансирования' / 'Funding'",
    "completion": "'Форма завершения' / 'Form of completion'",
    "mechanism": "'Механизм реализации' / 'Implementation mechanism'",
}
_SUFFIX = re.compile(r"^(.*?)\s*\(([a-z]{2}(?:[-_][a-z]{4})?)\)$")


@dataclass(frozen=True)
class Column:
    index: int
    """1-based, as Excel counts."""
    header: str
    """As written in the sheet, for messages."""


@dataclass(frozen=True)
class YearColumn:
    """A budget sub-column: the amounts of one year, of one source when the header names it."""

    year: int
    source: str | None


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
    depth: int = 1
    """Header rows: 2 or 3 when a merged group ("Предполагаемые расходы") has sub-columns."""
    years: dict[int, YearColumn] = field(default_factory=dict)
    """Column index → the year (and source) a budget sub-column holds."""
    unit: Unit = field(default_factory=lambda: Unit(None, None))
    """The budget header's unit ("тыс. тенге"): scale and currency."""
    unknown: list[str] = field(default_factory=list)
    """Columns with a header Accord does not read, for the importer's notes."""

    @property
    def first_data_row(self) -> int:
        return self.header_row + self.depth

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
                return _table(file_name, sheet, number, languages)
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
    text, language = unit_of(normalise(value))[0], ""
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


def _table(file_name: str, sheet: Worksheet, header_row: int, languages: tuple[str, ...]) -> Sheet:
    table = Sheet(file_name, sheet, header_row, {}, depth=_depth(sheet, header_row))
    for index, path in _column_paths(table):
        _place(table, index, path, languages)
    _check_header(table, languages)
    _check_merged(table)
    return table


def _depth(sheet: Worksheet, header_row: int) -> int:
    """How many rows the header takes: as deep as its cells are merged down, or one row more
    under a group merged across (its sub-columns)."""
    depth = 1
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == header_row:
            across = 2 if merged.max_col > merged.min_col else 1
            depth = max(depth, merged.max_row - header_row + 1, across)
    return min(depth, HEADER_DEPTH)


def _column_paths(table: Sheet) -> list[tuple[int, list[str]]]:
    """Each column's header texts from the top header row down, merged cells read as their
    first cell, each text once."""
    last = table.header_row + table.depth - 1
    sheet = table.sheet
    spans = {
        (row, column): (merged.min_row, merged.min_col)
        for merged in sheet.merged_cells.ranges
        if merged.min_row <= last and merged.max_row >= table.header_row
        for row, column in merged.cells
    }
    paths: list[tuple[int, list[str]]] = []
    for column in range(1, sheet.max_column + 1):
        path: list[str] = []
        for row in range(table.header_row, last + 1):
            at = spans.get((row, column), (row, column))
            text = " ".join(str(sheet.cell(*at).value or "").split())
            if text and text not in path:
                path.append(text)
        if path:
            paths.append((column, path))
    return paths


def _place(table: Sheet, index: int, path: list[str], languages: tuple[str, ...]) -> None:
    """Put one column where its header says: a field, a budget year, or among the unknown."""
    found = [(at, key) for at, text in enumerate(path) if (key := _header_field(text, languages))]
    header = " / ".join(path)
    if not found:
        where = f"column {get_column_letter(index)} ('{header}')"
        table.unknown.append(f"{table.where}, {where}: not a column Accord reads; left out")
        return
    at, key = found[-1]  # the most precise name: «Источник» under «Предполагаемые расходы»
    if key == ("budget", ""):
        units = [unit_of(normalise(text))[1] for text in path[: at + 1]][::-1]
        table.unit = next((unit for unit in units if unit != (None, None)), table.unit)
        below = path[at + 1 :]
        if below:
            _place_budget_part(table, index, header, below)
            return
    _add_column(table, key, Column(index, header))


def _place_budget_part(table: Sheet, index: int, header: str, below: list[str]) -> None:
    """A sub-column of the budget: a year (perhaps of one source), or the total, left out."""
    texts = [normalise(text) for text in below]
    if any(text in TOTAL_WORDS for text in texts):
        return
    years = [int(found.group(1)) for text in texts if (found := _YEAR.fullmatch(text))]
    if len(years) != 1:
        where = f"column {get_column_letter(index)} ('{header}')"
        expected = "expected a year like 2027 under the budget, or 'Всего'"
        table.problems.append(f"{table.where}, {where}: not a year of the budget ({expected})")
        return
    sources = [text for text in below if not _YEAR.fullmatch(normalise(text))]
    table.years[index] = YearColumn(years[0], sources[0] if sources else None)


def _add_column(table: Sheet, key: tuple[str, str], column: Column) -> None:
    if key in table.columns:
        first = table.columns[key]
        message = f"the same column as {get_column_letter(first.index)} ({first.header})"
        table.add(table.header_row, column, f"{message} (keep one of them)")
    else:
        table.columns[key] = column


_YEAR = re.compile(r"(20\d\d)\s*(?:год|г\.?|жыл|ж\.?|-жыл|йил|yil)?")


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
    """Merged cells hide which row a value belongs to; merged titles, header groups and heading
    rows across the table are fine."""
    for merged in sorted(table.sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        heading = merged.min_row == merged.max_row  # a heading row across the table
        if merged.max_row >= table.first_data_row and not heading:
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
