"""What the secretariat does to a running round from its board: remind now, record a decision
received on paper with its letter and scan, close the round early. Each is audit-trailed."""

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from accord.services import audit
from accord.services.agreements import find_agreement, load_version
from accord.services.documents import ensure_version_document
from accord.services.env import ServiceEnv
from accord.services.mail_queue import queued
from accord.services.recipients import active_contacts
from accord.services.review import rules
from accord.services.review.access import Invitation, send_review_request, send_round_link
from accord.services.review.actions import delegate_contact
from accord.services.review.board import record_on_paper
from accord.services.review.round_board import UNDELIVERED, round_of
from accord.services.review.stages import (
    assignments_of,
    close_round,
    close_stage_once,
    latest_decisions,
    stage_result,
)
from accord.services.review.tick import contacts_with_links
from accord.services.working_days import (
    is_working_day,
    next_working_day,
    working_days_between,
)
from models import (
    Agreement,
    Contact,
    Decision,
    Organization,
    OutgoingMessage,
    ReviewAccess,
    ReviewAssignment,
    ReviewRound,
    ReviewStage,
    RoundOutcome,
    RoundStatus,
    StageStatus,
)


def _open(slug: str, number: int, *, env: ServiceEnv) -> tuple[Agreement, ReviewRound, ReviewStage]:
    """The agreement, its round `number` and the stage now open, or the refusal saying the
    round no longer takes changes."""
    agreement = find_agreement(slug, session=env.session)
    round_ = round_of(agreement, number, session=env.session)
    stage = env.session.exec(
        select(ReviewStage).where(
            ReviewStage.round_id == round_.id, ReviewStage.status == StageStatus.open
        )
    ).first()
    rules.round_still_open(number, round_.status is RoundStatus.open and stage is not None)
    assert stage is not None
    return agreement, round_, stage


def remind_now(slug: str, number: int, *, env: ServiceEnv) -> int:
    """Queue a reminder to every reviewer of the open stage whose party has not answered;
    once a day at most per reviewer. Returns how many were queued."""
    agreement, round_, stage = _open(slug, number, env=env)
    session = env.session
    version = load_version(round_.version_id, session=session)
    answered = latest_decisions(stage.id or 0, session=session)
    days_left = working_days_between(env.now.date(), stage.deadline, agreement.country)
    sent = 0
    for assignment in assignments_of(stage, session=session, required_only=True):
        if assignment.id in answered:
            continue
        for contact in contacts_with_links(assignment, env=env):
            key = f"review_reminder:{stage.id}:{contact.id}:now:{env.now.date().isoformat()}"
            if queued(key, session=session):
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
                invitation=Invitation(key=key, reminder_days_left=max(days_left, 0)),
            )
            sent += 1
    rules.someone_reminded(sent)
    audit.record(
        session=session,
        actor=env.actor,
        action="review.reminded",
        subject=f"agreement:{slug}",
        data={"round": number, "reminders": sent},
    )
    return sent


def close_early(slug: str, number: int, *, env: ServiceEnv) -> RoundOutcome:
    """End the round now, with the outcome its answers give (incomplete if some are missing);
    the matrix and the secretariat's e-mail follow as at any close."""
    _agreement, _round, stage = _open(slug, number, env=env)
    result = stage_result(stage, session=env.session)
    if close_stage_once(stage, env=env):
        close_round(stage, result.outcome, reason="closed early by the secretariat", env=env)
    audit.record(
        session=env.session,
        actor=env.actor,
        action="round.closed_early",
        subject=f"agreement:{slug}",
        data={"round": number, "outcome": result.outcome.value},
    )
    return result.outcome


@dataclass(frozen=True)
class PaperLetter:
    """The letter that carried a decision on paper, as the secretariat registered it."""

    incoming_number: str
    incoming_date: date | None
    outgoing_number: str = ""
    """The secretariat's own letter that asked for it, if any."""
    outgoing_date: date | None = None
    scan_name: str = ""
    scan: bytes | None = None


def record_paper_decision(
    slug: str,
    number: int,
    party: str,
    decision: Decision,
    comment: str | None,
    letter: PaperLetter,
    *,
    env: ServiceEnv,
    late_reason: str | None = None,
) -> bool:
    """`accord review record` from the board, with the letter's numbers and dates and its
    scan (kept by hash in the document store); True if the round closed with it."""
    _open(slug, number, env=env)
    rules.paper_letter(letter.incoming_number, letter.incoming_date, letter.outgoing_number)
    scan = None
    if letter.scan is not None:
        extension = rules.scan_kind(letter.scan)
        digest = hashlib.sha256(letter.scan).hexdigest()
        scan = f"{slug}/scans/{digest}{extension}"
        env.store.write(scan, letter.scan)
    closed = record_on_paper(slug, party, decision, comment, env=env, late_reason=late_reason)
    audit.record(
        session=env.session,
        actor=env.actor,
        action="decision.paper_letter",
        subject=f"agreement:{slug}",
        data={
            "round": number,
            "party": party,
            "incoming": {"number": letter.incoming_number, "date": str(letter.incoming_date)},
            **(
                {"outgoing": {"number": letter.outgoing_number, "date": str(letter.outgoing_date)}}
                if letter.outgoing_number
                else {}
            ),
            **({"scan": scan, "scan_name": letter.scan_name[:200]} if scan else {}),
        },
    )
    return closed


REVIEW_MAILS = ("review_request", "review_reminder", "delegated_access")
"""The e-mails that carry a review link: one of these that bounced can go to a colleague."""


def send_to_another_contact(
    slug: str, number: int, message_id: int, contact_id: int, *, env: ServiceEnv
) -> Contact:
    """A review e-mail did not arrive: a colleague of the same party gets their own link."""
    agreement, round_, stage = _open(slug, number, env=env)
    session = env.session
    message = session.get(OutgoingMessage, message_id)
    rules.undelivered_review_mail(
        message is not None
        and message.round_id == round_.id
        and message.kind in REVIEW_MAILS
        and message.status in UNDELIVERED
    )
    assert message is not None
    bounced_to = session.get(Contact, message.contact_id) if message.contact_id else None
    assignment = session.exec(
        select(ReviewAssignment).where(
            ReviewAssignment.stage_id == stage.id,
            ReviewAssignment.organization_id == (bounced_to.organization_id if bounced_to else 0),
        )
    ).first()
    colleague = session.get(Contact, contact_id)
    rules.colleague_of_party(
        assignment is not None
        and colleague is not None
        and colleague.active
        and colleague.organization_id == assignment.organization_id
        and colleague.id != message.contact_id
    )
    assert assignment is not None and colleague is not None
    send_round_link(
        assignment,
        colleague,
        stage=stage,
        round_=round_,
        agreement=agreement,
        env=env,
        invitation=Invitation(key=f"review_request:instead_of:{message.id}:{colleague.id}"),
    )
    audit.record(
        session=session,
        actor=env.actor,
        action="review.sent_to_another_contact",
        subject=f"agreement:{slug}",
        data={"round": number, "bounced": message.to_email, "to": colleague.email},
    )
    return colleague


def extend_deadline(slug: str, number: int, deadline: date, *, env: ServiceEnv) -> int:
    """Move the open stage's deadline later; every reviewer of it is told by e-mail, with a
    fresh link. Returns how many e-mails were queued."""
    agreement, round_, stage = _open(slug, number, env=env)
    session = env.session
    later = session.exec(
        select(col(ReviewStage.deadline)).where(
            ReviewStage.round_id == round_.id, ReviewStage.position > stage.position
        )
    ).first()
    rules.later_deadline(deadline, current=stage.deadline, next_stage=later)
    rules.deadline_day(
        deadline,
        today=env.now.date(),
        working=is_working_day(deadline, agreement.country),
        next_working=next_working_day(deadline, agreement.country),
    )
    previous, stage.deadline = stage.deadline, deadline
    session.add(stage)
    session.flush()
    version = load_version(round_.version_id, session=session)
    told = 0
    for assignment in assignments_of(stage, session=session):
        for contact in contacts_with_links(assignment, env=env):
            send_review_request(
                assignment,
                contact,
                stage=stage,
                round_=round_,
                agreement=agreement,
                version=version,
                document=ensure_version_document(agreement, version, store=env.store),
                env=env,
                invitation=Invitation(
                    key=f"deadline_extended:{stage.id}:{contact.id}:{deadline.isoformat()}",
                    previous_deadline=previous,
                ),
            )
            told += 1
    audit.record(
        session=session,
        actor=env.actor,
        action="review.deadline_extended",
        subject=f"agreement:{slug}",
        data={
            "round": number,
            "stage": stage.kind.value,
            "from": previous.isoformat(),
            "to": deadline.isoformat(),
            "told": told,
        },
    )
    return told


def add_reviewer(
    slug: str,
    number: int,
    party: str,
    name: str,
    email: str,
    *,
    env: ServiceEnv,
    replacing: int | None = None,
) -> Contact:
    """Give another person of the party a link of their own in the open stage (e-mailed now);
    with `replacing`, that reviewer's links of the stage are revoked at once."""
    agreement, round_, stage = _open(slug, number, env=env)
    session = env.session
    found = session.exec(
        select(ReviewAssignment, Organization)
        .join(Organization, col(Organization.id) == ReviewAssignment.organization_id)
        .where(ReviewAssignment.stage_id == stage.id, Organization.slug == party)
    ).first()
    rules.party_in_stage(found is not None, party=party)
    assert found is not None
    assignment, org = found
    address = rules.colleague_address(email)
    person = rules.colleague_name(name)
    live = _live_links(assignment, session=session)
    replaced = [a for a, c in live if c.id == replacing] if replacing is not None else []
    rules.replaced_is_reviewer(replacing is None or bool(replaced))
    known = {c.email.lower(): c for c in active_contacts(org.id or 0, session=session)}
    rules.not_yet_reviewer(address, {c.email.lower() for _a, c in live if c.id != replacing})
    before = _contact_of(live, replacing)
    language = before.language if before else next((c.language for c in known.values()), "ru")
    contact = known.get(address.lower()) or delegate_contact(
        org.id or 0, address, person, language, session=session
    )
    for access in replaced:
        access.revoked_at = env.now
        session.add(access)
    send_round_link(
        assignment,
        contact,
        stage=stage,
        round_=round_,
        agreement=agreement,
        env=env,
        invitation=Invitation(
            key=f"review_request:added:{stage.id}:{contact.id}:{env.now.isoformat()}"
        ),
    )
    audit.record(
        session=session,
        actor=env.actor,
        action="review.reviewer_replaced" if replaced else "review.reviewer_added",
        subject=f"agreement:{slug}",
        data={
            "round": number,
            "party": party,
            "to": contact.email,
            **({"replaced": replaced[0].contact_id} if replaced else {}),
        },
    )
    return contact


def _live_links(
    assignment: ReviewAssignment, *, session: Session
) -> list[tuple[ReviewAccess, Contact]]:
    return list(
        session.exec(
            select(ReviewAccess, Contact)
            .join(Contact, col(Contact.id) == ReviewAccess.contact_id)
            .where(
                ReviewAccess.assignment_id == assignment.id,
                col(ReviewAccess.revoked_at).is_(None),
            )
        ).all()
    )


def _contact_of(live: list[tuple[ReviewAccess, Contact]], contact_id: int | None) -> Contact | None:
    return next((c for _a, c in live if c.id == contact_id), None)
