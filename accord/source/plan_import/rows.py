"""The rows below the header: each one an activity, read cell by cell, every problem kept."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from accord.source.iso_codes import CURRENCY_CODES
from accord.source.plan_import.cells import (
    CURRENCY_WORDS,
    NATIONAL_CURRENCY,
    amount_of,
    blank,
    cell_text,
    shown,
)
from accord.source.plan_import.deadlines import Deadline, read_deadline
from accord.source.plan_import.headers import Column, Sheet
from accord.source.plan_import.organisations import Organisations
from accord.source.spec import LangText

BY_AGREEMENT = re.compile(
    r"\(\s*(по согласованию|by agreement|келісім бойынша|макулдашуу боюнча|"
    r"kelishuv bo['‘’ʻ]yicha|келишув бўйича)\s*\)",
    re.I,
)
"""Marks an organisation that takes part without signing: "МОМ (по согласованию)"."""
_ORG_SPLIT = re.compile(r"[;\n]+")
_NUMBERING = re.compile(r"[\d.]+")
"""An activity's number ("1", "2.3"): not a heading's text."""
_SOURCE_SPLIT = re.compile(r"[,;/\n]+")
_NOTHING = ("-", "–", "—", "0")
"""What plans put in a budget cell of a year with no money."""
HEADING = re.compile(
    r"^(задача|цель|направление|раздел|глава|міндет|мақсат|бағыт|бөлім|милдет|максат|багыт|"
    r"бөлүм|vazifa|maqsad|yo'nalish|bo'lim|вазифа|мақсад|йўналиш|бўлим|[ivx]+\.)",
    re.IGNORECASE,
)
"""How an unmerged heading row above a group of activities begins: "Задача 1.", "Міндет 2",
"III." (a heading merged across the table may begin any way: "1-милдет").
"""


@dataclass(frozen=True)
class Budget:
    """A row's money: a total, or amounts by year and source in the header's scale."""

    currency: str
    amount: Decimal | None = None
    scale: int | None = None
    years: dict[int, dict[str, Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class Activity:
    """One row of the plan, read and checked."""

    objective: LangText | None
    activity: LangText
    responsible: str
    co_responsible: tuple[str, ...]
    """The other bodies of the responsible cell ("МВД, МТСЗН": МТСЗН)."""
    partners: tuple[str, ...]
    voluntary: frozenset[str]
    """Organisations the row marks "(по согласованию)": they take part, they do not sign."""
    deadline: Deadline
    indicator: LangText | None
    baseline: str | None
    target: str | None
    budget: Budget | None
    funding: LangText | None
    completion: LangText | None
    mechanism: LangText | None


def read_rows(
    table: Sheet,
    languages: tuple[str, ...],
    orgs: Organisations,
    country: str,
    plan_end: date | None,
) -> list[Activity]:
    """Every activity row; a row with only an objective (or a heading row across the table)
    sets the objective of those below it."""
    out: list[Activity] = []
    objective: LangText | None = None
    headings = _merged_across(table)
    for number, cells in _data_rows(table):
        reader = _Row(table, number, cells, languages, orgs, country, plan_end)
        heading = reader.heading(number in headings)
        if heading is not None:
            objective = heading or objective
            continue
        objective = reader.texts("objective") or objective
        activity = reader.activity(objective)
        if activity is not None:
            out.append(activity)
    return out


def _merged_across(table: Sheet) -> set[int]:
    """Rows below the header with a cell merged across columns: heading rows."""
    return {
        merged.min_row
        for merged in table.sheet.merged_cells.ranges
        if merged.min_row == merged.max_row
        and merged.max_col > merged.min_col
        and merged.min_row >= table.first_data_row
    }


def _data_rows(table: Sheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Rows with something in them, past the row of column numbers (1, 2, 3 …) some plans
    put under the header."""
    rows = table.sheet.iter_rows(min_row=table.first_data_row, values_only=True)
    first = True
    for number, cells in enumerate(rows, start=table.first_data_row):
        if any(not blank(value) for value in cells):
            if not (first and _column_numbers(cells)):
                yield number, cells
            first = False


def _column_numbers(cells: tuple[Any, ...]) -> bool:
    values = [cell_text(value) for value in cells if not blank(value)]
    return len(values) > 2 and values == [str(n) for n in range(1, len(values) + 1)]


@dataclass(frozen=True)
class _Row:
    """One row's cells, read column by column; problems go to the table."""

    table: Sheet
    number: int
    cells: tuple[Any, ...]
    languages: tuple[str, ...]
    orgs: Organisations
    country: str
    plan_end: date | None

    def has(self, name: str, language: str = "") -> bool:
        return (name, language) in self.table.columns

    def value(self, name: str, language: str = "") -> Any:
        column = self.table.columns.get((name, language))
        if column is None or column.index > len(self.cells):
            return None
        value = self.cells[column.index - 1]
        return None if blank(value) else value

    def add(self, name: str, message: str, language: str = "") -> None:
        self.table.add(self.number, self.table.columns[name, language], message)

    def heading(self, merged: bool) -> LangText | None:
        """The objective a heading row gives ({} when it repeats none), or None for other rows.

        With objective columns, a row holding only the objective (and perhaps a number);
        without them, a row with one text, merged across the table or opening with
        "Задача", "Міндет", "Vazifa", a Roman numeral …"""
        if any(name == "objective" for name, _ in self.table.columns):
            others = [key for key in self.table.columns if key[0] not in ("objective", "number")]
            alone = all(self.value(*key) is None for key in others) and not self.in_years()
            return (self.texts("objective") or {}) if alone else None
        texts = [
            cell_text(value)
            for value in self.cells
            if not blank(value) and not _NUMBERING.fullmatch(cell_text(value))
        ]
        if len(texts) != 1 or not (merged or HEADING.match(texts[0])):
            return None
        if len(self.languages) > 1:
            need = ", ".join(f"'Задача ({lang})'" for lang in self.languages)
            self.table.problems.append(
                f"{self.table.where}, row {self.number}: a heading row gives the objective in "
                f"one language (expected a column per language: {need})"
            )
            return {}
        return {self.languages[0]: texts[0]}

    def in_years(self) -> bool:
        return any(self.cell(index) is not None for index in self.table.years)

    def cell(self, index: int) -> Any:
        value = self.cells[index - 1] if index <= len(self.cells) else None
        return None if blank(value) else value

    def texts(self, name: str, *, required: bool = False) -> LangText | None:
        """Text in every language, or None; a text missing in some language is a problem."""
        values = {lang: cell_text(self.value(name, lang)) for lang in self.languages}
        given = {lang: text for lang, text in values.items() if text}
        if not given and not required:
            return None
        need = f"every language of the plan needs the {name}: {', '.join(self.languages)}"
        for language in self.languages:
            if language not in given and self.has(name, language):
                self.add(name, f"empty ({need if given else f'the {name} is required'})", language)
        return given if len(given) == len(self.languages) else None

    def activity(self, objective: LangText | None) -> Activity | None:
        """The row as an activity, or None once its problems are recorded."""
        before = len(self.table.problems)
        activity = self.texts("activity", required=True)
        lead, co_responsible, partners, voluntary = self.organisations()
        due = self.deadline()
        indicator, funding, budget = self.texts("indicator"), self.texts("funding"), self.budget()
        completion, mechanism = self.texts("completion"), self.texts("mechanism")
        if len(self.table.problems) > before or not (activity and lead and due):
            return None
        baseline, target = cell_text(self.value("baseline")), cell_text(self.value("target"))
        return Activity(
            objective=objective,
            activity=activity,
            responsible=lead,
            co_responsible=co_responsible,
            partners=partners,
            voluntary=voluntary,
            deadline=due,
            indicator=indicator,
            baseline=baseline or None,
            target=target or None,
            budget=budget,
            funding=funding,
            completion=completion,
            mechanism=mechanism,
        )

    def deadline(self) -> Deadline | None:
        value = self.value("deadline")
        if value is None:
            if self.has("deadline"):
                self.add("deadline", "empty (the deadline is required)")
            return None
        due = read_deadline(value, self.plan_end)
        if isinstance(due, str):
            self.add("deadline", f"'{shown(value)}' is not a deadline ({due})")
            return None
        return due

    def organisations(
        self,
    ) -> tuple[str | None, tuple[str, ...], tuple[str, ...], frozenset[str]]:
        """The lead (the first body named as responsible), the co-responsible bodies (the
        others of that cell and those of a «Соисполнители» column), the partners, and those
        taking part by agreement."""
        if self.has("responsible") and self.value("responsible") is None:
            self.add("responsible", "empty (the responsible organisation is required)")
        responsible = self.named("responsible") + self.named("co_responsible")
        named = responsible + self.named("partners")
        if not named:
            return None, (), (), frozenset()
        lead = named[0][0]
        co = tuple(dict.fromkeys(org for org, _ in responsible[1:] if org != lead))
        rest = tuple(dict.fromkeys(org for org, _ in named[1:] if org != lead and org not in co))
        return lead, co, rest, frozenset(org for org, voluntary in named if voluntary)

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
        parts = [p.strip() for p in piece.split(",") if p.strip()]  # each with its own mark
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

    def budget(self) -> Budget | None:
        if self.table.years:
            return self.budget_by_year()
        value = self.value("budget")
        if value is None:
            return None
        amount = amount_of(value)
        if amount is None or amount < 0:
            expected = "expected a number like 1500000 or 1 500 000,50"
            self.add("budget", f"'{shown(value)}' is not an amount ({expected})")
            return None
        currency = self.currency() if amount > 0 else None  # 0: nothing to finance
        return Budget(currency, amount * (self.table.unit.scale or 1)) if currency else None

    def budget_by_year(self) -> Budget | None:
        """Amounts under the year columns, each of the source its header or the row names."""
        found: list[tuple[int, str | None, Decimal]] = []
        for index, column in sorted(self.table.years.items()):
            value = self.cell(index)
            if value is None or cell_text(value) in _NOTHING:
                continue
            amount = amount_of(value)
            if amount is None or amount < 0:
                expected = "expected a number like 1500 or 1 500,5, or '-' for none"
                message = f"'{shown(value)}' is not an amount ({expected})"
                self.table.add(self.number, self.year_column(index), message)
            elif amount > 0:
                found.append((column.year, column.source, amount))
        if not found:
            return None
        row_source = self.source() if any(source is None for _, source, _ in found) else None
        years: dict[int, dict[str, Decimal]] = {}
        for year, source, amount in found:
            if source or row_source:
                by_source = years.setdefault(year, {})
                key = source or row_source or ""
                by_source[key] = by_source.get(key, Decimal(0)) + amount
        currency = self.table.unit.currency or self.currency()
        return Budget(currency, None, self.table.unit.scale, years) if currency and years else None

    def year_column(self, index: int) -> Column:
        column = self.table.years[index]
        return Column(index, f"{column.year} {column.source or ''}".strip())

    def source(self) -> str | None:
        """The one source of financing the row names ("РБ"), for year columns without one."""
        primary = self.languages[0]
        text = cell_text(self.value("funding", primary))
        sources = [part.strip() for part in _SOURCE_SPLIT.split(text) if part.strip()]
        if len(sources) == 1:
            return sources[0]
        if not self.has("funding", primary):
            expected = "expected a column 'Источник финансирования' with РБ, МБ …"
            first = self.year_column(min(self.table.years))
            self.table.add(self.number, first, f"no source of financing ({expected})")
        elif not sources:
            self.add("funding", "empty (a budget by year needs its source, like РБ)", primary)
        else:
            self.add(
                "funding",
                f"several sources ({', '.join(sources)}) for one amount a year (expected one "
                "source per row, or a column per source under each year)",
                primary,
            )
        return None

    def currency(self) -> str | None:
        """The row's currency; without a currency column, the country's own."""
        if not self.has("currency"):
            national = NATIONAL_CURRENCY.get(self.country)
            if national is None:
                column = self.table.columns.get(("budget", ""))
                where = column or self.year_column(min(self.table.years))
                message = "no currency (expected a column 'Валюта' / 'Currency')"
                self.table.add(self.number, where, message)
            return national
        value = self.value("currency")
        text = cell_text(value)
        code = CURRENCY_WORDS.get(text.casefold().rstrip("."), text.upper())
        if code in CURRENCY_CODES:
            return code
        shown = f"'{text}' is not a currency" if text else "empty (a budget needs its currency)"
        self.add("currency", f"{shown} (expected an ISO 4217 code like KZT)")
        return None
