"""Starting review rounds, opening their stages, and closing them exactly once."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from accord.errors import NotFound
from accord.services import audit
from accord.services.outbox import docx_attachment, enqueue
from accord.services.ports import DocumentStore
from accord.services.review_access import issue_access
from accord.services.review_documents import ensure_version_document, version_content
from accord.services.review_errors import ReviewRefused
from accord.services.working_days import add_working_days, check_deadline
from accord.source.spec import PartyRole, VersionContent
from models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Contact,
    Organization,
    ReviewAccess,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    RoundStatus,
    SignOff,
    SignOffStatus,
    StageKind,
    StageStatus,
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


@dataclass(frozen=True)
class ReviewEnv:
    """The collaborators every review step needs, passed as one value."""

    session: Session
    store: DocumentStore
    base_url: str
    actor: str
    now: datetime


def find_agreement(slug: str, *, session: Session) -> Agreement:
    agreement = session.exec(select(Agreement).where(Agreement.slug == slug)).first()
    if agreement is None:
        raise NotFound(f"no agreement '{slug}'")
    return agreement


def find_version(agreement: Agreement, number: int | None, *, session: Session) -> AgreementVersion:
    query = select(AgreementVersion).where(AgreementVersion.agreement_id == agreement.id)
    if number is None:
        query = query.order_by(col(AgreementVersion.number).desc())
    else:
        query = query.where(AgreementVersion.number == number)
    version = session.exec(query.limit(1)).first()
    if version is None:
        wanted = "a version" if number is None else f"version {number}"
        raise NotFound(f"agreement '{agreement.slug}' has no {wanted}")
    return version


def open_round_of(agreement: Agreement, *, session: Session) -> ReviewRound | None:
    return session.exec(
        select(ReviewRound).where(
            ReviewRound.agreement_id == agreement.id, ReviewRound.status == RoundStatus.open
        )
    ).first()


def start_round(request: RoundRequest, *, env: ReviewEnv) -> RoundStarted:
    """Create the round with its stages and open the first one (links and e-mails)."""
    session = env.session
    agreement = find_agreement(request.agreement, session=session)
    version = find_version(agreement, request.version, session=session)
    _refuse_second_round(agreement, session=session)
    today = env.now.date()
    deadline = _deadline(request, agreement.country, today=today)
    content = version_content(version)
    stages = _plan_stages(
        request, content, deadline, today=today, country=agreement.country, session=session
    )
    _cancel_open_signoff(agreement, env=env)
    round_ = _create_round(agreement, version, stages, env=env)
    first = _stages_of(round_, session=session)[0]
    requests = open_stage(first, env=env)
    agreement.status = AgreementStatus.in_review
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


def _cancel_open_signoff(agreement: Agreement, *, env: ReviewEnv) -> None:
    """A new review means the text is open again: a pending sign-off must not go on."""
    for signoff in env.session.exec(
        select(SignOff).where(
            SignOff.agreement_id == agreement.id, SignOff.status == SignOffStatus.open
        )
    ):
        signoff.status, signoff.closed_at = SignOffStatus.cancelled, env.now
        env.session.add(signoff)
        audit.record(
            session=env.session,
            actor=env.actor,
            action="signoff.cancelled",
            subject=f"agreement:{agreement.slug}",
            data={"reason": "a new review round started"},
        )


def _refuse_second_round(agreement: Agreement, *, session: Session) -> None:
    current = open_round_of(agreement, session=session)
    if current is not None:
        raise ReviewRefused(
            f"agreement '{agreement.slug}' already has round {current.number} open "
            f"(since {current.opened_at:%Y-%m-%d}); close it or wait for it to close first"
        )


def _deadline(request: RoundRequest, country: str, *, today: date) -> date:
    if (request.deadline is None) == (request.working_days is None):
        raise ReviewRefused("give exactly one of a deadline date or a number of working days")
    if request.working_days is not None:
        if request.working_days < 1:
            raise ReviewRefused("working days must be at least 1")
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
        if internal_deadline >= deadline:
            raise ReviewRefused(
                f"the internal stage would end on {internal_deadline}, not before the deadline "
                f"{deadline}; give a later deadline or fewer internal working days"
            )
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
    agreement: Agreement, version: AgreementVersion, stages: list[StagePlan], *, env: ReviewEnv
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


def _stages_of(round_: ReviewRound, *, session: Session) -> list[ReviewStage]:
    return list(
        session.exec(
            select(ReviewStage)
            .where(ReviewStage.round_id == round_.id)
            .order_by(col(ReviewStage.position))
        )
    )


def reviewers_of(organization_id: int, *, session: Session) -> list[Contact]:
    """Contacts marked reviewer; else signatories; else everyone active at the organisation."""
    contacts = list(
        session.exec(
            select(Contact)
            .where(Contact.organization_id == organization_id, col(Contact.active).is_(True))
            .order_by(col(Contact.id))
        )
    )
    for role in ("reviewer", "signatory"):
        chosen = [c for c in contacts if role in c.roles]
        if chosen:
            return chosen
    return contacts


def open_stage(stage: ReviewStage, *, env: ReviewEnv) -> int:
    """Issue a personal link to every reviewer of the stage and queue their request e-mail."""
    session = env.session
    stage.status, stage.opened_at = StageStatus.open, env.now
    session.add(stage)
    round_ = session.get(ReviewRound, stage.round_id)
    assert round_ is not None
    agreement = session.get(Agreement, round_.agreement_id)
    version = session.get(AgreementVersion, round_.version_id)
    assert agreement is not None and version is not None
    document = ensure_version_document(agreement, version, store=env.store)
    assignments = session.exec(
        select(ReviewAssignment)
        .where(ReviewAssignment.stage_id == stage.id)
        .order_by(col(ReviewAssignment.id))
    ).all()
    sent = 0
    for assignment in assignments:
        contacts = reviewers_of(assignment.organization_id, session=session)
        if not contacts:
            org = session.get(Organization, assignment.organization_id)
            raise ReviewRefused(
                f"organisation '{org.slug if org else '?'}' has no contact to "
                "send the review to; add one in organizations.yaml"
            )
        for contact in contacts:
            send_review_request(
                assignment,
                contact,
                stage=stage,
                round_=round_,
                agreement=agreement,
                version=version,
                document=document,
                env=env,
            )
            sent += 1
    session.flush()
    return sent


def send_review_request(
    assignment: ReviewAssignment,
    contact: Contact,
    *,
    stage: ReviewStage,
    round_: ReviewRound,
    agreement: Agreement,
    version: AgreementVersion,
    document: str,
    env: ReviewEnv,
    kind: str = "review_request",
    extra: dict[str, Any] | None = None,
    delegated_by: ReviewAccess | None = None,
    key: str | None = None,
) -> str:
    """A link of the contact's own and the request e-mail carrying it; returns the token."""
    access, token = issue_access(
        assignment, contact, session=env.session, delegated_by=delegated_by
    )
    context = mail_context(agreement, version, round_, stage, assignment, env=env)
    enqueue(
        session=env.session,
        key=key or f"{kind}:{access.id}",
        kind=kind,
        contact=contact,
        context={**context, **(extra or {}), "link_url": f"{env.base_url.rstrip('/')}/r/{token}"},
        agreement_id=agreement.id,
        round_id=round_.id,
        attachments=[docx_attachment(document.rsplit("/", 1)[-1], document)],
    )
    return token


def mail_context(
    agreement: Agreement,
    version: AgreementVersion,
    round_: ReviewRound,
    stage: ReviewStage,
    assignment: ReviewAssignment | None,
    *,
    env: ReviewEnv,
) -> dict[str, Any]:
    content = version_content(version)
    spec = content.agreement
    org = env.session.get(Organization, assignment.organization_id) if assignment else None
    return {
        "agreement_id": agreement.slug,
        "agreement_title": spec.title,
        "version_number": version.number,
        "short_hash": version.sha256[:12],
        "round_number": round_.number,
        "stage": stage.kind.value,
        "deadline": stage.deadline,
        "organisation_name": org.name if org else {},
        "secretariat_name": content.org(spec.secretariat).name,
    }


def close_stage_once(stage: ReviewStage, *, session: Session, now: datetime) -> bool:
    """Only one caller wins: the UPDATE matches an open stage once, whatever runs at once."""
    result = session.execute(
        update(ReviewStage)
        .where(col(ReviewStage.id) == stage.id, col(ReviewStage.status) == StageStatus.open)
        .values(status=StageStatus.closed, closed_at=now)
    )
    session.flush()
    won = bool(getattr(result, "rowcount", 0) == 1)
    if won:
        session.refresh(stage)
    return won
