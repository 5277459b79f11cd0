"""Accord's tables and their public schemas; importing this registers every table."""

from models.agreement import (
    Agreement,
    AgreementParty,
    AgreementPublic,
    AgreementStatus,
    AgreementVersion,
    AgreementVersionPublic,
    CommitmentDefinition,
)
from models.audit import AuditEvent
from models.organization import Contact, ContactPublic, Organization, OrganizationPublic

__all__ = [
    "Agreement",
    "AgreementParty",
    "AgreementPublic",
    "AgreementStatus",
    "AgreementVersion",
    "AgreementVersionPublic",
    "AuditEvent",
    "CommitmentDefinition",
    "Contact",
    "ContactPublic",
    "Organization",
    "OrganizationPublic",
]
