"""What an `accord/v1` source means once it has been read and checked.

These immutable values are the one vocabulary shared by the loader (which builds
them), the drafting service (which stores them as version content) and the
document renderer (which prints them). They carry no positions and no I/O.
"""

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


class OrganizationSpec(Spec):
    id: str
    kind: OrgKind
    country: str
    name: LangText
    contacts: tuple[ContactSpec, ...] = ()

    def display_name(self, language: str) -> str:
        """Name in `language`, else along its fallback chain (sources need not translate every
        name), else the first name given."""
        return pick(self.name, language)


class PartySpec(Spec):
    org: str
    role: PartyRole


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


def numbered(clauses: tuple[ClauseSpec, ...], prefix: str = "") -> Iterator[NumberedClause]:
    """Clause numbers come from order alone (1, 1.1, 1.2, 2 …), never from ids."""
    for index, clause in enumerate(clauses, start=1):
        number = f"{prefix}{index}"
        yield NumberedClause(number=number, depth=number.count("."), clause=clause)
        yield from numbered(clause.clauses, prefix=f"{number}.")


class ObjectiveSpec(Spec):
    id: str
    title: LangText


class BudgetSpec(Spec):
    amount: Decimal
    currency: str


class CommitmentSpec(Spec):
    id: str
    objective: str | None = None
    activity: LangText
    responsible: str
    partners: tuple[str, ...] = ()
    due: date
    due_label: str
    """The deadline as written (``2027-06-30`` or ``2027-Q2``); `due` is its last day."""
    indicator: LangText | None = None
    baseline: str | None = None
    target: str | None = None
    budget: BudgetSpec | None = None
    funding: LangText | None = None


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

    @property
    def primary_language(self) -> str:
        return self.languages[0]

    def party(self, org_id: str) -> PartySpec | None:
        return next((p for p in self.parties if p.org == org_id), None)

    def signatories(self) -> tuple[str, ...]:
        return tuple(p.org for p in self.parties if p.role is PartyRole.signatory)


class OrgSnapshot(Spec):
    """What a version records of an organisation: enough to print it, nothing personal."""

    id: str
    kind: OrgKind
    country: str
    name: LangText

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
            self.model_dump(mode="json"),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def org(self, org_id: str) -> OrgSnapshot:
        return self.organizations[org_id]


def snapshot(org: OrganizationSpec) -> OrgSnapshot:
    return OrgSnapshot(id=org.id, kind=org.kind, country=org.country, name=dict(org.name))


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
