"""One agreement file: every rule of the `accord/v1` format that concerns a single agreement."""

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from accord.source import field_readers as fr
from accord.source.agreement_clauses import ClauseContext, read_clauses
from accord.source.clause_library import IDENTIFIER, ClauseLibrary
from accord.source.field_readers import Report
from accord.source.iso_codes import COUNTRY_CODES, CURRENCY_CODES
from accord.source.organization_reader import COUNTRY_EXPECTED
from accord.source.problems import Problem
from accord.source.spec import (
    FORMAT,
    REPORTING_DAY,
    REPORTING_EVERY,
    AgreementKind,
    AgreementSpec,
    ApprovalSpec,
    BudgetSpec,
    ClauseSpec,
    CommitmentSpec,
    FinalProvisionsSpec,
    ObjectiveSpec,
    PartyRole,
    PartySpec,
    Recurrence,
    RepeatSpec,
    ReportingSpec,
    ReviewDefaultsSpec,
    TermSpec,
    YearAmount,
)
from accord.source.yaml_nodes import Mapping, Node, Scalar, to_python

_KEYS = (
    "format", "id", "kind", "languages", "country", "secretariat", "title", "parties",
    "variables", "clauses", "objectives", "commitments", "term", "reporting", "review", "final",
    "approval",
)  # fmt: skip
_FINAL_KEYS = ("place", "date", "originals", "authentic", "prevails")
_APPROVAL_KEYS = ("by", "date", "number")
_REQUIRED = (
    "format", "id", "kind", "languages", "country", "secretariat", "title", "parties", "clauses",
)  # fmt: skip
_COMMITMENT_KEYS = (
    "id", "objective", "activity", "responsible", "partners", "due", "indicator", "baseline",
    "target", "budget", "funding", "co_responsible", "completion", "mechanism", "repeat",
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
class AgreementRefs:
    """What an agreement may refer to outside its file."""

    organizations: Collection[str] | None
    """Known organisation ids; None when there is no organisations file (then not checked)."""
    library: ClauseLibrary
    library_problems: set[Problem]
    """Problems found in library files the agreement uses (they carry their own paths)."""


@dataclass(frozen=True)
class _Scope:
    """What commitments may refer to inside the agreement."""

    languages: tuple[str, ...] | None
    parties: Collection[str] | None
    objectives: Collection[str]


def read_agreement(top: Mapping, report: Report, refs: AgreementRefs) -> AgreementSpec | None:
    """The agreement, or None if anything in it (or a library clause it uses) is wrong."""
    before = len(report.problems)
    fr.check_keys(top, report, allowed=_KEYS, required=_REQUIRED, context="agreement")
    fr.check_format(top, report, FORMAT)
    languages = fr.optional(top, "languages", _languages, report)
    orgs = refs.organizations
    country = fr.optional(top, "country", _country, report)
    parties = fr.optional(top, "parties", partial(_parties, known=orgs), report)
    variables = fr.optional(top, "variables", _variables, report) or {}
    objectives = fr.optional(top, "objectives", partial(_objectives, languages=languages), report)
    party_ids = tuple(parties) if parties is not None else None
    scope = _Scope(languages, party_ids, tuple(objectives or ()))
    values: dict[str, Any] = {
        "id": fr.optional(top, "id", fr.slug_of, report, "agreement id"),
        "kind": fr.optional(top, "kind", _agreement_kind, report),
        "languages": languages,
        "country": country,
        "secretariat": fr.optional(top, "secretariat", partial(_organization, known=orgs), report),
        "title": fr.optional(top, "title", partial(_texts, languages=languages), report),
        "parties": _party_specs(parties or {}),
        "variables": variables,
        "clauses": _clauses(top, report, refs, _Setting(languages, country, variables)),
        "objectives": tuple(spec for spec in (objectives or {}).values() if spec is not None),
        "commitments": fr.optional(top, "commitments", partial(_commitments, scope=scope), report),
        "term": fr.optional(top, "term", _term, report),
        "reporting": fr.optional(top, "reporting", _reporting, report),
        "review": fr.optional(top, "review", _review, report) or ReviewDefaultsSpec(),
        "final": fr.optional(top, "final", partial(_final, languages=languages), report),
        "approval": fr.optional(top, "approval", partial(_approval, languages=languages), report),
    }
    _approval_only_for_plans(top, values["kind"], report)
    if len(report.problems) > before:
        return None
    return AgreementSpec(**{key: value for key, value in values.items() if value is not None})


def _approval_only_for_plans(top: Mapping, kind: AgreementKind | None, report: Report) -> None:
    """A memorandum is signed by its parties; only a plan can be adopted by a decision."""
    node = fr.value_of(top, "approval")
    if node is not None and kind is AgreementKind.mou:
        expected = "expected kind: joint_action_plan, or signatures instead of an approval"
        report.add(node, f"a memorandum cannot be approved by a decision ({expected})")


@dataclass(frozen=True)
class _Setting:
    """What an agreement's clauses are rendered for: languages, country (which chooses library
    variants) and variables."""

    languages: tuple[str, ...] | None
    country: str | None
    variables: dict[str, Any]


def _clauses(
    top: Mapping, report: Report, refs: AgreementRefs, setting: _Setting
) -> tuple[ClauseSpec, ...]:
    node = fr.value_of(top, "clauses")
    if node is None:
        return ()
    ctx = ClauseContext(
        report,
        setting.languages,
        setting.variables,
        refs.library,
        refs.library_problems,
        country=setting.country,
    )
    return read_clauses(node, ctx)


def _languages(node: Node, report: Report, what: str) -> tuple[str, ...] | None:
    """Document languages, in column order; None if none is usable."""
    items = fr.list_of(node, report, what, non_empty=True)
    if items is None:
        return None
    found: dict[str, int] = {}
    codes = [fr.language_of(item, report, "language") for item in items.items]
    for item, language in zip(items.items, codes, strict=True):
        if language is not None and language in found:
            report.add(item, f"duplicate language '{language}' (first at line {found[language]})")
        elif language is not None:
            found[language] = item.line
    # with an invalid code, text maps are checked for their shape only, not per language
    return tuple(found) if None not in codes else None


def _agreement_kind(node: Node, report: Report, what: str) -> AgreementKind | None:
    kind = fr.choice_of(node, report, what, [kind.value for kind in AgreementKind])
    return AgreementKind(kind) if kind is not None else None


def _country(node: Node, report: Report, what: str) -> str | None:
    return fr.code_of(node, report, what, COUNTRY_CODES, COUNTRY_EXPECTED)


def _texts(
    node: Node, report: Report, what: str, *, languages: tuple[str, ...] | None
) -> dict[str, str] | None:
    return fr.plain_text_map(node, report, what, languages)


def _organization(
    node: Node, report: Report, what: str, *, known: Collection[str] | None
) -> str | None:
    """An organisation id that the organisations file defines."""
    org = fr.slug_of(node, report, what)
    if org is None or _is_known(org, node, report, what, known):
        return org
    return None


def _is_known(
    org: str, node: Node, report: Report, what: str, known: Collection[str] | None
) -> bool:
    """Whether the organisations file defines `org` (not checked without that file)."""
    if known is None or org in known:
        return True
    hint = f"expected an id from the organisations file{fr.did_you_mean(org, known)}"
    report.add(node, f"unknown organisation '{org}' as {what} ({hint})")
    return False


def _parties(
    node: Node, report: Report, what: str, *, known: Collection[str] | None
) -> dict[str, PartyRole | None] | None:
    """Each party's organisation and role (None if its role is invalid), in order."""
    items = fr.list_of(node, report, what, non_empty=True)
    if items is None:
        return None
    parties: dict[str, PartyRole | None] = {}
    first: dict[str, int] = {}
    for item in items.items:
        party = fr.mapping_of(item, report, "party")
        if party is None:
            continue
        fr.check_keys(
            party, report, allowed=("org", "role"), required=("org", "role"), context="party"
        )
        org = fr.optional(party, "org", fr.slug_of, report, "party")
        role = fr.optional(party, "role", _party_role, report, "party role")
        org_node = fr.value_of(party, "org")
        if org is not None and org_node is not None:
            _is_known(org, org_node, report, "party", known)
        if org is not None and org in parties:
            report.add(party, f"duplicate party '{org}' (first at line {first[org]})")
        elif org is not None:
            parties[org], first[org] = role, party.line
    return parties


def _party_role(node: Node, report: Report, what: str) -> PartyRole | None:
    role = fr.choice_of(node, report, what, [role.value for role in PartyRole])
    return PartyRole(role) if role is not None else None


def _party_specs(parties: dict[str, PartyRole | None]) -> tuple[PartySpec, ...]:
    return tuple(PartySpec(org=org, role=role) for org, role in parties.items() if role is not None)


def _variables(node: Node, report: Report, what: str) -> dict[str, Any] | None:
    """Values for templates; names must be usable in Jinja2 (`{{ city }}`)."""
    mapping = fr.mapping_of(node, report, what)
    if mapping is None:
        return None
    variables: dict[str, Any] = {}
    for entry in mapping.entries:
        if IDENTIFIER.fullmatch(entry.key):
            variables[entry.key] = to_python(entry.value)
        else:
            expected = "expected letters, digits and underscores, like city_name"
            report.add(entry, f"invalid variable name '{entry.key}' ({expected})")
    return variables


def _objectives(
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


def _commitments(
    node: Node, report: Report, what: str, *, scope: _Scope
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
    node: Node, report: Report, scope: _Scope, seen: dict[str, int]
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
    if commitment_id is None or any(values[key] is None for key in required[1:]):
        return None
    return CommitmentSpec(id=commitment_id, **{k: v for k, v in values.items() if v is not None})


def _commitment_values(
    mapping: Mapping, report: Report, scope: _Scope, label: str
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


def _term(node: Node, report: Report, what: str) -> TermSpec | None:
    term = fr.mapping_of(node, report, what)
    if term is None:
        return None
    fr.check_keys(term, report, allowed=("years", "until"), required=(), context=what)
    years = fr.optional(term, "years", fr.whole_number, report, "term years")
    until = fr.optional(term, "until", fr.date_of, report, "term until")
    given = [key for key in ("years", "until") if term.get(key) is not None]
    if len(given) != 1:
        has = "both years and until" if given else "neither years nor until"
        report.add(term, f"term has {has} (expected exactly one of them)")
        return None
    if years is None and until is None:
        return None
    return TermSpec(years=years, until=until)


def _reporting(node: Node, report: Report, what: str) -> ReportingSpec | None:
    """`every` (calendar periods) or `every_months` (from entry into force), and `day`."""
    reporting = fr.mapping_of(node, report, what)
    if reporting is None:
        return None
    keys = ("every", "every_months", "day")
    fr.check_keys(reporting, report, allowed=keys, required=(), context=what)
    months = partial(fr.whole_number, low=1, high=12)
    day = partial(fr.whole_number, low=1, high=28)
    calendar = partial(fr.choice_of, options=REPORTING_EVERY)
    every = fr.optional(reporting, "every", calendar, report, "reporting every")
    every_months = fr.optional(reporting, "every_months", months, report, "reporting every_months")
    by_day = fr.optional(reporting, "day", day, report, "reporting day")
    given = [key for key in ("every", "every_months") if reporting.get(key) is not None]
    if len(given) != 1:
        has = "both every and every_months" if given else "neither every nor every_months"
        report.add(reporting, f"reporting has {has} (expected exactly one of them)")
        return None
    if every is None and every_months is None:
        return None
    if by_day is None and reporting.get("day") is not None:
        return None
    return ReportingSpec.model_validate(
        {"every": every, "every_months": every_months, "day": by_day or REPORTING_DAY}
    )


def _review(node: Node, report: Report, what: str) -> ReviewDefaultsSpec | None:
    review = fr.mapping_of(node, report, what)
    if review is None:
        return None
    keys = ("working_days", "remind_before", "comments_visible")
    fr.check_keys(review, report, allowed=keys, required=(), context=what)
    days = fr.optional(review, "working_days", fr.whole_number, report, "review working_days")
    working_days = days or ReviewDefaultsSpec().working_days
    remind_node = fr.value_of(review, "remind_before")
    if remind_node is None:
        default = ReviewDefaultsSpec().remind_before
        reminders: tuple[int, ...] | None = tuple(d for d in default if d < working_days)
    else:
        reminders = _reminders(remind_node, report, working_days)
    if reminders is None or (days is None and review.get("working_days") is not None):
        return None
    visible_node = fr.value_of(review, "comments_visible")
    visible = None
    if visible_node is not None:
        visible = fr.choice_of(
            visible_node, report, "review comments_visible", ("parties", "secretariat")
        )
        if visible is None:
            return None
    return ReviewDefaultsSpec(
        working_days=working_days,
        remind_before=reminders,
        comments_visible="parties" if visible == "parties" else None,
    )


def _reminders(node: Node, report: Report, working_days: int) -> tuple[int, ...] | None:
    """Working days before the deadline, each once, all before the round's start; largest first."""
    items = fr.list_of(node, report, "review remind_before")
    if items is None:
        return None
    reminders: list[int] = []
    for item in items.items:
        days = fr.whole_number(item, report, "reminder")
        if days is not None and days >= working_days:
            expected = f"expected fewer than working_days: {working_days}"
            report.add(item, f"reminder {days} is not inside the review period ({expected})")
        elif days is not None and days in reminders:
            report.add(item, f"duplicate reminder {days} (each number once)")
        elif days is not None:
            reminders.append(days)
    if len(reminders) < len(items.items):
        return None
    return tuple(sorted(reminders, reverse=True))


def _final(
    node: Node, report: Report, what: str, *, languages: tuple[str, ...] | None
) -> FinalProvisionsSpec | None:
    """Place, date, number of originals, authentic languages and the prevailing one."""
    final = fr.mapping_of(node, report, what)
    if final is None:
        return None
    before = len(report.problems)
    fr.check_keys(final, report, allowed=_FINAL_KEYS, required=(), context=what)
    authentic = fr.optional(final, "authentic", _languages, report, "final authentic")
    values = {
        "place": fr.optional(final, "place", partial(_texts, languages=languages), report),
        "date": fr.optional(final, "date", fr.date_of, report, "final date"),
        "originals": fr.optional(
            final, "originals", partial(fr.whole_number, low=1, high=99), report, "final originals"
        ),
        "authentic": authentic,
        "prevails": fr.optional(
            final,
            "prevails",
            partial(_prevailing, authentic=authentic or languages),
            report,
            "final prevails",
        ),
    }
    if len(report.problems) > before:
        return None
    return FinalProvisionsSpec(**{key: value for key, value in values.items() if value is not None})


def _prevailing(
    node: Node, report: Report, what: str, *, authentic: tuple[str, ...] | None
) -> str | None:
    """One of the authentic languages (the document languages unless `authentic` is given)."""
    language = fr.language_of(node, report, what)
    if language is None or authentic is None or language in authentic:
        return language
    hint = f"expected one of the authentic languages: {fr.one_of(authentic)}"
    report.add(node, f"{what} '{language}' is not an authentic language ({hint})")
    return None


def _approval(
    node: Node, report: Report, what: str, *, languages: tuple[str, ...] | None
) -> ApprovalSpec | None:
    """The decision or decree that adopts a plan instead of signatures."""
    approval = fr.mapping_of(node, report, what)
    if approval is None:
        return None
    before = len(report.problems)
    fr.check_keys(approval, report, allowed=_APPROVAL_KEYS, required=_APPROVAL_KEYS, context=what)
    by = fr.optional(approval, "by", partial(_texts, languages=languages), report, "approval by")
    day = fr.optional(approval, "date", fr.date_of, report, "approval date")
    number = fr.optional(approval, "number", fr.text_of, report, "approval number")
    if len(report.problems) > before or by is None or day is None or number is None:
        return None
    return ApprovalSpec(by=by, date=day, number=number)


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
