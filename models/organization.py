"""Organisations and the people Accord writes to."""

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from models.columns import JSONValue, UTCDateTime, utcnow


class OrganizationBase(SQLModel):
    slug: str = Field(max_length=64, unique=True, index=True)
    kind: str = Field(max_length=32)
    country: str = Field(max_length=2)
    name: dict[str, str] = Field(sa_column=Column(JSONValue, nullable=False))


class Organization(OrganizationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    contacts: list["Contact"] = Relationship(
        back_populates="organization",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "order_by": "Contact.id"},
    )


class OrganizationPublic(OrganizationBase):
    id: int


class ContactBase(SQLModel):
    name: str = Field(max_length=200)
    email: str = Field(max_length=254, index=True)
    language: str = Field(max_length=8)
    roles: list[str] = Field(sa_column=Column(JSONValue, nullable=False))


class Contact(ContactBase, table=True):
    __table_args__ = (UniqueConstraint("organization_id", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE", index=True)
    active: bool = Field(default=True)
    delegate: bool = Field(default=False)
    """Added by a reviewer's delegation, not by organizations.yaml: reached only through the
    link of the round it was delegated in, never chosen as the party's reviewer, signatory
    or focal point, and left alone by drafting."""
    organization: Organization | None = Relationship(back_populates="contacts")


class ContactPublic(ContactBase):
    id: int
    organization_id: int
    active: bool
