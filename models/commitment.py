"""Commitments in force: tracked items, their progress reports and evidence files."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.columns import UTCDateTime, enum_column_type, utcnow


class ItemStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    overdue = "overdue"
    cancelled = "cancelled"


class TrackedCommitment(SQLModel, table=True):
    """One commitment of an agreement in force; it keeps its id (and history) across amendments."""

    __tablename__ = "tracked_commitment"
    __table_args__ = (
        UniqueConstraint("agreement_id", "key"),
        Index("ix_tracked_open_due", "status", "due"),
        Index("ix_tracked_responsible_due", "responsible_id", "due"),
        Index("ix_tracked_agreement_status_due", "agreement_id", "status", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    key: str = Field(max_length=64)
    definition_id: int = Field(foreign_key="commitment_definition.id")
    responsible_id: int = Field(foreign_key="organization.id")
    due: date
    status: ItemStatus = Field(
        default=ItemStatus.not_started,
        sa_column=Column(enum_column_type(ItemStatus), nullable=False),
    )
    latest_value: str | None = Field(default=None, max_length=200)
    latest_percent: int | None = None
    last_update_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class ProgressUpdate(SQLModel, table=True):
    __tablename__ = "progress_update"

    id: int | None = Field(default=None, primary_key=True)
    tracked_id: int = Field(foreign_key="tracked_commitment.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    status: ItemStatus = Field(sa_column=Column(enum_column_type(ItemStatus), nullable=False))
    value: str | None = Field(default=None, max_length=200)
    percent: int | None = None
    note: str | None = Field(default=None, sa_column=Column(Text))
    request_key: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class EvidenceFile(SQLModel, table=True):
    """A file attached to an update, stored under its sha256 so it can be verified later."""

    __tablename__ = "evidence_file"

    id: int | None = Field(default=None, primary_key=True)
    update_id: int = Field(foreign_key="progress_update.id", index=True)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64, index=True)


class FocalAccess(SQLModel, table=True):
    """A focal point's standing link to their organisation's items (hash only, revocable)."""

    __tablename__ = "focal_access"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    """When the link stops working; None for links sent before links expired."""


class ReminderMark(SQLModel, table=True):
    """One row per item, threshold and day a reminder went out: never the same one twice."""

    __tablename__ = "reminder_mark"
    __table_args__ = (UniqueConstraint("tracked_id", "threshold", "on_date"),)

    id: int | None = Field(default=None, primary_key=True)
    tracked_id: int = Field(foreign_key="tracked_commitment.id")
    threshold: str = Field(max_length=32)
    on_date: date
