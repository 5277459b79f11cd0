"""The transactional outbox: enqueue mail with the state change, deliver it afterwards, once."""

import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accord.db import transaction
from accord.mail.delivery import Mailer, deliver_with_retry
from accord.mail.message import (
    Attachment,
    OutgoingMail,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from accord.mail.rendering import render_mail
from accord.services.ports import DocumentStore
from models import Contact, MessageStatus, OutgoingMessage
from models.columns import utcnow

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_attachment(filename: str, document: str) -> dict[str, str]:
    """An attachment by reference: the bytes stay in the document store, not in the database."""
    return {"filename": filename, "content_type": DOCX_TYPE, "document": document}


def enqueue(
    *,
    session: Session,
    key: str,
    kind: str,
    contact: Contact,
    context: Mapping[str, Any],
    agreement_id: int | None = None,
    round_id: int | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> OutgoingMessage:
    """Write the message in the caller's transaction; the same key twice is the same message."""
    existing = session.exec(select(OutgoingMessage).where(OutgoingMessage.key == key)).first()
    if existing is not None:
        return existing
    localized = {name: localize(value, contact.language) for name, value in context.items()}
    subject, text, html = render_mail(
        kind, contact.language, {**localized, "recipient_name": contact.name}
    )
    message = OutgoingMessage(
        key=key,
        kind=kind,
        agreement_id=agreement_id,
        round_id=round_id,
        contact_id=contact.id,
        to_email=contact.email,
        to_name=contact.name,
        language=contact.language,
        subject=subject,
        text=text,
        html=html,
        attachments=list(attachments or []),
    )
    session.add(message)
    session.flush()
    return message


def localize(value: Any, language: str) -> Any:
    """A text map (language → text) becomes the reader's text: theirs, else Russian, else any."""
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(k, str) and len(k) == 2 and isinstance(v, str) for k, v in value.items())
    ):
        return value.get(language) or value.get("ru") or next(iter(value.values()))
    if isinstance(value, list):
        return [localize(item, language) for item in value]
    if isinstance(value, dict):
        return {k: localize(v, language) for k, v in value.items()}
    return value


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: str, error: str | None = None) -> None:
        with self.lock:
            setattr(self, outcome, getattr(self, outcome) + 1)
            if error:
                self.errors.append(error)


def deliver_pending(
    *,
    engine: Engine,
    mailer: Mailer,
    store: DocumentStore,
    limit: int = 100_000,
    concurrency: int = 1,
    sleep: Callable[[float], None] | None = None,
) -> DeliveryReport:
    """Each message is marked sent in its own commit right after the provider accepts it.

    `concurrency` bounds how many deliveries are in flight at once (threads share the engine).
    """
    with Session(engine) as session:
        ids = [
            i
            for i in session.exec(
                select(OutgoingMessage.id)
                .where(OutgoingMessage.status == MessageStatus.pending)
                .order_by(col(OutgoingMessage.id))
                .limit(limit)
            )
            if i is not None
        ]
    report = DeliveryReport()

    def one(message_id: int) -> None:
        _deliver_one(
            message_id, engine=engine, mailer=mailer, store=store, sleep=sleep, report=report
        )

    if concurrency <= 1:
        for message_id in ids:
            one(message_id)
    else:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(one, ids))
    return report


def _deliver_one(
    message_id: int,
    *,
    engine: Engine,
    mailer: Mailer,
    store: DocumentStore,
    sleep: Callable[[float], None] | None,
    report: DeliveryReport,
) -> None:
    with Session(engine) as session:
        message = session.get(OutgoingMessage, message_id)
        if message is None or message.status is not MessageStatus.pending:
            return
        mail = _as_mail(message, store=store)
    try:
        result = deliver_with_retry(mailer, mail, sleep=sleep or time.sleep)
    except TransientDeliveryError as error:
        _mark(message_id, engine=engine, error=str(error))
        report.add("deferred", f"{mail.to_email}: {error}")
        return
    except PermanentDeliveryError as error:
        _mark(message_id, engine=engine, status=MessageStatus.failed, error=str(error))
        report.add("failed", f"{mail.to_email}: {error}")
        return
    _mark(message_id, engine=engine, status=MessageStatus.sent, provider_id=result.provider_id)
    report.add("sent")


def _mark(
    message_id: int,
    *,
    engine: Engine,
    status: MessageStatus | None = None,
    error: str | None = None,
    provider_id: str | None = None,
) -> None:
    with transaction(engine) as session:
        message = session.get(OutgoingMessage, message_id)
        assert message is not None
        message.attempts += 1
        if status is not None:
            message.status = status
        if status is MessageStatus.sent:
            message.sent_at, message.provider_id = utcnow(), provider_id
        message.last_error = error
        session.add(message)


def _as_mail(message: OutgoingMessage, *, store: DocumentStore) -> OutgoingMail:
    assert message.id is not None
    custom_args = {"message_id": str(message.id), "kind": message.kind}
    if message.agreement_id is not None:
        custom_args["agreement_id"] = str(message.agreement_id)
    if message.round_id is not None:
        custom_args["round_id"] = str(message.round_id)
    return OutgoingMail(
        idempotency_key=message.key,
        to_email=message.to_email,
        to_name=message.to_name,
        language=message.language,
        subject=message.subject,
        text=message.text,
        html=message.html,
        attachments=tuple(
            Attachment(
                filename=a["filename"],
                content_type=a["content_type"],
                data=store.read(a["document"]),
            )
            for a in message.attachments
        ),
        categories=("accord", message.kind),
        custom_args=custom_args,
        reply_to=None,
    )
