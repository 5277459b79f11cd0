"""What one e-mail is and how its delivery can end, independent of any provider."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from accord.errors import AccordError
from accord.source.people import NotAnAddress, check_address

MAX_CATEGORIES = 10
"""SendGrid refuses more; the outbox keeps the same limit so both backends accept the same mail."""
MAX_CATEGORY_LENGTH = 255
MAX_KEY_LENGTH = 200
"""Matches `outgoing_message.key`, where the idempotency key is stored."""
ARG_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
"""Custom argument names also become header names in the outbox, so keep them to a token."""


@dataclass(frozen=True)
class Attachment:
    """A file sent with the mail, held as bytes so a mailer never reads the disk."""

    filename: str
    content_type: str
    data: bytes

    def __post_init__(self) -> None:
        _single_line("attachment file name", self.filename)
        if not self.filename or self.content_type.count("/") != 1:
            raise ValueError(f"attachment {self.filename!r} needs a name and a MIME type")


@dataclass(frozen=True)
class OutgoingMail:
    """One rendered e-mail to one person; the idempotency key makes a resend harmless."""

    idempotency_key: str
    to_email: str
    to_name: str
    language: str
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()
    categories: tuple[str, ...] = ()
    custom_args: Mapping[str, str] = field(default_factory=dict)
    reply_to: str | None = None

    def __post_init__(self) -> None:
        if not 0 < len(self.idempotency_key) <= MAX_KEY_LENGTH:
            raise ValueError(f"idempotency key must have 1 to {MAX_KEY_LENGTH} characters")
        for what, value in (("recipient name", self.to_name), ("subject", self.subject)):
            _single_line(what, value)
        for what, address in (("recipient", self.to_email), ("reply-to", self.reply_to)):
            if address is not None and not _looks_like_address(address):
                raise ValueError(f"{what} address {address!r} is not an e-mail address")
        if not self.subject.strip() or not self.text.strip():
            raise ValueError("an e-mail needs a subject and a text body")
        _check_categories(self.categories)
        _check_custom_args(self.custom_args)
        object.__setattr__(self, "attachments", tuple(self.attachments))
        object.__setattr__(self, "custom_args", MappingProxyType(dict(self.custom_args)))


@dataclass(frozen=True)
class DeliveryResult:
    """What the provider said; `permanent_error` is set only when a refusal is kept as a result."""

    accepted: bool
    provider_id: str | None = None
    permanent_error: str | None = None


class DeliveryError(AccordError):
    """A mail could not be handed to the provider; the message says why in plain words."""


class TransientDeliveryError(DeliveryError):
    """Worth trying again later, after `retry_after_s` when the provider said how long.

    `in_doubt`: the mail was sent but no answer came back (a read timeout, a dropped
    connection), so the provider may have accepted it: trying again at once could send it
    twice, and the outbox waits for the provider's confirmation instead.
    """

    def __init__(
        self,
        message: str = "the mail service is temporarily unavailable",
        retry_after_s: float | None = None,
        *,
        in_doubt: bool = False,
    ) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.in_doubt = in_doubt


class PermanentDeliveryError(DeliveryError):
    """The provider refused this mail; sending it again unchanged will fail again."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    def as_result(self) -> DeliveryResult:
        """For callers that record a refusal instead of raising it."""
        return DeliveryResult(accepted=False, permanent_error=str(self))


def _single_line(what: str, value: str) -> None:
    if "\r" in value or "\n" in value:
        raise ValueError(f"{what} must be one line: {value!r}")


def _looks_like_address(address: str) -> bool:
    """One address, by the same check as where addresses enter (`accord.source.people`)."""
    try:
        check_address(address)
    except NotAnAddress:
        return False
    return True


def _check_categories(categories: tuple[str, ...]) -> None:
    if len(categories) > MAX_CATEGORIES:
        raise ValueError(f"at most {MAX_CATEGORIES} categories, got {len(categories)}")
    if len(set(categories)) != len(categories):
        raise ValueError(f"categories must not repeat: {list(categories)}")
    for category in categories:
        if not 0 < len(category) <= MAX_CATEGORY_LENGTH:
            raise ValueError(f"category must have 1 to {MAX_CATEGORY_LENGTH} characters")
        _single_line("category", category)


def _check_custom_args(custom_args: Mapping[str, str]) -> None:
    for name, value in custom_args.items():
        if not ARG_NAME.fullmatch(name):
            raise ValueError(f"custom argument name {name!r} must be letters, digits, . _ or -")
        if not isinstance(value, str):
            raise ValueError(f"custom argument {name!r} must be a string, got {value!r}")
        _single_line(f"custom argument {name!r}", value)
