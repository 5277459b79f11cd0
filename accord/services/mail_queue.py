"""The transactional outbox: mail is written with the change that causes it, delivered later.

Each message is rendered for its reader when queued and kept with an idempotency key, so the
same key twice is the same message; attachments are kept by reference to the document store.
Delivery is an adapter's work (`accord.adapters.delivery`).
"""

from dataclasses import dataclass, replace

from sqlmodel import Session, select

from accord.mail.messages import MailMessage
from accord.mail.rendering import render_mail
from models import Contact, OutgoingMessage

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
QUEUED_MAIL = "accord.queued_mail"
"""The session's `info` key saying it queued mail (`queued_in`)."""


def docx_attachment(document: str) -> dict[str, str]:
    """A stored DOCX by reference: the bytes stay in the document store, not in the database."""
    return {
        "filename": document.rsplit("/", 1)[-1],
        "content_type": DOCX_TYPE,
        "document": document,
    }


@dataclass(frozen=True)
class Recipient:
    """Who a message is for when it is not a contact of an organisation (a staff member)."""

    name: str
    email: str
    language: str
    contact_id: int | None = None

    @classmethod
    def of(cls, contact: Contact) -> "Recipient":
        return cls(contact.name, contact.email, contact.language, contact.id)


def enqueue(
    message: MailMessage,
    *,
    session: Session,
    key: str,
    contact: Contact | Recipient,
    agreement_id: int | None = None,
    round_id: int | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> OutgoingMessage:
    """Write the message in the caller's transaction; the same key twice is the same message."""
    existing = session.exec(select(OutgoingMessage).where(OutgoingMessage.key == key)).first()
    if existing is not None:
        return existing
    to = contact if isinstance(contact, Recipient) else Recipient.of(contact)
    personal = replace(message, recipient_name=to.name)
    subject, text, html = render_mail(message.kind, to.language, personal.context(to.language))
    row = OutgoingMessage(
        key=key,
        kind=message.kind,
        agreement_id=agreement_id,
        round_id=round_id,
        contact_id=to.contact_id,
        to_email=to.email,
        to_name=to.name,
        language=to.language,
        subject=subject,
        text=text,
        html=html,
        attachments=list(attachments or []),
    )
    session.add(row)
    session.flush()
    session.info[QUEUED_MAIL] = True
    return row


def queued_in(session: Session) -> bool:
    """Whether this session queued mail: whoever commits it knows there is mail to deliver now
    (the web application's courier) without asking the database."""
    return bool(session.info.get(QUEUED_MAIL))


def queued(key: str, *, session: Session) -> bool:
    """Whether a message with this key was queued already (sent or not)."""
    found = session.exec(select(OutgoingMessage.id).where(OutgoingMessage.key == key)).first()
    return found is not None
