"""Agreements, who takes part in them, and their immutable versions."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, Numeric, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from models.columns import JSONValue, UTCDateTime, enum_column_type, utcnow


class AgreementStatus(StrEnum):
    """Where an agreement stands in its lifecycle (draft → review → … → in force → ended)."""

    draft = "draft"
    in_review = "in_review"
    approved = "approved"
    signing = "signing"
    in_force = "in_force"
    expired = "expired"
    terminated = "terminated"


class AgreementBase(SQLModel):
    slug: str = Field(max_length=64, unique=True, index=True)
    kind: str = Field(max_length=32)
    country: str = Field(max_length=2, index=True)
    languages: list[str] = Field(sa_column=Column(JSONValue, nullable=False))
    status: AgreementStatus = Field(
        default=AgreementStatus.draft,
        sa_column=Column(enum_column_type(AgreementStatus), nullable=False, index=True),
    )


class Agreement(AgreementBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    secretariat_id: int = Field(foreign_key="organization.id", index=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    parties: list["AgreementParty"] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "order_by": "AgreementParty.id"}
    )
    versions: list["AgreementVersion"] = Relationship(
        back_populates="agreement",
        sa_relationship_kwargs={"order_by": "AgreementVersion.number"},
    )


class AgreementPublic(AgreementBase):
    id: int
    secretariat: str
    latest_version: int | None
    latest_sha256: str | None


class AgreementParty(SQLModel, table=True):
    """Who takes part now; the role a party had in a given version is in that version's content."""

    __tablename__ = "agreement_party"
    __table_args__ = (UniqueConstraint("agreement_id", "organization_id"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", ondelete="CASCADE", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    role: str = Field(max_length=16)


class AgreementVersionBase(SQLModel):
    number: int
    sha256: str = Field(max_length=64, index=True)
    source_path: str = Field(max_length=500)


class AgreementVersion(AgreementVersionBase, table=True):
    """One immutable text: rows are inserted, never updated (a trigger refuses updates)."""

    __tablename__ = "agreement_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", ondelete="RESTRICT", index=True)
    content: str = Field(sa_column=Column(Text, nullable=False))
    """Canonical JSON of `accord.source.spec.VersionContent`; `sha256` is its hash."""
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    agreement: Agreement | None = Relationship(back_populates="versions")


class AgreementVersionPublic(AgreementVersionBase):
    id: int
    agreement_id: int
    created_at: datetime


class CommitmentDefinition(SQLModel, table=True):
    """A commitment as one version words it; tracked items (later) point at these by key."""

    __tablename__ = "commitment_definition"
    __table_args__ = (
        UniqueConstraint("version_id", "key"),
        Index("ix_commitment_definition_responsible_due", "responsible_id", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="agreement_version.id", ondelete="RESTRICT", index=True)
    key: str = Field(max_length=64)
    objective: str | None = Field(default=None, max_length=64)
    activity: dict[str, str] = Field(sa_column=Column(JSONValue, nullable=False))
    responsible_id: int = Field(foreign_key="organization.id")
    partners: list[str] = Field(sa_column=Column(JSONValue, nullable=False))
    due: date
    due_label: str = Field(max_length=16)
    indicator: dict[str, str] | None = Field(default=None, sa_column=Column(JSONValue))
    baseline: str | None = Field(default=None, max_length=200)
    target: str | None = Field(default=None, max_length=200)
    budget_amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    budget_currency: str | None = Field(default=None, max_length=3)
    funding: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONValue))
