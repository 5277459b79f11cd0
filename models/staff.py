"""The secretariat's staff: accounts, their signed-in sessions, one-time links and failed
sign-ins (kept to throttle guessing), and the long work they started from the workspace."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from models.columns import JSONValue, UTCDateTime, enum_column_type, utcnow


class StaffRole(StrEnum):
    """What an account may do within its secretariat."""

    admin = "admin"
    """Manages staff and organisations, and does what an officer does."""
    officer = "officer"
    """Runs agreements: drafts, rounds, sign-offs, commitments."""
    viewer = "viewer"
    """Reads everything of its secretariat, changes nothing."""


class StaffAccount(SQLModel, table=True):
    __tablename__ = "staff_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    """Lower-cased, as validated; the sign-in name."""
    name: str = Field(max_length=200)
    secretariat_id: int = Field(foreign_key="organization.id", index=True)
    role: StaffRole = Field(sa_column=Column(enum_column_type(StaffRole), nullable=False))
    language: str = Field(default="ru", max_length=8)
    password_hash: str | None = Field(default=None, max_length=255)
    """None until the account's owner sets a password through their one-time link."""
    totp_secret: str | None = Field(default=None, max_length=64)
    """Set once the second factor is confirmed with a first code."""
    totp_last_step: int | None = Field(default=None)
    """The last time step a code was accepted for: a code is never accepted twice."""
    active: bool = Field(default=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    created_by: str = Field(default="", max_length=200)


class StaffSession(SQLModel, table=True):
    """A signed-in browser. Only the token's hash is kept: a stolen database signs no one in."""

    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    account_id: int = Field(foreign_key="staff_account.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    last_seen_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    second_factor_done: bool = Field(default=False)
    """False while an account with a second factor has given only its password."""
    client: str = Field(default="", max_length=64)


class StaffLinkPurpose(StrEnum):
    set_password = "set_password"
    """The first password of an account made by `accord staff add` or an invitation."""
    reset_password = "reset_password"


class StaffLink(SQLModel, table=True):
    """A one-time link: good once, until it expires."""

    __tablename__ = "staff_link"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    account_id: int = Field(foreign_key="staff_account.id", ondelete="CASCADE", index=True)
    purpose: StaffLinkPurpose = Field(
        sa_column=Column(enum_column_type(StaffLinkPurpose), nullable=False)
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class SignInFailure(SQLModel, table=True):
    """One failed sign-in, by the name tried (whether or not an account has it) and address."""

    __tablename__ = "sign_in_failure"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client: str = Field(max_length=64, index=True)
    at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )


class PasswordResetRequest(SQLModel, table=True):
    """One request for a reset link, by the address given (whether or not an account has it)
    and the client: kept a while to throttle them as failed sign-ins are."""

    __tablename__ = "password_reset_request"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client: str = Field(max_length=64, index=True)
    at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True)
    )


class RunState(StrEnum):
    running = "running"
    completed = "completed"
    failed = "failed"


class WorkspaceRun(SQLModel, table=True):
    """Long work a person started from the workspace: the Prefect flow run that does it."""

    __tablename__ = "workspace_run"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64)
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id", index=True)
    secretariat_id: int = Field(foreign_key="organization.id", index=True)
    account_id: int = Field(foreign_key="staff_account.id")
    flow_run_id: str | None = Field(default=None, max_length=64)
    state: RunState = Field(
        default=RunState.running, sa_column=Column(enum_column_type(RunState), nullable=False)
    )
    started_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    result: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONValue, nullable=False)
    )
    error: str = Field(default="", sa_column=Column(Text, nullable=False))
