"""What starting a review round would do, before it is started: the deadline it gets in the
agreement's country calendar, and who will be e-mailed, per stage and party.

The workspace shows this on "Preview", and refuses at the field what the secretariat chose
wrong; `start_round` (rounds.py) stays the one place that starts a round.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from accord.services.agreements import find_agreement, find_version, version_content
from accord.services.env import ServiceEnv
from accord.services.recipients import reviewers_of
from accord.services.review import rules
from accord.services.review.rounds import REVIEWING_ROLES, RoundRequest, open_round_of
from accord.services.working_days import (
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from accord.source.spec import LangText
from models import Agreement, AgreementVersion, Organization, StageKind


@dataclass(frozen=True)
class VersionChoice:
    number: int
    created_at: datetime


@dataclass(frozen=True)
class PartyChoice:
    org: str
    name: LangText
    role: str


@dataclass(frozen=True)
class LaunchOptions:
    """What the form offers: the versions, the parties (for an internal stage), the round
    already open if any."""

    agreement: Agreement
    title: LangText
    versions: list[VersionChoice]
    parties: list[PartyChoice]
    open_round: int | None


def launch_options(agreement: Agreement, *, session: Session) -> LaunchOptions:
    versions = session.exec(
        select(AgreementVersion.number, AgreementVersion.created_at)
        .where(AgreementVersion.agreement_id == agreement.id)
        .order_by(col(AgreementVersion.number).desc())
    ).all()
    latest = find_version(agreement, None, session=session)
    spec = version_content(latest).agreement
    names = _names([p.org for p in spec.parties], session=session)
    current = open_round_of(agreement, session=session)
    return LaunchOptions(
        agreement=agreement,
        title=spec.title,
        versions=[VersionChoice(number, at) for number, at in versions],
        parties=[PartyChoice(p.org, names.get(p.org, {}), p.role.value) for p in spec.parties],
        open_round=current.number if current else None,
    )


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    language: str


@dataclass(frozen=True)
class PartyPreview:
    org: str
    name: LangText
    recipients: list[Recipient]
    """Empty: starting is refused until the organisation has a contact."""


@dataclass(frozen=True)
class StagePreview:
    kind: StageKind
    deadline: date
    parties: list[PartyPreview]


@dataclass(frozen=True)
class RoundPreview:
    version: int
    country: str
    deadline: date
    working_days_left: int
    stages: list[StagePreview]

    @property
    def recipients(self) -> int:
        return sum(len(p.recipients) for s in self.stages for p in s.parties)


def preview_round(request: RoundRequest, *, env: ServiceEnv) -> RoundPreview:
    """The round `request` would start today, or the Refusal at the field chosen wrong."""
    session = env.session
    agreement = find_agreement(request.agreement, session=session)
    version = find_version(agreement, request.version, session=session)
    spec = version_content(version).agreement
    today = env.now.date()
    deadline = _deadline(request, agreement.country, today=today)
    internal = rules.internal_parties(request.internal, [p.org for p in spec.parties])
    plans: list[tuple[StageKind, date, list[str]]] = []
    if internal:
        first = add_working_days(today, request.internal_working_days, agreement.country)
        rules.internal_stage_fits(first, deadline)
        plans.append((StageKind.internal, first, list(internal)))
    external = [p.org for p in spec.parties if p.role in REVIEWING_ROLES]
    plans.append((StageKind.external, deadline, external))
    return RoundPreview(
        version=version.number,
        country=agreement.country,
        deadline=deadline,
        working_days_left=working_days_between(today, deadline, agreement.country),
        stages=[
            StagePreview(kind, day, _parties(orgs, session=session)) for kind, day, orgs in plans
        ],
    )


def _deadline(request: RoundRequest, country: str, *, today: date) -> date:
    rules.one_kind_of_deadline(request.deadline, request.working_days)
    if request.working_days is not None:
        return add_working_days(today, request.working_days, country)
    assert request.deadline is not None
    rules.deadline_day(
        request.deadline,
        today=today,
        working=is_working_day(request.deadline, country),
        next_working=next_working_day(request.deadline, country),
    )
    return request.deadline


def _names(orgs: list[str], *, session: Session) -> dict[str, LangText]:
    rows = session.exec(select(Organization).where(col(Organization.slug).in_(orgs)))
    return {o.slug: dict(o.name) for o in rows}


def _parties(orgs: list[str], *, session: Session) -> list[PartyPreview]:
    rows = {
        o.slug: o
        for o in session.exec(select(Organization).where(col(Organization.slug).in_(orgs)))
    }
    out = []
    for org in orgs:
        found = rows.get(org)
        contacts = reviewers_of(found.id or 0, session=session) if found else []
        out.append(
            PartyPreview(
                org,
                dict(found.name) if found else {},
                [Recipient(c.name, c.email, c.language) for c in contacts],
            )
        )
    return out
