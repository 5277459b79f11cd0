"""A coordinator's spreadsheet of activities turned into an `accord/v1` agreement source.

Coordinators draft joint plans in Excel. This reads such a sheet (columns found by
their Russian or English names, texts per language in columns suffixed " (ru)",
" (kk)" …) and writes the YAML the secretariat then keeps under `agreements/`.
Every bad cell is reported at once, by sheet, row and column; nothing half-read
comes out.
"""

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from accord.documents.labels import labels_for
from accord.errors import AccordError
from accord.source.iso_codes import CURRENCY_CODES
from accord.source.spec import FORMAT, AgreementKind, LangText

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
DATE_EXPECTED = 'expected DD.MM.YYYY, YYYY-MM-DD or a quarter like 2027-Q2 / "II кв. 2027"'
NATIONAL_CURRENCY = {"KZ": "KZT", "KG": "KGS", "TJ": "TJS", "UZ": "UZS", "TM": "TMT"}
"""Used when a sheet has no currency column: plans in the region budget in national money."""
CURRENCY_WORDS = {
    "тенге": "KZT", "тг": "KZT", "сом": "KGS", "сомони": "TJS", "сум": "UZS", "манат": "TMT",
    "руб": "RUB", "рубль": "RUB", "$": "USD", "долл": "USD", "доллар сша": "USD", "€": "EUR",
    "евро": "EUR",
}  # fmt: skip
BY_AGREEMENT = re.compile(r"\(\s*(по согласованию|by agreement|келісім бойынша)\s*\)", re.I)
_SUFFIX = re.compile(r"^(.*?)\s*\(([a-z]{2})\)$")
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
_ORG_SPLIT = re.compile(r"[;\n]+")


class PlanImportInvalid(AccordError):
    """The spreadsheet cannot become an agreement; `problems` says where and why, all at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class _Column:
    index: int
    """1-based, as Excel counts."""
    header: str
    """As written in the sheet, for messages."""


@dataclass
class _Sheet:
    """The table found in one worksheet, and the problems found so far."""

    file_name: str
    sheet: Worksheet
    header_row: int
    columns: dict[tuple[str, str], _Column]
    """(field, language) → column; single-value fields use the language ''."""
    problems: list[str] = field(default_factory=list)
    merged: set[tuple[int, int]] = field(default_factory=set)
    """(row, column) of cells in merged ranges: reported as a range, not cell by cell."""

    @property
    def where(self) -> str:
        return f"{self.file_name}: sheet '{self.sheet.title}'"

    def at(self, row: int, column: _Column) -> str:
        letter = get_column_letter(column.index)
        return f"{self.where}, row {row}, column {letter} ({column.header})"

    def add(self, row: int, column: _Column, message: str) -> None:
        if (row, column.index) not in self.merged:
            self.problems.append(f"{self.at(row, column)}: {message}")


@dataclass(frozen=True)
class _Orgs:
    """Known organisations by normalised id and name, for matching what coordinators type."""

    by_key: dict[str, frozenset[str]]
    shown: dict[str, str]
    """Normalised key → the id or name as the organisations file writes it."""

    @classmethod
    def of(cls, known: Mapping[str, set[str]]) -> "_Orgs":
        by_key: dict[str, set[str]] = {}
        shown: dict[str, str] = {}
        for org_id, names in known.items():
            for written in (org_id, *names):
                key = _org_key(written)
                by_key.setdefault(key, set()).add(org_id)
                shown.setdefault(key, written)
        return cls({k: frozenset(v) for k, v in by_key.items()}, shown)

    def find(self, text: str) -> frozenset[str]:
        return self.by_key.get(_org_key(text), frozenset())

    def suggest(self, text: str) -> str:
        close = difflib.get_close_matches(_org_key(text), list(self.by_key), n=3, cutoff=0.6)
        if not close:
            return "expected an organisation id or name from the organisations file"
        options = [f"'{self.shown[key]}' ({', '.join(sorted(self.by_key[key]))})" for key in close]
        return f"did you mean {' or '.join(options)}?"


@dataclass(frozen=True)
class _Activity:
    """One row of the plan, read and checked."""

    objective: LangText | None
    activity: LangText
    responsible: str
    partners: tuple[str, ...]
    voluntary: frozenset[str]
    """Organisations the row marks "(по согласованию)": they take part, they do not sign."""
    due: str
    indicator: LangText | None
    baseline: str | None
    target: str | None
    budget: tuple[Decimal, str] | None
    funding: LangText | None


@dataclass(frozen=True)
class _Source:
    """What the caller says about the agreement the sheet becomes."""

    agreement_id: str
    kind: str
    languages: tuple[str, ...]
    country: str
    secretariat: str
    title: dict[str, str]


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
) -> str:
    """The agreement source text for the plan in `data`, or PlanImportInvalid with every problem."""
    problems = _check_arguments(kind, languages, secretariat, known_orgs, title)
    workbook = _open(data, file_name)
    table = _find_table(workbook, file_name, tuple(languages))
    if isinstance(table, str):
        raise PlanImportInvalid([*problems, table])
    rows = _read_rows(table, tuple(languages), _Orgs.of(known_orgs), country)
    if not rows and not table.problems:
        expected = "expected one row per activity under it"
        table.problems.append(f"{table.where}: no activities below the header row ({expected})")
    problems += table.problems
    if problems:
        raise PlanImportInvalid(problems)
    source = _Source(agreement_id, kind, tuple(languages), country, secretariat, dict(title))
    return _yaml(source, _sheet_title(table), rows, table)


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
        f"title: no text in '{language}' (expected a title in every language of the plan)"
        for language in languages
        if not title.get(language, "").strip()
    ]
    if secretariat not in known_orgs:
        problems.append(f"secretariat: unknown organisation '{secretariat}' (expected an id)")
    return problems


def _open(data: bytes, file_name: str) -> Workbook:
    """The workbook, or a message that the file is not one (openpyxl fails in many ways)."""
    try:
        return load_workbook(BytesIO(data), data_only=True)
    except Exception as error:  # any failure to parse means the same thing to the coordinator
        reason = f"{type(error).__name__}: {error}"
        raise PlanImportInvalid(
            [f"{file_name}: not an Excel workbook (expected an .xlsx file; {reason})"]
        ) from error


# --- the header row -------------------------------------------------------------------------


def _find_table(workbook: Workbook, file_name: str, languages: tuple[str, ...]) -> _Sheet | str:
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
    text, language = _normalise(value), ""
    suffix = _SUFFIX.fullmatch(text)
    if suffix:
        text, language = suffix.group(1), suffix.group(2)
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
) -> _Sheet:
    table = _Sheet(file_name, sheet, header_row, {})
    for index, value in enumerate(cells, start=1):
        key = _header_field(value, languages)
        if key is None:
            continue
        column = _Column(index, " ".join(str(value).split()))
        if key in table.columns:
            first = table.columns[key]
            message = f"the same column as {get_column_letter(first.index)} ({first.header})"
            table.add(header_row, column, f"{message} (keep one of them)")
        else:
            table.columns[key] = column
    _check_header(table, languages)
    _check_merged(table)
    return table


def _check_header(table: _Sheet, languages: tuple[str, ...]) -> None:
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


def _check_merged(table: _Sheet) -> None:
    """Merged cells hide which row a value belongs to; a merged title above the table is fine."""
    for merged in sorted(table.sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row >= table.header_row:
            table.problems.append(
                f"{table.where}, cells {merged.coord}: merged (unmerge them and put the value "
                "in every row it applies to)"
            )
            table.merged.update(merged.cells)


def _sheet_title(table: _Sheet) -> str:
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


# --- the rows -------------------------------------------------------------------------------


def _read_rows(
    table: _Sheet, languages: tuple[str, ...], orgs: _Orgs, country: str
) -> list[_Activity]:
    """Every activity row; a row with only an objective sets the objective of those below it."""
    out: list[_Activity] = []
    objective: LangText | None = None
    for number, cells in _data_rows(table):
        reader = _Row(table, number, cells, languages, orgs, country)
        objective = reader.texts("objective") or objective
        if reader.only_objective():
            continue
        activity = reader.activity(objective)
        if activity is not None:
            out.append(activity)
    return out


def _data_rows(table: _Sheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    rows = table.sheet.iter_rows(min_row=table.header_row + 1, values_only=True)
    for number, cells in enumerate(rows, start=table.header_row + 1):
        if any(not _blank(value) for value in cells):
            yield number, cells


@dataclass(frozen=True)
class _Row:
    """One row's cells, read column by column; problems go to the table."""

    table: _Sheet
    number: int
    cells: tuple[Any, ...]
    languages: tuple[str, ...]
    orgs: _Orgs
    country: str

    def has(self, name: str, language: str = "") -> bool:
        return (name, language) in self.table.columns

    def value(self, name: str, language: str = "") -> Any:
        column = self.table.columns.get((name, language))
        if column is None or column.index > len(self.cells):
            return None
        value = self.cells[column.index - 1]
        return None if _blank(value) else value

    def add(self, name: str, message: str, language: str = "") -> None:
        self.table.add(self.number, self.table.columns[name, language], message)

    def only_objective(self) -> bool:
        """A heading row: the objective, perhaps a number, nothing else."""
        others = [key for key in self.table.columns if key[0] not in ("objective", "number")]
        return all(self.value(*key) is None for key in others)

    def texts(self, name: str, *, required: bool = False) -> LangText | None:
        """Text in every language, or None; a text missing in some language is a problem."""
        given = {lang: text for lang in self.languages if (text := _text(self.value(name, lang)))}
        if not given and not required:
            return None
        need = f"every language of the plan needs the {name}: {', '.join(self.languages)}"
        for language in self.languages:
            if language not in given and self.has(name, language):
                self.add(name, f"empty ({need if given else f'the {name} is required'})", language)
        return given if len(given) == len(self.languages) else None

    def activity(self, objective: LangText | None) -> _Activity | None:
        """The row as an activity, or None once its problems are recorded."""
        before = len(self.table.problems)
        activity = self.texts("activity", required=True)
        lead, partners, voluntary = self.organisations()
        due = self.deadline()
        indicator, funding, budget = self.texts("indicator"), self.texts("funding"), self.budget()
        if len(self.table.problems) > before or not (activity and lead and due):
            return None
        baseline, target = _text(self.value("baseline")), _text(self.value("target"))
        return _Activity(
            objective=objective,
            activity=activity,
            responsible=lead,
            partners=partners,
            voluntary=voluntary,
            due=due,
            indicator=indicator,
            baseline=baseline or None,
            target=target or None,
            budget=budget,
            funding=funding,
        )

    def deadline(self) -> str | None:
        value = self.value("deadline")
        if value is None:
            if self.has("deadline"):
                self.add("deadline", "empty (the deadline is required)")
            return None
        due = _deadline(value)
        if due is None:
            self.add("deadline", f"'{_shown(value)}' is not a date ({DATE_EXPECTED})")
        return due

    def organisations(self) -> tuple[str | None, tuple[str, ...], frozenset[str]]:
        """The responsible organisation (the first one named), the partners, the voluntary."""
        if self.has("responsible") and self.value("responsible") is None:
            self.add("responsible", "empty (the responsible organisation is required)")
        named = self.named("responsible") + self.named("partners")
        if not named:
            return None, (), frozenset()
        lead = named[0][0]
        partners = tuple(dict.fromkeys(org for org, _ in named[1:] if org != lead))
        return lead, partners, frozenset(org for org, voluntary in named if voluntary)

    def named(self, name: str) -> list[tuple[str, bool]]:
        """(id, marked by agreement) of every organisation a cell names; unknown ones reported."""
        value = self.value(name)
        if value is None:
            return []
        pieces = (p.strip() for p in _ORG_SPLIT.split(str(value)))
        return [found for piece in pieces if piece for found in self.match(name, piece)]

    def match(self, name: str, piece: str) -> list[tuple[str, bool]]:
        """One name, or a comma-separated list of names when the whole is not a name."""
        voluntary = BY_AGREEMENT.search(piece) is not None
        text = BY_AGREEMENT.sub("", piece).strip(" ,.")
        orgs = self.orgs.find(text)
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if (
            not orgs
            and len(parts) > 1
            and all(self.orgs.find(BY_AGREEMENT.sub("", p)) for p in parts)
        ):
            return [found for part in parts for found in self.match(name, part)]
        if len(orgs) == 1:
            return [(next(iter(orgs)), voluntary)]
        if orgs:
            ids = ", ".join(sorted(orgs))
            self.add(name, f"'{text}' names more than one organisation ({ids}: write the id)")
        else:
            self.add(name, f"unknown organisation '{text}' ({self.orgs.suggest(text)})")
        return []

    def budget(self) -> tuple[Decimal, str] | None:
        value = self.value("budget")
        if value is None:
            return None
        amount = _amount(value)
        if amount is None or amount < 0:
            expected = "expected a number like 1500000 or 1 500 000,50"
            self.add("budget", f"'{_shown(value)}' is not an amount ({expected})")
            return None
        currency = self.currency() if amount > 0 else None  # 0: nothing to finance
        return (amount, currency) if currency else None

    def currency(self) -> str | None:
        """The row's currency; without a currency column, the country's own."""
        if not self.has("currency"):
            national = NATIONAL_CURRENCY.get(self.country)
            if national is None:
                self.add("budget", "no currency (expected a column 'Валюта' / 'Currency')")
            return national
        value = self.value("currency")
        text = _text(value)
        code = CURRENCY_WORDS.get(text.casefold().rstrip("."), text.upper())
        if code in CURRENCY_CODES:
            return code
        shown = f"'{text}' is not a currency" if text else "empty (a budget needs its currency)"
        self.add("currency", f"{shown} (expected an ISO 4217 code like KZT)")
        return None


# --- cell values ----------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as text: numbers without a spurious '.0', dates as DD.MM.YYYY, lines kept."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    lines = (" ".join(line.split()) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


def _shown(value: object) -> str:
    return " ".join(_text(value).split())


def _normalise(text: str) -> str:
    """Header text compared loosely: case, ё, spacing, a trailing ':' or '*' do not matter."""
    text = " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()
    return text.rstrip(":*").strip()


def _org_key(text: str) -> str:
    """Organisation names compared loosely: case, quotes, ё and spacing do not matter."""
    plain = _QUOTES.sub(" ", text.replace("ё", "е").replace("Ё", "Е"))
    return " ".join(plain.split()).casefold().rstrip(".")


def _deadline(value: object) -> str | None:
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


def _amount(value: object) -> Decimal | None:
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


# --- the source text ------------------------------------------------------------------------


def _yaml(source: _Source, sheet_title: str, rows: list[_Activity], table: _Sheet) -> str:
    """The agreement in `accord/v1`, keys in the order the format describes them."""
    objectives = _objective_ids(rows)
    document: dict[str, Any] = {
        "format": FORMAT,
        "id": source.agreement_id,
        "kind": source.kind,
        "languages": list(source.languages),
        "country": source.country,
        "secretariat": source.secretariat,
        "title": {lang: source.title[lang] for lang in source.languages},
        "parties": _parties(rows),
        "clauses": [_purpose(source, sheet_title)],
        "objectives": [{"id": oid, "title": title} for oid, title in objectives.values()],
        "commitments": [
            _commitment(n, row, objectives, len(rows)) for n, row in enumerate(rows, 1)
        ],
    }
    if not objectives:
        del document["objectives"]
    note = f"# Imported from {table.file_name}, sheet '{table.sheet.title}'. Review before use.\n"
    return note + yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )


def _parties(rows: list[_Activity]) -> list[dict[str, str]]:
    """Every organisation named; those responsible for something sign, unless by agreement."""
    order: dict[str, None] = {}
    for row in rows:
        order.update(dict.fromkeys([row.responsible, *row.partners]))
    responsible = {row.responsible for row in rows}
    voluntary = {org for row in rows for org in row.voluntary}
    return [
        {"org": org, "role": "signatory" if org in responsible - voluntary else "reviewer"}
        for org in order
    ]


def _purpose(source: _Source, sheet_title: str) -> dict[str, Any]:
    """The one clause a valid agreement needs: the sheet's title, else a standard line."""
    text: dict[str, str] = {}
    for position, language in enumerate(source.languages):
        labels = labels_for(language)
        default = labels["plan_purpose"].format(title=source.title[language])
        text[language] = _literal(sheet_title if sheet_title and position == 0 else default)
    title = {lang: labels_for(lang)["plan_purpose_title"] for lang in source.languages}
    return {"id": "purpose", "title": title, "text": text}


def _literal(text: str) -> str:
    """Clause texts are Jinja2 templates: braces from a spreadsheet must print as written."""
    return f"{{% raw %}}{text}{{% endraw %}}" if re.search(r"\{[{%#]", text) else text


def _objective_ids(rows: list[_Activity]) -> dict[str, tuple[str, LangText]]:
    """Objectives by their text in the primary language, numbered in order of appearance."""
    found: dict[str, tuple[str, LangText]] = {}
    for row in rows:
        if row.objective is not None:
            key = next(iter(row.objective.values()))
            if key not in found:
                found[key] = (f"o-{len(found) + 1:02d}", row.objective)
    return found


def _commitment(
    number: int, row: _Activity, objectives: dict[str, tuple[str, LangText]], count: int
) -> dict[str, Any]:
    width = max(2, len(str(count)))
    values: dict[str, Any] = {"id": f"c-{number:0{width}d}"}
    if row.objective is not None:
        values["objective"] = objectives[next(iter(row.objective.values()))][0]
    values |= {"activity": row.activity, "responsible": row.responsible}
    if row.partners:
        values["partners"] = list(row.partners)
    values["due"] = row.due
    optional = {
        "indicator": row.indicator,
        "baseline": row.baseline,
        "target": row.target,
        "budget": {"amount": row.budget[0], "currency": row.budget[1]} if row.budget else None,
        "funding": row.funding,
    }
    return values | {key: value for key, value in optional.items() if value is not None}


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with amounts written exactly as numbers (never 1.5e6, never rounded)."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)
