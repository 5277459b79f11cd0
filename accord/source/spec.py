"""What an `accord/v1` source means once it has been read and checked.

These immutable values are the one vocabulary shared by the loader (which builds
them), the drafting service (which stores them as version content) and the
document renderer (which prints them). They carry no positions and no I/O.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from accord.i18n.languages import pick
from accord.source.problems import SourceWarning

FORMAT = "accord/v1"

LangText = dict[str, str]
"""Language tag of the registry (``ru``, ``kk``, ``uz-Latn``; accord.i18n.languages) → text."""


class OrgKind(StrEnum):
    commission = "commission"
    ministry = "ministry"
    agency = "agency"
    ngo = "ngo"
    international = "international"
    donor = "donor"


class ContactRole(StrEnum):
    secretariat = "secretariat"
    reviewer = "reviewer"
    signatory = "signatory"
    focal_point = "focal_point"


class PartyRole(StrEnum):
    signatory = "signatory"
    reviewer = "reviewer"
    observer = "observer"


class AgreementKind(StrEnum):
    mou = "mou"
    joint_action_plan = "joint_action_plan"


class Spec(BaseModel):
    """Base for every source value: frozen, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ContactSpec(Spec):
    name: str
    email: str
    language: str
    roles: tuple[ContactRole, ...]
    title: LangText | None = None
    """The person's position per language, printed under their name in a signature block."""


class SignerSnapshot(Spec):
    """Who signs for an organisation, as its signature block prints them."""

    name: str
    title: LangText | None = None


class OrganizationSpec(Spec):
    id: str
    kind: OrgKind
    country: str
    name: LangText
    contacts: tuple[ContactSpec, ...] = ()
    short_name: LangText | None = None
    """Per language, the abbreviation plans write for it («МВД»): the plan importer reads it."""

    def signer(self) -> SignerSnapshot | None:
        """The first contact with the signatory role: the person a signature block names."""
        contact = next((c for c in self.contacts if ContactRole.signatory in c.roles), None)
        return SignerSnapshot(name=contact.name, title=contact.title) if contact else None

    def display_name(self, language: str) -> str:
        """Name in `language`, else along its fallback chain (sources need not translate every
        name), else the first name given."""
        return pick(self.name, language)


class PartySpec(Spec):
    org: str
    role: PartyRole
    coordinating: bool = False
    """The coordinating body: it coordinates the parties' work and does not sign; the list of
    parties names it so. Added later: left out of the canonical JSON while false."""


class ClauseSpec(Spec):
    """A clause with its Jinja2 already rendered: `text` is final document text.

    Paragraphs inside `text` are separated by newlines. `library` names the
    file of `templates/clauses/` it came from, if any, without .yaml (`definitions`, or
    `definitions.KZ` for Kazakhstan's variant).
    """

    id: str
    title: LangText | None = None
    text: LangText
    clauses: tuple["ClauseSpec", ...] = ()
    library: str | None = None


class NumberedClause(Spec):
    number: str
    depth: int
    clause: ClauseSpec


def paragraphs(text: str) -> tuple[str, ...]:
    """Source text is one paragraph per line; blank lines separate nothing."""
    return tuple(stripped for line in text.split("\n") if (stripped := line.strip()))


def is_titled(clause: ClauseSpec) -> bool:
    return any(title.strip() for title in (clause.title or {}).values())


def paragraph_numbers(item: NumberedClause, count: int) -> list[str]:
    """The numbers of a clause's `count` paragraphs, so that every paragraph has one.

    Under a title they are N.1, N.2 … (the lead paragraph of article 7 is 7.1); an untitled
    clause is its first paragraph ("N."), and any further ones go on N.1, N.2 ….
    """
    if is_titled(item.clause):
        return [f"{item.number}.{index}" for index in range(1, count + 1)]
    return [item.number, *(f"{item.number}.{index}" for index in range(1, count))]


def _own_numbers(clause: ClauseSpec) -> int:
    """How many numbers a clause's own paragraphs take before its sub-clauses
    (the most paragraphs any language has)."""
    count = max((len(paragraphs(text)) for text in clause.text.values()), default=0)
    return count if is_titled(clause) else max(count - 1, 0)


def numbered(clauses: tuple[ClauseSpec, ...], prefix: str = "") -> Iterator[NumberedClause]:
    """Clause numbers come from order alone, never from ids: 1, 2 … and below a clause, after
    the numbers of its own paragraphs (a titled clause 1 with one paragraph: 1.1, then 1.2 …)."""
    for index, clause in enumerate(clauses, start=1):
        number = f"{prefix}{index}"
        yield NumberedClause(number=number, depth=number.count("."), clause=clause)
        yield from _sub_numbered(clause.clauses, f"{number}.", _own_numbers(clause))


def _sub_numbered(
    clauses: tuple[ClauseSpec, ...], prefix: str, skip: int
) -> Iterator[NumberedClause]:
    for index, clause in enumerate(clauses, start=skip + 1):
        number = f"{prefix}{index}"
        yield NumberedClause(number=number, depth=number.count("."), clause=clause)
        yield from _sub_numbered(clause.clauses, f"{number}.", _own_numbers(clause))


class ObjectiveSpec(Spec):
    id: str
    title: LangText


class Recurrence(StrEnum):
    year = "year"
    half_year = "half_year"
    quarter = "quarter"
    month = "month"


MONTHS_OF = {
    Recurrence.year: 12,
    Recurrence.half_year: 6,
    Recurrence.quarter: 3,
    Recurrence.month: 1,
}


class RepeatSpec(Spec):
    """A deadline that comes back ("ежегодно, до 25 декабря", "ежеквартально") until `due`.

    Yearly by `by` (month, day); otherwise at the end of each calendar period, or on `day`
    of the month after it ("by the 5th of the month after each quarter").
    """

    every: Recurrence
    by: tuple[int, int] | None = None
    day: int | None = None


class YearAmount(Spec):
    """What one source of financing gives in one year, in the budget's `scale`."""

    year: int
    source: str
    """As the plan abbreviates it: РБ (republican budget), МБ (local budget), donor …"""
    amount: Decimal


class BudgetSpec(Spec):
    amount: Decimal
    """The total, in units of `currency`."""
    currency: str
    scale: int | None = None
    """Amounts by year are in thousands (1000) or millions; None: in units."""
    years: tuple[YearAmount, ...] = ()


class CommitmentSpec(Spec):
    id: str
    objective: str | None = None
    activity: LangText
    responsible: str
    """The lead body."""
    partners: tuple[str, ...] = ()
    due: date
    due_label: str
    """The deadline as written (``2027-06-30`` or ``2027-Q2``); `due` is its last day (with
    `repeat`, the last day an occurrence may fall on)."""
    co_responsible: tuple[str, ...] = ()
    """Co-executors: parties responsible with the lead ("МВД, МТСЗН")."""
    completion: LangText | None = None
    """Form of completion ("информация в Правительство", "приказ")."""
    mechanism: LangText | None = None
    """Implementation mechanism (Uzbek roadmaps' «механизм реализации»)."""
    repeat: RepeatSpec | None = None
    ongoing: bool = False
    """Carried out continuously («постоянно») until `due`, not by a deadline; one tracked
    item due on `due`. Never with `repeat`."""
    indicator: LangText | None = None
    baseline: str | None = None
    target: str | None = None
    budget: BudgetSpec | None = None
    funding: LangText | None = None


class NumberedActivity(Spec):
    number: str
    """As the plan prints it: "2.4" under the second objective, "4" in a plan without any."""
    commitment: CommitmentSpec


class PlanGroup(Spec):
    """One objective of a plan (None: the activities that name no known objective, or every
    activity of a plan without objectives) with its activities, numbered."""

    number: str | None
    objective: ObjectiveSpec | None
    activities: tuple[NumberedActivity, ...]


def numbered_plan(
    objectives: tuple[ObjectiveSpec, ...], commitments: tuple[CommitmentSpec, ...]
) -> tuple[PlanGroup, ...]:
    """Activity numbers come from order alone, as the plan prints them: objectives in source
    order (1, 2 …), each with its activities (1.1, 1.2 …), then the activities naming none
    (or an unknown one) under the next number; without objectives, 1, 2 … ."""
    groups: dict[str, list[CommitmentSpec]] = {o.id: [] for o in objectives}
    loose: list[CommitmentSpec] = []
    for commitment in commitments:
        groups.get(commitment.objective or "", loose).append(commitment)
    listed: list[tuple[ObjectiveSpec | None, list[CommitmentSpec]]] = [
        (objective, groups[objective.id]) for objective in objectives
    ]
    if loose:
        listed.append((None, loose))
    titled = bool(objectives)
    out: list[PlanGroup] = []
    for index, (objective, items) in enumerate(listed, start=1):
        prefix = f"{index}." if titled else ""
        activities = tuple(
            NumberedActivity(number=f"{prefix}{position}", commitment=commitment)
            for position, commitment in enumerate(items, start=1)
        )
        out.append(
            PlanGroup(
                number=str(index) if titled else None, objective=objective, activities=activities
            )
        )
    return tuple(out)


def activity_numbers(
    objectives: tuple[ObjectiveSpec, ...], commitments: tuple[CommitmentSpec, ...]
) -> dict[str, str]:
    """Commitment id → its number in the plan."""
    return {
        item.commitment.id: item.number
        for group in numbered_plan(objectives, commitments)
        for item in group.activities
    }


class TermSpec(Spec):
    years: int | None = None
    until: date | None = None


ReportingEvery = Literal["month", "quarter", "half-year", "year"]
"""Calendar periods a report may follow (`reporting: {every: half-year}`)."""
REPORTING_EVERY: tuple[str, ...] = get_args(ReportingEvery)
REPORTING_DAY = 20
"""By the 20th of the month after the period, as governments of the region ask."""


class ReportingSpec(Spec):
    """Reports by `day` of the month after each period: calendar periods (`every`), or periods
    of `every_months` counted from entry into force; exactly one of the two."""

    every_months: int | None = None
    every: ReportingEvery | None = None
    day: int = REPORTING_DAY

    @model_serializer(mode="wrap")
    def _only_the_kind_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The kind of period not given is left out, so a version written before `every`
        existed keeps its content hash."""
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None or k == "day"}


class ReviewDefaultsSpec(Spec):
    working_days: int = 10
    remind_before: tuple[int, ...] = (3, 1)
    comments_visible: Literal["parties", "secretariat"] | None = None
    """Who reads a party's comments during a round: every party ("parties") or only the
    secretariat (None, the default, or "secretariat")."""


class FinalProvisionsSpec(Spec):
    """How the document closes: where and when it is done, in how many originals, which texts
    are authentic and which prevails. Everything optional; `AgreementSpec` supplies defaults."""

    place: LangText | None = None
    date: dt.date | None = None
    originals: int | None = None
    authentic: tuple[str, ...] | None = None
    prevails: str | None = None


class ApprovalSpec(Spec):
    """A plan adopted by a decision or decree instead of signatures: who approved it, how,
    when, under which number. It takes effect on that date."""

    by: LangText
    """The act as it reads after "APPROVED" ("решением Межведомственной комиссии")."""
    date: dt.date
    number: str


ADDED_FIELDS = {"final": None, "approval": None}
"""Agreement fields added after the first versions were recorded: left out of the canonical
JSON while unset, so an unchanged old source keeps its hash."""
ADDED_BUDGET_FIELDS: dict[str, Any] = {"scale": None, "years": []}
ADDED_COMMITMENT_FIELDS: dict[str, Any] = {
    "co_responsible": [],
    "completion": None,
    "mechanism": None,
    "repeat": None,
    "ongoing": False,
}
"""The same for commitments: each with its unset value as dumped."""
ADDED_PARTY_FIELDS: dict[str, Any] = {"coordinating": False}
"""The same for parties."""


class AgreementSpec(Spec):
    id: str
    kind: AgreementKind
    languages: tuple[str, ...]
    country: str
    secretariat: str
    title: LangText
    parties: tuple[PartySpec, ...]
    variables: dict[str, Any] = {}
    clauses: tuple[ClauseSpec, ...]
    objectives: tuple[ObjectiveSpec, ...] = ()
    commitments: tuple[CommitmentSpec, ...] = ()
    term: TermSpec | None = None
    reporting: ReportingSpec | None = None
    review: ReviewDefaultsSpec = ReviewDefaultsSpec()
    final: FinalProvisionsSpec | None = None
    approval: ApprovalSpec | None = None

    @property
    def primary_language(self) -> str:
        return self.languages[0]

    def original_copies(self) -> int:
        """As set, else one per signatory and one for the secretariat (unless it signs)."""
        if self.final and self.final.originals:
            return self.final.originals
        signatories = self.signatories()
        return len(signatories) + (0 if self.secretariat in signatories else 1)

    def authentic_languages(self) -> tuple[str, ...]:
        """As set, else the document languages."""
        return (self.final.authentic if self.final else None) or self.languages

    def prevailing_language(self) -> str | None:
        """As set; else English when it is one of several authentic texts; else none."""
        if self.final and self.final.prevails:
            return self.final.prevails
        authentic = self.authentic_languages()
        return "en" if "en" in authentic and len(authentic) > 1 else None

    def party(self, org_id: str) -> PartySpec | None:
        return next((p for p in self.parties if p.org == org_id), None)

    def signatories(self) -> tuple[str, ...]:
        return tuple(p.org for p in self.parties if p.role is PartyRole.signatory)

    def coordinating_body(self) -> str | None:
        """The party the agreement names its coordinating body, if any."""
        return next((p.org for p in self.parties if p.coordinating), None)


class OrgSnapshot(Spec):
    """What a version records of an organisation: enough to print it, nothing personal."""

    id: str
    kind: OrgKind
    country: str
    name: LangText
    signer: SignerSnapshot | None = None
    """Added later than the other fields: left out of the canonical JSON while unset."""

    def display_name(self, language: str) -> str:
        return pick(self.name, language)


class VersionContent(Spec):
    """Everything a version's documents are printed from, so a version renders the same forever.

    The secretariat and party organisations are snapshotted: renaming an
    organisation later changes the next version, never an existing one.
    """

    agreement: AgreementSpec
    organizations: dict[str, OrgSnapshot]

    def canonical_json(self) -> str:
        """Sorted keys, no whitespace, dates and decimals as strings: equal content, equal bytes."""
        return json.dumps(
            _without_unset_additions(self.model_dump(mode="json")),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def org(self, org_id: str) -> OrgSnapshot:
        return self.organizations[org_id]


def _without_unset_additions(dumped: dict[str, Any]) -> dict[str, Any]:
    """`dumped` without the later fields that are unset (see ADDED_FIELDS)."""
    agreement = {
        key: value
        for key, value in dumped["agreement"].items()
        if not (key in ADDED_FIELDS and value is None)
    }
    review = agreement.get("review")
    if isinstance(review, dict) and review.get("comments_visible") is None:
        agreement["review"] = {k: v for k, v in review.items() if k != "comments_visible"}
    agreement["commitments"] = [
        _without(
            {
                **commitment,
                "budget": commitment["budget"]
                and _without(commitment["budget"], ADDED_BUDGET_FIELDS),
            },
            ADDED_COMMITMENT_FIELDS,
        )
        for commitment in agreement["commitments"]
    ]
    agreement["parties"] = [_without(party, ADDED_PARTY_FIELDS) for party in agreement["parties"]]
    organizations = {
        org_id: {key: value for key, value in org.items() if key != "signer" or value is not None}
        for org_id, org in dumped["organizations"].items()
    }
    return {**dumped, "agreement": agreement, "organizations": organizations}


def _without(dumped: dict[str, Any], added: dict[str, Any]) -> dict[str, Any]:
    """`dumped` without the `added` keys that hold their unset value."""
    return {
        key: value for key, value in dumped.items() if not (key in added and value == added[key])
    }


def snapshot(org: OrganizationSpec) -> OrgSnapshot:
    return OrgSnapshot(
        id=org.id, kind=org.kind, country=org.country, name=dict(org.name), signer=org.signer()
    )


def version_content(
    agreement: AgreementSpec, organizations: dict[str, OrganizationSpec]
) -> VersionContent:
    """Bundle an agreement with snapshots of the organisations it names."""
    wanted = {agreement.secretariat, *(p.org for p in agreement.parties)}
    return VersionContent(
        agreement=agreement,
        organizations={org_id: snapshot(organizations[org_id]) for org_id in sorted(wanted)},
    )


class LoadedSources(Spec):
    """The result of reading a set of source files that all passed validation."""

    organizations: dict[str, OrganizationSpec]
    agreements: tuple[tuple[str, AgreementSpec], ...]
    """(source path as given, agreement) in the order the files were read."""
    warnings: tuple[SourceWarning, ...] = ()
    """What a reviewer should look at although the sources loaded, sorted by position."""
