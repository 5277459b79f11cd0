"""The periodic review step: remind those who have not answered, close what is due."""

from dataclasses import dataclass, field

from sqlmodel import col, select

from accord.services.agreements import load_version, version_content
from accord.services.documents import ensure_version_document
from accord.services.env import ServiceEnv
from accord.services.mail_queue import queued
from accord.services.review import rules
from accord.services.review.access import Invitation, send_review_request
from accord.services.review.stages import assignments_of, latest_decisions, settle_stage
from accord.services.working_days import (
    deadline_passed,
    subtract_working_days,
    working_days_between,
)
from models import (
    Agreement,
    Contact,
    ReviewAccess,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    RoundOutcome,
    StageKind,
    StageStatus,
)


@dataclass(frozen=True)
class ClosedStage:
    """A stage (and with it, unless it opened the next, its round) closed by the tick."""

    agreement: str
    round_number: int
    stage: StageKind
    outcome: RoundOutcome

    def __str__(self) -> str:
        return (
            f"{self.agreement} round {self.round_number} ({self.stage.value}): {self.outcome.value}"
        )


@dataclass
class TickReport:
    reminders: int = 0
    closed: list[ClosedStage] = field(default_factory=list)
    agreements: set[str] = field(default_factory=set)
    """Every agreement whose rounds this tick looked at."""


def review_tick(*, env: ServiceEnv) -> TickReport:
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
        if deadline_passed(stage.deadline, agreement.country, now=env.now):
            settled = settle_stage(stage, env=env, deadline_passed=True)
            if settled.closed and settled.outcome is not None:
                report.closed.append(
                    ClosedStage(agreement.slug, round_.number, stage.kind, settled.outcome)
                )
            continue
        report.reminders += _remind(stage, round_, agreement, env=env)
    return report


def _remind(
    stage: ReviewStage, round_: ReviewRound, agreement: Agreement, *, env: ServiceEnv
) -> int:
    version = load_version(round_.version_id, session=env.session)
    today = env.now.date()
    offsets = version_content(version).agreement.review.remind_before
    offset = rules.reminder_offset(
        {o: subtract_working_days(stage.deadline, o, agreement.country) for o in offsets},
        today=today,
    )
    if offset is None:
        return 0
    days_left = working_days_between(today, stage.deadline, agreement.country)
    answered = latest_decisions(stage.id or 0, session=env.session)
    sent = 0
    for assignment in assignments_of(stage, session=env.session, required_only=True):
        if assignment.id in answered:
            continue
        for contact in contacts_with_links(assignment, env=env):
            key = f"review_reminder:{stage.id}:{contact.id}:{offset}"
            if queued(key, session=env.session):
                continue
            send_review_request(
                assignment,
                contact,
                stage=stage,
                round_=round_,
                agreement=agreement,
                version=version,
                document=ensure_version_document(agreement, version, store=env.store),
                env=env,
                invitation=Invitation(key=key, reminder_days_left=days_left),
            )
            sent += 1
    return sent


def contacts_with_links(assignment: ReviewAssignment, *, env: ServiceEnv) -> list[Contact]:
    """The active contacts of a party holding an unrevoked link of its assignment."""
    return list(
        env.session.exec(
            select(Contact)
            .join(ReviewAccess, col(ReviewAccess.contact_id) == Contact.id)
            .where(
                ReviewAccess.assignment_id == assignment.id,
                col(Contact.active).is_(True),
                col(ReviewAccess.revoked_at).is_(None),
            )
            .distinct()
            .order_by(col(Contact.id))
        )
    )
