"""One agreement file: every rule of the `accord/v1` format that concerns a single agreement."""

from collections.abc import Collection
from dataclasses import dataclass
from functools import partial
from typing import Any

from accord.source import field_readers as fr
from accord.source.agreement_clauses import ClauseContext, read_clauses
from accord.source.clause_library import IDENTIFIER, ClauseLibrary
from accord.source.field_readers import Report
from accord.source.iso_codes import COUNTRY_CODES
from accord.source.organization_reader import COUNTRY_EXPECTED
from accord.source.plan_reader import PlanScope, read_commitments, read_objectives
from accord.source.problems import Problem
from accord.source.spec import (
    FORMAT,
    REPORTING_DAY,
    REPORTING_EVERY,
    AgreementKind,
    AgreementSpec,
    ApprovalSpec,
    ClauseSpec,
    FinalProvisionsSpec,
    PartyRole,
    PartySpec,
    ReportingSpec,
    ReviewDefaultsSpec,
    TermSpec,
)
from accord.source.yaml_nodes import Mapping, Node, to_python

_KEYS = (
    "format", "id", "kind", "languages", "country", "secretariat", "title", "parties",
    "variables", "clauses", "objectives", "commitments", "term", "reporting", "review", "final",
    "approval",
)  # fmt: skip
_FINAL_KEYS = ("place", "date", "originals", "authentic", "prevails")
_PARTY_KEYS = ("org", "role", "coordinating")
_APPROVAL_KEYS = ("by", "date", "number")
_REQUIRED = (
    "format", "id", "kind", "languages", "country", "secretariat", "title", "parties", "clauses",
)  # fmt: skip


@dataclass(frozen=True)
class AgreementRefs:
    """What an agreement may refer to outside its file."""

    organizations: Collection[str] | None
    """Known organisation ids; None when there is no organisations file (then not checked)."""
    library: ClauseLibrary
    library_problems: set[Problem]
    """Problems found in library files the agreement uses (they carry their own paths)."""


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
    objectives = fr.optional(
        top, "objectives", partial(read_objectives, languages=languages), report
    )
    party_ids = tuple(parties) if parties is not None else None
    scope = PlanScope(languages, party_ids, tuple(objectives or ()))
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
        "commitments": fr.optional(
            top, "commitments", partial(read_commitments, scope=scope), report
        ),
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
) -> dict[str, PartySpec | None] | None:
    """Each party (None if its role is invalid), in order; at most one coordinating body,
    which does not sign."""
    items = fr.list_of(node, report, what, non_empty=True)
    if items is None:
        return None
    parties: dict[str, PartySpec | None] = {}
    first: dict[str, int] = {}
    coordinator: tuple[str, int] | None = None
    for item in items.items:
        party = fr.mapping_of(item, report, "party")
        if party is None:
            continue
        fr.check_keys(party, report, allowed=_PARTY_KEYS, required=("org", "role"), context="party")
        org = fr.optional(party, "org", fr.slug_of, report, "party")
        role = fr.optional(party, "role", _party_role, report, "party role")
        coordinating = fr.optional(
            party, "coordinating", fr.boolean_of, report, "party coordinating"
        )
        org_node = fr.value_of(party, "org")
        if org is not None and org_node is not None:
            _is_known(org, org_node, report, "party", known)
        if org is not None and org in parties:
            report.add(party, f"duplicate party '{org}' (first at line {first[org]})")
            continue
        if org is None:
            continue
        first[org] = party.line
        parties[org] = (
            None if role is None else PartySpec(org=org, role=role, coordinating=bool(coordinating))
        )
        if coordinating:
            _check_coordinator(party, org, role, coordinator, report)
            coordinator = coordinator or (org, party.line)
    return parties


def _check_coordinator(
    party: Mapping, org: str, role: PartyRole | None, first: tuple[str, int] | None, report: Report
) -> None:
    """The coordinating body coordinates the signatories: it does not sign, and there is one."""
    if role is PartyRole.signatory:
        at = fr.value_of(party, "coordinating") or party
        expected = "expected role: reviewer or observer, or no coordinating"
        report.add(at, f"the coordinating body '{org}' cannot be a signatory ({expected})")
    if first is not None:
        expected = f"expected one; the first is '{first[0]}' at line {first[1]}"
        report.add(party, f"a second coordinating body '{org}' ({expected})")


def _party_role(node: Node, report: Report, what: str) -> PartyRole | None:
    role = fr.choice_of(node, report, what, [role.value for role in PartyRole])
    return PartyRole(role) if role is not None else None


def _party_specs(parties: dict[str, PartySpec | None]) -> tuple[PartySpec, ...]:
    return tuple(party for party in parties.values() if party is not None)


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
