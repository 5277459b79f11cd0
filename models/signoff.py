"""Sign-off of one approved version, and the evidence each signatory leaves."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.columns import UTCDateTime, enum_column_type, utcnow


class SignOffStatus(StrEnum):
    open = "open"
    completed = "completed"
    declined = "declined"
    cancelled = "cancelled"


class SignatureStatus(StrEnum):
    pending = "pending"
    signed = "signed"
    declined = "declined"


class SignOff(SQLModel, table=True):
    __tablename__ = "sign_off"

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    version_sha256: str = Field(max_length=64)
    status: SignOffStatus = Field(
        default=SignOffStatus.open,
        sa_column=Column(enum_column_type(SignOffStatus), nullable=False, index=True),
    )
    started_by: str = Field(max_length=200)
    opened_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    effective_date: date | None = None


class Signature(SQLModel, table=True):
    """One signatory's personal link and, once used, the evidence of their signature."""

    __tablename__ = "signature"
    __table_args__ = (UniqueConstraint("sign_off_id", "organization_id"),)

    id: int | None = Field(default=None, primary_key=True)
    sign_off_id: int = Field(foreign_key="sign_off.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    contact_id: int = Field(foreign_key="contact.id")
    token_hash: str = Field(max_length=64, unique=True)
    status: SignatureStatus = Field(
        default=SignatureStatus.pending,
        sa_column=Column(enum_column_type(SignatureStatus), nullable=False),
    )
    signer_name: str | None = Field(default=None, max_length=200)
    signer_title: str | None = Field(default=None, max_length=200)
    signed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    ip_address: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=500)
    version_sha256: str | None = Field(default=None, max_length=64)
    decline_reason: str | None = Field(default=None, sa_column=Column(Text))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    """When the link stops working; None for links sent before links expired."""
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
