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
from models.message import MessageEvent, MessageStatus, OutgoingMessage
from models.organization import Contact, ContactPublic, Organization, OrganizationPublic
from models.review import (
    Decision,
    ReviewAccess,
    ReviewAssignment,
    ReviewComment,
    ReviewDecision,
    ReviewRound,
    ReviewStage,
    RoundOutcome,
    RoundStatus,
    StageKind,
    StageStatus,
)

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
    "Decision",
    "MessageEvent",
    "MessageStatus",
    "Organization",
    "OrganizationPublic",
    "OutgoingMessage",
    "ReviewAccess",
    "ReviewAssignment",
    "ReviewComment",
    "ReviewDecision",
    "ReviewRound",
    "ReviewStage",
    "RoundOutcome",
    "RoundStatus",
    "StageKind",
    "StageStatus",
]
