"""What the mail provider tells us after delivery: delivered, bounced, dropped."""

from collections.abc import Iterable

from sqlmodel import select

from accord.mail.messages import DeliveryFailed
from accord.mail.webhook import DeliveryEvent
from accord.services import audit
from accord.services.env import ServiceEnv
from accord.services.mail_queue import enqueue
from accord.services.recipients import secretariat_contacts
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
            _tell_secretariat(message, event.event, env=env)
    env.session.add(message)


def _accepted(message: OutgoingMessage, event: DeliveryEvent) -> None:
    """Any event proves the provider accepted the mail: one still pending was in flight when a
    delivery died before recording it, and must not be handed over again."""
    message.status = MessageStatus.sent
    message.sent_at = message.sent_at or event.timestamp
    message.in_flight_since = None


def _tell_secretariat(message: OutgoingMessage, event: str, *, env: ServiceEnv) -> None:
    agreement = env.session.get(Agreement, message.agreement_id) if message.agreement_id else None
    if agreement is None:
        return
    org = _organisation_of(message, env=env)
    notice = DeliveryFailed(
        failed_name=message.to_name,
        failed_email=message.to_email,
        organisation_name=org.name if org else {},
        mail_subject=message.subject,
        event=event,
        reason=message.last_error or "",
    )
    for contact in secretariat_contacts(agreement, session=env.session):
        enqueue(
            notice,
            session=env.session,
            key=f"delivery_failed:{message.id}:{contact.id}",
            contact=contact,
            agreement_id=agreement.id,
            round_id=message.round_id,
        )
    audit.record(
        session=env.session,
        actor="mail-provider",
        action="message.undelivered",
        subject=f"agreement:{agreement.slug}",
        data={
            "message": message.id,
            "to": message.to_email,
            "status": message.status.value,
            "reason": message.last_error,
        },
    )


def _organisation_of(message: OutgoingMessage, *, env: ServiceEnv) -> Organization | None:
    contact = env.session.get(Contact, message.contact_id) if message.contact_id else None
    return env.session.get(Organization, contact.organization_id) if contact else None
