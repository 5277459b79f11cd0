"""The laptop mailer: each e-mail becomes an .eml file in a folder, openable by any mail client."""

import hashlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from accord.files import write_atomically
from accord.mail.message import DeliveryResult, OutgoingMail, TransientDeliveryError

if sys.platform != "win32":
    import fcntl

IDEMPOTENCY_HEADER = "X-Accord-Idempotency-Key"
CATEGORY_HEADER = "X-Accord-Category"
ARG_HEADER_PREFIX = "X-Accord-Arg-"
_THREAD_LOCK = threading.Lock()
"""Where `flock` is missing (Windows), at least the threads of one process take turns."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


def key_digest(idempotency_key: str) -> str:
    """A file-name-safe stand-in for the key, the same in every process."""
    return hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()


class EmlMailer:
    """Writes mail instead of sending it; a repeated idempotency key finds the first file."""

    resend_is_harmless = True

    def __init__(
        self,
        directory: Path,
        *,
        from_email: str = "noreply@accord.example.org",
        from_name: str = "Accord",
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.directory = directory
        self.from_email = from_email
        self.from_name = from_name
        self.clock = clock

    def deliver(self, mail: OutgoingMail) -> DeliveryResult:
        """Write the mail once per key; the file name is the provider id."""
        digest = key_digest(mail.idempotency_key)[:32]
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with _exclusive(self.directory):
                existing = sorted(self.directory.glob(f"*-{digest}.eml"))
                if existing:
                    return DeliveryResult(accepted=True, provider_id=existing[0].name)
                now = self.clock()
                name = f"{now:%Y%m%dT%H%M%S%fZ}-{digest}.eml"
                write_atomically(self.directory / name, self.as_bytes(mail, now=now))
                return DeliveryResult(accepted=True, provider_id=name)
        except OSError as error:
            raise TransientDeliveryError(
                f"could not write the e-mail to the outbox {self.directory}: {error}"
            ) from error

    def as_bytes(self, mail: OutgoingMail, *, now: datetime) -> bytes:
        """The RFC 5322 message: text and HTML alternatives, then the attachments."""
        message = EmailMessage()
        message["From"] = Address(self.from_name, addr_spec=self.from_email)
        message["To"] = Address(mail.to_name, addr_spec=mail.to_email)
        if mail.reply_to:
            message["Reply-To"] = Address(addr_spec=mail.reply_to)
        message["Subject"] = mail.subject
        message["Date"] = format_datetime(now.astimezone(UTC))
        message["Message-ID"] = message_id(mail.idempotency_key, self.from_email)
        message["Content-Language"] = mail.language
        message[IDEMPOTENCY_HEADER] = mail.idempotency_key
        for category in mail.categories:
            message[CATEGORY_HEADER] = category
        for name, value in mail.custom_args.items():
            message[ARG_HEADER_PREFIX + name] = value
        message.set_content(mail.text)
        if mail.html:
            message.add_alternative(mail.html, subtype="html")
        for attachment in mail.attachments:
            maintype, subtype = attachment.content_type.split("/")
            message.add_attachment(
                attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
        return message.as_bytes(policy=policy.SMTP)


def message_id(idempotency_key: str, from_email: str) -> str:
    """The same key always gives the same Message-ID, so a mail client sees a resend as one mail."""
    domain = from_email.rpartition("@")[2] or "accord.invalid"
    return f"<{key_digest(idempotency_key)[:40]}@{domain}>"


@contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    """One writer at a time, across processes, so a key cannot be written twice in a race."""
    if sys.platform == "win32":
        with _THREAD_LOCK:
            yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
