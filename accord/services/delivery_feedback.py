"""What the mail provider tells us after delivery: delivered, bounced, dropped."""

from collections.abc import Iterable, Sequence

from sqlmodel import Session, select

from accord.mail.messages import DeliveryFailed
from accord.mail.webhook import DeliveryEvent
from accord.services import audit
from accord.services.env import ServiceEnv
from accord.services.mail_queue import enqueue
from accord.services.recipients import secretariat_contacts
from accord.source.people import one_line
from models import (
    Agreement,
    Contact,
    MessageEvent,
    MessageStatus,
    Organization,
    OutgoingMessage,
)

FAILED = {
    "bounce": MessageStatus.bounced,
    "blocked": MessageStatus.bounced,
    "dropped": MessageStatus.dropped,
}
UNSENDABLE = "unsendable"
"""The event of a message that raised while being built, so it was never handed over."""
LINK_CARRYING = {"review_request", "review_reminder", "delegated_access"}


def record_delivery_events(events: Iterable[DeliveryEvent], *, env: ServiceEnv) -> int:
    """Replays are harmless (event ids are unique); returns how many events were new."""
    new = 0
    for event in events:
        message = _message(event, env=env)
        if message is None or _seen(event.sg_event_id, env=env):
            continue
        env.session.add(
            MessageEvent(
                message_id=message.id or 0,
                event=event.event,
                provider_event_id=event.sg_event_id,
                reason=event.reason,
                at=env.now,
            )
        )
        _apply(message, event, env=env)
        env.session.flush()
        new += 1
    return new


def _message(event: DeliveryEvent, *, env: ServiceEnv) -> OutgoingMessage | None:
    if not event.message_id or not event.message_id.isdigit():
        return None
    return env.session.get(OutgoingMessage, int(event.message_id))


def _seen(provider_event_id: str, *, env: ServiceEnv) -> bool:
    return (
        env.session.exec(
            select(MessageEvent.id).where(MessageEvent.provider_event_id == provider_event_id)
        ).first()
        is not None
    )


def _apply(message: OutgoingMessage, event: DeliveryEvent, *, env: ServiceEnv) -> None:
    if message.status is MessageStatus.pending:
        _accepted(message, event)
    if event.event == "delivered" and message.status is MessageStatus.sent:
        message.status = MessageStatus.delivered
    elif event.event in FAILED:
        message.status = FAILED[event.event]
        message.last_error = event.reason or event.event
        if message.kind in LINK_CARRYING:
            _tell_secretariat(message, event.event, session=env.session, actor="mail-provider")
    env.session.add(message)


def _accepted(message: OutgoingMessage, event: DeliveryEvent) -> None:
    """Any event proves the provider accepted the mail: one still pending was in flight when a
    delivery died before recording it, and must not be handed over again."""
    message.status = MessageStatus.sent
    message.sent_at = message.sent_at or event.timestamp
    message.in_flight_since = None


def report_unsendable(message_ids: Sequence[int], *, session: Session) -> int:
    """Tell the secretariat of each message that could not be built (a name breaking a header,
    an address that is really two); how many notices were queued.

    Any kind of message, except these notices themselves, so a notice never begets another.
    """
    told = 0
    for message_id in message_ids:
        message = session.get(OutgoingMessage, message_id)
        if message is None or message.kind == DeliveryFailed.kind:
            continue
        told += _tell_secretariat(message, UNSENDABLE, session=session, actor="delivery")
    return told


def _tell_secretariat(message: OutgoingMessage, event: str, *, session: Session, actor: str) -> int:
    agreement = session.get(Agreement, message.agreement_id) if message.agreement_id else None
    if agreement is None:
        return 0
    org = _organisation_of(message, session=session)
    notice = DeliveryFailed(
        failed_name=one_line(message.to_name),
        failed_email=one_line(message.to_email),
        organisation_name=org.name if org else {},
        mail_subject=message.subject,
        event=event,
        reason=message.last_error or "",
    )
    told = secretariat_contacts(agreement, session=session)
    for contact in told:
        enqueue(
            notice,
            session=session,
            key=f"delivery_failed:{message.id}:{contact.id}",
            contact=contact,
            agreement_id=agreement.id,
            round_id=message.round_id,
        )
    audit.record(
        session=session,
        actor=actor,
        action="message.undelivered",
        subject=f"agreement:{agreement.slug}",
        data={
            "message": message.id,
            "to": message.to_email,
            "status": message.status.value,
            "reason": message.last_error,
        },
    )
    return len(told)


def _organisation_of(message: OutgoingMessage, *, session: Session) -> Organization | None:
    contact = session.get(Contact, message.contact_id) if message.contact_id else None
    return session.get(Organization, contact.organization_id) if contact else None
