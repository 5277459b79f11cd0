"""The periodic review step: remind those who have not answered, close what is due."""

from dataclasses import dataclass, field

from sqlmodel import col, select

from accord.services.review_closing import latest_decisions, settle_stage
from accord.services.review_documents import ensure_version_document, version_content
from accord.services.review_rounds import ReviewEnv, send_review_request
from accord.services.working_days import subtract_working_days, working_days_between
from models import (
    Agreement,
    AgreementVersion,
    Contact,
    OutgoingMessage,
    ReviewAccess,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    StageStatus,
)


@dataclass
class TickReport:
    reminders: int = 0
    closed: list[str] = field(default_factory=list)
    """"agreement round N: outcome" for each round or stage closed by this tick."""
    agreements: set[str] = field(default_factory=set)
    """Every agreement whose rounds this tick looked at."""


def review_tick(*, env: ReviewEnv) -> TickReport:
    """Safe to run as often as wanted: every effect is keyed, every close happens once."""
    report = TickReport()
    stages = env.session.exec(
        select(ReviewStage)
        .where(ReviewStage.status == StageStatus.open)
        .order_by(col(ReviewStage.id))
    ).all()
    for stage in stages:
        round_ = env.session.get(ReviewRound, stage.round_id)
        agreement = env.session.get(Agreement, round_.agreement_id) if round_ else None
        assert round_ is not None and agreement is not None
        report.agreements.add(agreement.slug)
        if env.now.date() > stage.deadline:
            settled = settle_stage(stage, env=env, deadline_passed=True)
            if settled.closed and settled.outcome is not None:
                report.closed.append(
                    f"{agreement.slug} round {round_.number} "
                    f"({stage.kind.value}): {settled.outcome.value}"
                )
            continue
        report.reminders += _remind(stage, round_, agreement, env=env)
    return report


def _remind(
    stage: ReviewStage, round_: ReviewRound, agreement: Agreement, *, env: ReviewEnv
) -> int:
    version = env.session.get(AgreementVersion, round_.version_id)
    assert version is not None
    offsets = version_content(version).agreement.review.remind_before
    today = env.now.date()
    due = [
        o for o in offsets if subtract_working_days(stage.deadline, o, agreement.country) <= today
    ]
    if not due:
        return 0
    offset = min(due)
    days_left = working_days_between(today, stage.deadline, agreement.country)
    answered = latest_decisions(stage.id or 0, session=env.session)
    sent = 0
    for assignment in env.session.exec(
        select(ReviewAssignment).where(
            ReviewAssignment.stage_id == stage.id, col(ReviewAssignment.required).is_(True)
        )
    ):
        if assignment.id in answered:
            continue
        for contact in _contacts_with_links(assignment, env=env):
            key = f"review_reminder:{stage.id}:{contact.id}:{offset}"
            if (
                env.session.exec(
                    select(OutgoingMessage.id).where(OutgoingMessage.key == key)
                ).first()
                is not None
            ):
                continue
            document = ensure_version_document(agreement, version, store=env.store)
            send_review_request(
                assignment,
                contact,
                stage=stage,
                round_=round_,
                agreement=agreement,
                version=version,
                document=document,
                env=env,
                kind="review_reminder",
                key=key,
                extra={"working_days_left": days_left},
            )
            sent += 1
    return sent


def _contacts_with_links(assignment: ReviewAssignment, *, env: ReviewEnv) -> list[Contact]:
    return list(
        env.session.exec(
            select(Contact)
            .join(ReviewAccess, col(ReviewAccess.contact_id) == Contact.id)
            .where(ReviewAccess.assignment_id == assignment.id, col(Contact.active).is_(True))
            .distinct()
            .order_by(col(Contact.id))
        )
    )
