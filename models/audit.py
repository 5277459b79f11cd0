"""The audit trail: append-only and hash-chained, so any edit or gap can be detected."""

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from models.columns import JSONValue, UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """`hash` = sha256 over the previous entry's hash and this entry's canonical fields."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True, index=True)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    actor: str = Field(max_length=200)
    action: str = Field(max_length=64, index=True)
    subject: str = Field(max_length=200, index=True)
    data: dict[str, Any] = Field(sa_column=Column(JSONValue, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
