"""The rows below the header: each one an activity, read cell by cell, every problem kept."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from accord.source.iso_codes import CURRENCY_CODES
from accord.source.plan_import.cells import (
    CURRENCY_WORDS,
    DATE_EXPECTED,
    NATIONAL_CURRENCY,
    amount_of,
    blank,
    cell_text,
    deadline_of,
    shown,
)
from accord.source.plan_import.headers import Sheet
from accord.source.plan_import.organisations import Organisations
from accord.source.spec import LangText

BY_AGREEMENT = re.compile(r"\(\s*(по согласованию|by agreement|келісім бойынша)\s*\)", re.I)
"""Marks an organisation that takes part without signing: "МОМ (по согласованию)"."""
_ORG_SPLIT = re.compile(r"[;\n]+")


@dataclass(frozen=True)
class Activity:
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


def read_rows(
    table: Sheet, languages: tuple[str, ...], orgs: Organisations, country: str
) -> list[Activity]:
    """Every activity row; a row with only an objective sets the objective of those below it."""
    out: list[Activity] = []
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


def _data_rows(table: Sheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    rows = table.sheet.iter_rows(min_row=table.header_row + 1, values_only=True)
    for number, cells in enumerate(rows, start=table.header_row + 1):
        if any(not blank(value) for value in cells):
            yield number, cells


@dataclass(frozen=True)
class _Row:
    """One row's cells, read column by column; problems go to the table."""

    table: Sheet
    number: int
    cells: tuple[Any, ...]
    languages: tuple[str, ...]
    orgs: Organisations
    country: str

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

    def only_objective(self) -> bool:
        """A heading row: the objective, perhaps a number, nothing else."""
        others = [key for key in self.table.columns if key[0] not in ("objective", "number")]
        return all(self.value(*key) is None for key in others)

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
        lead, partners, voluntary = self.organisations()
        due = self.deadline()
        indicator, funding, budget = self.texts("indicator"), self.texts("funding"), self.budget()
        if len(self.table.problems) > before or not (activity and lead and due):
            return None
        baseline, target = cell_text(self.value("baseline")), cell_text(self.value("target"))
        return Activity(
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
        due = deadline_of(value)
        if due is None:
            self.add("deadline", f"'{shown(value)}' is not a date ({DATE_EXPECTED})")
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
        amount = amount_of(value)
        if amount is None or amount < 0:
            expected = "expected a number like 1500000 or 1 500 000,50"
            self.add("budget", f"'{shown(value)}' is not an amount ({expected})")
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
        text = cell_text(value)
        code = CURRENCY_WORDS.get(text.casefold().rstrip("."), text.upper())
        if code in CURRENCY_CODES:
            return code
        shown = f"'{text}' is not a currency" if text else "empty (a budget needs its currency)"
        self.add("currency", f"{shown} (expected an ISO 4217 code like KZT)")
        return None
