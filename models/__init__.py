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
from models.commitment import (
    EvidenceFile,
    FocalAccess,
    ItemStatus,
    ProgressUpdate,
    ReminderMark,
    TrackedCommitment,
)
from models.message import MessageEvent, MessageStatus, OutgoingMessage
from models.organization import Contact, ContactPublic, Organization, OrganizationPublic
from models.review import (
    Decision,
    DelegationRequest,
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
from models.signoff import Signature, SignatureStatus, SignOff, SignOffStatus

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
    "DelegationRequest",
    "EvidenceFile",
    "FocalAccess",
    "ItemStatus",
    "MessageEvent",
    "MessageStatus",
    "Organization",
    "OrganizationPublic",
    "OutgoingMessage",
    "ProgressUpdate",
    "ReminderMark",
    "ReviewAccess",
    "ReviewAssignment",
    "ReviewComment",
    "ReviewDecision",
    "ReviewRound",
    "ReviewStage",
    "RoundOutcome",
    "RoundStatus",
    "SignOff",
    "SignOffStatus",
    "Signature",
    "SignatureStatus",
    "StageKind",
    "StageStatus",
    "TrackedCommitment",
]
