"""Starting a review round: its stages planned, the first one opened, the agreement in review."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from accord.errors import NotFound, Refusal
from accord.services import audit
from accord.services.agreements import find_agreement, find_version, version_content
from accord.services.env import ServiceEnv
from accord.services.events import ReviewRoundStarting
from accord.services.review import rules
from accord.services.review.stages import open_stage, stages_of
from accord.services.status import StatusAction, change_status
from accord.services.working_days import add_working_days, check_deadline
from accord.source.spec import PartyRole, VersionContent
from models import (
    Agreement,
    AgreementVersion,
    Organization,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    RoundStatus,
    StageKind,
)

REVIEWING_ROLES = (PartyRole.signatory, PartyRole.reviewer)


@dataclass(frozen=True)
class RoundRequest:
    """What the secretariat asks for; exactly one of `deadline` and `working_days`."""

    agreement: str
    version: int | None = None
    deadline: date | None = None
    working_days: int | None = None
    internal: tuple[str, ...] = ()
    """Organisations whose internal approval must come first (an internal stage)."""
    internal_working_days: int = 3


@dataclass(frozen=True)
class RoundStarted:
    agreement: str
    round_number: int
    version: int
    deadline: date
    first_stage: StageKind
    requests: int


def open_round_of(agreement: Agreement, *, session: Session) -> ReviewRound | None:
    return session.exec(
        select(ReviewRound).where(
            ReviewRound.agreement_id == agreement.id, ReviewRound.status == RoundStatus.open
        )
    ).first()


def start_round(request: RoundRequest, *, env: ServiceEnv) -> RoundStarted:
    """Create the round with its stages and open the first one (links and e-mails)."""
    session = env.session
    agreement = find_agreement(request.agreement, session=session)
    version = find_version(agreement, request.version, session=session)
    _refuse_second_round(agreement, session=session)
    today = env.now.date()
    deadline = _deadline(request, agreement.country, today=today)
    stages = _plan_stages(
        request,
        version_content(version),
        deadline,
        today=today,
        country=agreement.country,
        session=session,
    )
    change_status(agreement, StatusAction.start_review)
    env.publish(ReviewRoundStarting(agreement.id or 0, agreement.slug))
    round_ = _create_round(agreement, version, stages, env=env)
    first = stages_of(round_, session=session)[0]
    requests = open_stage(first, env=env)
    session.add(agreement)
    audit.record(
        session=session,
        actor=env.actor,
        action="round.opened",
        subject=f"agreement:{agreement.slug}",
        data={
            "round": round_.number,
            "version": version.number,
            "deadline": deadline.isoformat(),
            "stages": [kind.value for kind, _, _ in stages],
        },
    )
    return RoundStarted(
        agreement.slug, round_.number, version.number, deadline, first.kind, requests
    )


def _refuse_second_round(agreement: Agreement, *, session: Session) -> None:
    current = open_round_of(agreement, session=session)
    if current is not None:
        raise Refusal(
            "review.round_open",
            "agreement '%(agreement)s' already has round %(round)s open (since %(since)s); "
            "close it or wait for it to close first",
            agreement=agreement.slug,
            round=current.number,
            since=current.opened_at.date(),
        )


def _deadline(request: RoundRequest, country: str, *, today: date) -> date:
    rules.one_kind_of_deadline(request.deadline, request.working_days)
    if request.working_days is not None:
        return add_working_days(today, request.working_days, country)
    assert request.deadline is not None
    check_deadline(request.deadline, today=today, country=country)
    return request.deadline


StagePlan = tuple[StageKind, date, list[int]]


def _plan_stages(
    request: RoundRequest,
    content: VersionContent,
    deadline: date,
    *,
    today: date,
    country: str,
    session: Session,
) -> list[StagePlan]:
    external = [p.org for p in content.agreement.parties if p.role in REVIEWING_ROLES]
    plans: list[StagePlan] = []
    if request.internal:
        internal_deadline = add_working_days(today, request.internal_working_days, country)
        rules.internal_stage_fits(internal_deadline, deadline)
        plans.append(
            (StageKind.internal, internal_deadline, _org_ids(request.internal, session=session))
        )
    plans.append((StageKind.external, deadline, _org_ids(tuple(external), session=session)))
    return plans


def _org_ids(slugs: tuple[str, ...], *, session: Session) -> list[int]:
    rows = {
        o.slug: o.id
        for o in session.exec(select(Organization).where(col(Organization.slug).in_(slugs)))
    }
    missing = [s for s in slugs if s not in rows]
    if missing:
        raise NotFound(f"no organisation {', '.join(repr(m) for m in missing)}")
    return [rows[s] or 0 for s in slugs]


def _create_round(
    agreement: Agreement, version: AgreementVersion, stages: list[StagePlan], *, env: ServiceEnv
) -> ReviewRound:
    session = env.session
    number = (
        session.exec(
            select(func.max(ReviewRound.number)).where(ReviewRound.agreement_id == agreement.id)
        ).one()
        or 0
    ) + 1
    assert agreement.id is not None and version.id is not None
    round_ = ReviewRound(
        agreement_id=agreement.id,
        version_id=version.id,
        number=number,
        started_by=env.actor,
        opened_at=env.now,
    )
    session.add(round_)
    session.flush()
    assert round_.id is not None
    for position, (kind, deadline, org_ids) in enumerate(stages, start=1):
        stage = ReviewStage(round_id=round_.id, position=position, kind=kind, deadline=deadline)
        session.add(stage)
        session.flush()
        assert stage.id is not None
        for org_id in org_ids:
            session.add(ReviewAssignment(stage_id=stage.id, organization_id=org_id))
    session.flush()
    return round_
