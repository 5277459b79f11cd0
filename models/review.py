"""Review rounds: stages, the parties asked, their access links, decisions and comments."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.columns import UTCDateTime, enum_column_type, utcnow


class RoundStatus(StrEnum):
    open = "open"
    closed = "closed"


class StageKind(StrEnum):
    internal = "internal"
    external = "external"


class StageStatus(StrEnum):
    pending = "pending"
    open = "open"
    closed = "closed"


class Decision(StrEnum):
    approve = "approve"
    approve_with_comments = "approve_with_comments"
    request_changes = "request_changes"


class RoundOutcome(StrEnum):
    approved = "approved"
    changes_requested = "changes_requested"
    incomplete = "incomplete"
    """The deadline passed before every required party answered."""


class ReviewRound(SQLModel, table=True):
    __tablename__ = "review_round"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    version_id: int = Field(foreign_key="agreement_version.id", index=True)
    number: int
    status: RoundStatus = Field(
        default=RoundStatus.open,
        sa_column=Column(enum_column_type(RoundStatus), nullable=False, index=True),
    )
    outcome: RoundOutcome | None = Field(
        default=None, sa_column=Column(enum_column_type(RoundOutcome))
    )
    closed_reason: str | None = Field(default=None, max_length=200)
    started_by: str = Field(max_length=200)
    opened_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class ReviewStage(SQLModel, table=True):
    """A round runs its stages in order: an internal approval opens the external review."""

    __tablename__ = "review_stage"
    __table_args__ = (UniqueConstraint("round_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="review_round.id", index=True)
    position: int
    kind: StageKind = Field(sa_column=Column(enum_column_type(StageKind), nullable=False))
    status: StageStatus = Field(
        default=StageStatus.pending,
        sa_column=Column(enum_column_type(StageStatus), nullable=False, index=True),
    )
    deadline: date
    opened_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class ReviewAssignment(SQLModel, table=True):
    """One party asked to review in one stage; its latest decision is its answer."""

    __tablename__ = "review_assignment"
    __table_args__ = (UniqueConstraint("stage_id", "organization_id"),)

    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(foreign_key="review_stage.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    required: bool = True


class ReviewAccess(SQLModel, table=True):
    """A personal link: only the token's sha256 is stored, so the table leaks no usable link."""

    __tablename__ = "review_access"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="review_assignment.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    delegated_by_id: int | None = Field(default=None, foreign_key="review_access.id")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    """None for links sent before links expired: they end with their stage only."""
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class DelegationRequest(SQLModel, table=True):
    """A delegation to an address outside the party's known e-mail domains, held until the
    secretariat confirms it on the round board; no link exists before. Both names are kept:
    the delegator's through their access, the colleague's here."""

    __tablename__ = "delegation_request"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="review_assignment.id", index=True)
    delegated_by_id: int = Field(foreign_key="review_access.id")
    email: str = Field(max_length=254)
    name: str = Field(max_length=200)
    language: str = Field(max_length=8)
    request_key: str | None = Field(default=None, max_length=200, unique=True)
    requested_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    confirmed_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime, nullable=True)
    )
    confirmed_by: str | None = Field(default=None, max_length=200)
    access_id: int | None = Field(default=None, foreign_key="review_access.id")
    """The link issued on confirmation."""
    declined_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    declined_by: str | None = Field(default=None, max_length=200)
    """Set when the secretariat declined it: no link is ever issued for it."""


class ReviewDecision(SQLModel, table=True):
    """History of decisions; never updated. `request_key` makes a double submit a no-op."""

    __tablename__ = "review_decision"
    __table_args__ = (Index("ix_review_decision_assignment_at", "assignment_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="review_assignment.id")
    access_id: int | None = Field(default=None, foreign_key="review_access.id")
    decision: Decision = Field(sa_column=Column(enum_column_type(Decision), nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(Text))
    recorded_by: str | None = Field(default=None, max_length=200)
    """Set when the secretariat recorded a decision received on paper."""
    request_key: str = Field(max_length=64, unique=True)
    decided_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class ReviewComment(SQLModel, table=True):
    __tablename__ = "review_comment"

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="review_assignment.id", index=True)
    access_id: int | None = Field(default=None, foreign_key="review_access.id")
    clause_id: str | None = Field(default=None, max_length=64)
    """None for a general comment on the whole text (or one on an activity)."""
    activity_id: str | None = Field(default=None, max_length=64)
    """The commitment id of the plan's activity commented on; never set with `clause_id`."""
    proposed_text: str | None = Field(default=None, sa_column=Column(Text))
    """New wording the reviewer proposes for that clause or activity (the body says why)."""
    body: str = Field(sa_column=Column(Text, nullable=False))
    request_key: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class AnswerVerdict(StrEnum):
    """What the secretariat made of a comment: the comments matrix prints it beside the answer."""

    accepted = "accepted"
    partly_accepted = "partly_accepted"
    not_accepted = "not_accepted"


class ReviewAnswer(SQLModel, table=True):
    """The secretariat's answer to one comment; answering again replaces the text (the audit
    trail keeps every version of it)."""

    __tablename__ = "review_answer"

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="review_comment.id", unique=True)
    response: str = Field(sa_column=Column(Text, nullable=False))
    verdict: AnswerVerdict = Field(
        sa_column=Column(enum_column_type(AnswerVerdict), nullable=False)
    )
    answered_by: str = Field(max_length=200)
    answered_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
