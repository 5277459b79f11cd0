"""The plan of an agreement: objectives, and commitments with their parties, deadlines,
budgets and recurrences (one tracked item per occurrence)."""

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from accord.source import field_readers as fr
from accord.source.field_readers import Report
from accord.source.iso_codes import CURRENCY_CODES
from accord.source.spec import (
    BudgetSpec,
    CommitmentSpec,
    ObjectiveSpec,
    Recurrence,
    RepeatSpec,
    YearAmount,
)
from accord.source.yaml_nodes import Mapping, Node, Scalar

_COMMITMENT_KEYS = (
    "id", "objective", "activity", "responsible", "partners", "due", "indicator", "baseline",
    "target", "budget", "funding", "co_responsible", "completion", "mechanism", "repeat",
    "ongoing",
)  # fmt: skip
_REPEAT_KEYS = ("every", "by", "day")
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")
OCCURRENCE_SUFFIX = len("@2027-12-25")
"""What a tracked occurrence adds to its commitment's id (tracked keys hold 64 characters)."""
_KEY_LIMIT = 64
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_DUE_EXPECTED = "expected a date YYYY-MM-DD or a quarter YYYY-Q1 … YYYY-Q4"


@dataclass(frozen=True)
class PlanScope:
    """What commitments may refer to inside the agreement."""

    languages: tuple[str, ...] | None
    parties: Collection[str] | None
    objectives: Collection[str]


def read_objectives(
    node: Node, report: Report, what: str, *, languages: tuple[str, ...] | None
) -> dict[str, ObjectiveSpec | None] | None:
    """Objectives by id (None where the rest is invalid)."""
    items = fr.list_of(node, report, what)
    if items is None:
        return None
    objectives: dict[str, ObjectiveSpec | None] = {}
    first: dict[str, int] = {}
    for item in items.items:
        objective = fr.mapping_of(item, report, "objective")
        if objective is None:
            continue
        keys = ("id", "title")
        fr.check_keys(objective, report, allowed=keys, required=keys, context="objective")
        objective_id = fr.optional(objective, "id", fr.slug_of, report, "objective id")
        label = f"objective '{objective_id or '?'}' title"
        title = fr.optional(objective, "title", partial(_texts, languages=languages), report, label)
        if objective_id is None:
            continue
        if objective_id in objectives:
            message = (
                f"duplicate objective id '{objective_id}' (first at line {first[objective_id]})"
            )
            report.add(fr.value_of(objective, "id") or objective, message)
            continue
        spec = ObjectiveSpec(id=objective_id, title=title) if title is not None else None
        objectives[objective_id] = spec
        first[objective_id] = (fr.value_of(objective, "id") or objective).line
    return objectives


def read_commitments(
    node: Node, report: Report, what: str, *, scope: PlanScope
) -> tuple[CommitmentSpec, ...] | None:
    items = fr.list_of(node, report, what)
    if items is None:
        return None
    seen: dict[str, int] = {}
    commitments = []
    for item in items.items:
        commitment = _commitment(item, report, scope, seen)
        if commitment is not None:
            commitments.append(commitment)
    return tuple(commitments)


def _commitment(
    node: Node, report: Report, scope: PlanScope, seen: dict[str, int]
) -> CommitmentSpec | None:
    mapping = fr.mapping_of(node, report, "commitment")
    if mapping is None:
        return None
    required = ("id", "activity", "responsible", "due")
    fr.check_keys(
        mapping, report, allowed=_COMMITMENT_KEYS, required=required, context="commitment"
    )
    commitment_id = fr.optional(mapping, "id", fr.slug_of, report, "commitment id")
    id_node = fr.value_of(mapping, "id")
    if commitment_id is not None and id_node is not None and commitment_id in seen:
        message = f"duplicate commitment id '{commitment_id}' (first at line {seen[commitment_id]})"
        report.add(id_node, message)
    elif commitment_id is not None and id_node is not None:
        seen[commitment_id] = id_node.line
    label = f"commitment '{commitment_id or '?'}'"
    values = _commitment_values(mapping, report, scope, label)
    if values["repeat"] is not None and commitment_id and id_node is not None:
        _short_enough_to_repeat(commitment_id, id_node, report)
    _ongoing_or_repeat(mapping, label, report)
    if commitment_id is None or any(values[key] is None for key in required[1:]):
        return None
    return CommitmentSpec(id=commitment_id, **{k: v for k, v in values.items() if v is not None})


def _commitment_values(
    mapping: Mapping, report: Report, scope: PlanScope, label: str
) -> dict[str, Any]:
    texts = partial(_texts, languages=scope.languages)
    responsible = fr.optional(
        mapping, "responsible", partial(_party, parties=scope.parties), report, "responsible"
    )
    due = fr.optional(mapping, "due", _due, report, f"{label} due")
    return {
        "objective": fr.optional(
            mapping, "objective", partial(_objective, known=scope.objectives), report, label
        ),
        "activity": fr.optional(mapping, "activity", texts, report, f"{label} activity"),
        "responsible": responsible,
        "partners": fr.optional(
            mapping,
            "partners",
            partial(_partners, parties=scope.parties, responsible=responsible),
            report,
            "partner",
        ),
        "due": due[0] if due else None,
        "due_label": due[1] if due else None,
        "indicator": fr.optional(mapping, "indicator", texts, report, f"{label} indicator"),
        "baseline": fr.optional(mapping, "baseline", fr.text_of, report, f"{label} baseline"),
        "target": fr.optional(mapping, "target", fr.text_of, report, f"{label} target"),
        "budget": fr.optional(mapping, "budget", _budget, report, f"{label} budget"),
        "funding": fr.optional(mapping, "funding", texts, report, f"{label} funding"),
        "co_responsible": fr.optional(
            mapping,
            "co_responsible",
            partial(_partners, parties=scope.parties, responsible=responsible),
            report,
            "co-responsible",
        ),
        "completion": fr.optional(mapping, "completion", texts, report, f"{label} completion"),
        "mechanism": fr.optional(mapping, "mechanism", texts, report, f"{label} mechanism"),
        "repeat": fr.optional(mapping, "repeat", _repeat, report, f"{label} repeat"),
        "ongoing": fr.optional(mapping, "ongoing", fr.boolean_of, report, f"{label} ongoing"),
    }


def _objective(node: Node, report: Report, label: str, *, known: Collection[str]) -> str | None:
    objective = fr.slug_of(node, report, f"{label} objective")
    if objective is None or objective in known:
        return objective
    if known:
        hint = f"expected one of: {fr.one_of(known)}{fr.did_you_mean(objective, known)}"
    else:
        hint = "the agreement has no objectives"
    report.add(node, f"unknown objective '{objective}' in {label} ({hint})")
    return None


def _party(node: Node, report: Report, what: str, *, parties: Collection[str] | None) -> str | None:
    """An organisation that is a party of this agreement."""
    org = fr.slug_of(node, report, what)
    if org is None or parties is None or org in parties:
        return org
    hint = f"expected one of the parties: {fr.one_of(parties)}{fr.did_you_mean(org, parties)}"
    report.add(node, f"{what} '{org}' is not a party ({hint})")
    return None


def _partners(
    node: Node,
    report: Report,
    what: str,
    *,
    parties: Collection[str] | None,
    responsible: str | None,
) -> tuple[str, ...] | None:
    """Other parties that take part (`what`: partner, co-responsible); never the responsible
    one, each once."""
    items = fr.list_of(node, report, "partners" if what == "partner" else what)
    if items is None:
        return None
    partners: list[str] = []
    for item in items.items:
        partner = _party(item, report, what, parties=parties)
        if partner is not None and partner == responsible:
            report.add(
                item, f"{what} '{partner}' is the responsible party (expected other parties)"
            )
        elif partner is not None and partner in partners:
            report.add(item, f"duplicate {what} '{partner}' (each {what} once)")
        elif partner is not None:
            partners.append(partner)
    return tuple(partners) if len(partners) == len(items.items) else None


def _due(node: Node, report: Report, what: str) -> tuple[dt.date, str] | None:
    """The deadline and its label: a date, or a quarter meaning that quarter's last day."""
    if isinstance(node, Scalar) and (quarter := _QUARTER.fullmatch(node.source.strip())):
        year, number = int(quarter.group(1)), int(quarter.group(2))
        if year >= 1:
            return dt.date(year, *_QUARTER_END[number]), node.source.strip()
    due = fr.parse_date(node)
    if due is None or not isinstance(node, Scalar):
        report.invalid(node, what, _DUE_EXPECTED)
        return None
    return due, node.source.strip()


def _budget(node: Node, report: Report, what: str) -> BudgetSpec | None:
    """A total (`amount`), or amounts by year and source (`years`) in units or thousands."""
    budget = fr.mapping_of(node, report, what)
    if budget is None:
        return None
    keys = ("amount", "currency", "scale", "years")
    before = len(report.problems)
    fr.check_keys(budget, report, allowed=keys, required=("currency",), context=what)
    amount = fr.optional(budget, "amount", fr.positive_amount, report, f"{what} amount")
    currency = fr.optional(budget, "currency", _currency, report, f"{what} currency")
    scale = fr.optional(budget, "scale", _scale, report, f"{what} scale")
    years = fr.optional(budget, "years", _years, report, f"{what} years")
    given = [key for key in ("amount", "years") if budget.get(key) is not None]
    if len(given) != 1:
        has = "both amount and years" if given else "neither amount nor years"
        report.add(budget, f"{what} has {has} (expected exactly one of them)")
    if len(report.problems) > before or currency is None:
        return None
    if years:
        total = sum((y.amount for y in years), Decimal(0)) * (scale or 1)
        return BudgetSpec(amount=total, currency=currency, scale=scale, years=years)
    return BudgetSpec(amount=amount, currency=currency) if amount is not None else None


_SCALES = (1000, 1000000)


def _scale(node: Node, report: Report, what: str) -> int | None:
    """1000 for «тыс. тенге», 1000000 for millions."""
    value = node.value if isinstance(node, Scalar) else None
    if isinstance(value, int) and not isinstance(value, bool) and value in _SCALES:
        return value
    report.invalid(node, what, "expected 1000 (thousands) or 1000000 (millions)")
    return None


def _years(node: Node, report: Report, what: str) -> tuple[YearAmount, ...] | None:
    """2027: {РБ: 1500, МБ: 300}: per year, per source of financing, an amount."""
    years = fr.mapping_of(node, report, what)
    if years is None:
        return None
    found: list[YearAmount] = []
    for entry in years.entries:
        if not (entry.key.isdigit() and 2000 <= int(entry.key) <= 2100):
            report.add(entry, f"invalid year '{entry.key}' in {what} (expected a year like 2027)")
            continue
        sources = fr.mapping_of(entry.value, report, f"{what} {entry.key}")
        for source in sources.entries if sources else ():
            label = f"{what} {entry.key} {source.key}"
            amount = fr.positive_amount(source.value, report, label)
            if amount is not None:
                found.append(YearAmount(year=int(entry.key), source=source.key, amount=amount))
    if not found and not years.entries:
        report.invalid(years, what, "expected at least one year, like 2027: {РБ: 1500}")
    return tuple(found) if found else None


def _currency(node: Node, report: Report, what: str) -> str | None:
    return fr.code_of(node, report, what, CURRENCY_CODES, "expected an ISO 4217 code, like KZT")


def _ongoing_or_repeat(mapping: Mapping, label: str, report: Report) -> None:
    """What is done continuously has no deadlines to repeat."""
    ongoing, repeat = fr.value_of(mapping, "ongoing"), fr.value_of(mapping, "repeat")
    if isinstance(ongoing, Scalar) and ongoing.value is True and repeat is not None:
        expected = "expected ongoing: true or a repeat, not both"
        report.add(ongoing, f"{label} is ongoing and repeats ({expected})")


def _short_enough_to_repeat(commitment_id: str, node: Node, report: Report) -> None:
    """Each occurrence is tracked as `id@date`, which must fit a tracked key."""
    limit = _KEY_LIMIT - OCCURRENCE_SUFFIX
    if len(commitment_id) > limit:
        expected = f"expected at most {limit} characters for a commitment with repeat"
        report.add(node, f"commitment id '{commitment_id}' is too long ({expected})")


def _repeat(node: Node, report: Report, what: str) -> RepeatSpec | None:
    """every: year (by: MM-DD) | half_year | quarter | month (day: N of the month after)."""
    repeat = fr.mapping_of(node, report, what)
    if repeat is None:
        return None
    before = len(report.problems)
    fr.check_keys(repeat, report, allowed=_REPEAT_KEYS, required=("every",), context=what)
    every_text = fr.optional(
        repeat,
        "every",
        partial(fr.choice_of, options=[r.value for r in Recurrence]),
        report,
        f"{what} every",
    )
    every = Recurrence(every_text) if every_text is not None else None
    by = fr.optional(repeat, "by", _month_day, report, f"{what} by")
    day = fr.optional(
        repeat, "day", partial(fr.whole_number, low=1, high=28), report, f"{what} day"
    )
    by_node, day_node = fr.value_of(repeat, "by"), fr.value_of(repeat, "day")
    if by_node is not None and every not in (None, Recurrence.year):
        report.add(by_node, f"{what} by is for every: year (expected day: N for other periods)")
    if day_node is not None and every is Recurrence.year:
        report.add(day_node, f"{what} day is not for every: year (expected by: MM-DD)")
    if len(report.problems) > before or every is None:
        return None
    return RepeatSpec(every=every, by=by, day=day)


def _month_day(node: Node, report: Report, what: str) -> tuple[int, int] | None:
    """ "12-25": the 25th of December of each year."""
    text = node.source.strip() if isinstance(node, Scalar) else ""
    found = _MONTH_DAY.fullmatch(text)
    if found:
        month, day = int(found.group(1)), int(found.group(2))
        try:
            dt.date(2001, month, day)
            return month, day
        except ValueError:
            pass
    report.invalid(node, what, "expected a month and day MM-DD, like 12-25 (not 02-29)")
    return None


def _texts(
    node: Node, report: Report, what: str, *, languages: tuple[str, ...] | None
) -> dict[str, str] | None:
    return fr.plain_text_map(node, report, what, languages)
