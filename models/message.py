"""The transactional outbox: every e-mail is a row before it is a delivery."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.columns import JSONValue, UTCDateTime, enum_column_type, utcnow


class MessageStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"
    delivered = "delivered"
    bounced = "bounced"
    dropped = "dropped"


class OutgoingMessage(SQLModel, table=True):
    """Written in the same transaction as the change that causes it; `key` makes it once-only."""

    __tablename__ = "outgoing_message"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=64, index=True)
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="review_round.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    to_email: str = Field(max_length=254)
    to_name: str = Field(max_length=200)
    language: str = Field(max_length=8)
    subject: str = Field(max_length=500)
    text: str = Field(sa_column=Column(Text, nullable=False))
    html: str = Field(sa_column=Column(Text, nullable=False))
    attachments: list[dict[str, Any]] = Field(sa_column=Column(JSONValue, nullable=False))
    """[{"filename", "content_type", "document"}]: documents are read from the store at delivery."""
    status: MessageStatus = Field(
        default=MessageStatus.pending,
        sa_column=Column(enum_column_type(MessageStatus), nullable=False, index=True),
    )
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    provider_id: str | None = Field(default=None, max_length=200)
    in_flight_since: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    """Set just before the mail is handed to the provider, cleared with its answer: a message
    still pending with this set was in flight when a delivery died, and may have been sent."""
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class MessageEvent(SQLModel, table=True):
    """Delivery feedback from the provider; `provider_event_id` makes replays harmless."""

    __tablename__ = "message_event"
    __table_args__ = (UniqueConstraint("provider_event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outgoing_message.id", index=True)
    event: str = Field(max_length=32)
    provider_event_id: str = Field(max_length=200)
    reason: str | None = Field(default=None, sa_column=Column(Text))
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
