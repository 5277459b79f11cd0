"""password reset requests, commitments by agreement, status and due day

Requests for a password reset link, kept to throttle them per address and per client as
failed sign-ins are; and an index that lets the workspace's home page count one
secretariat's open commitments by due day without reading the others'.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 09:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.columns

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "password_reset_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("password_reset_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_reset_request_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_password_reset_request_client"), ["client"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_password_reset_request_email"), ["email"], unique=False
        )
    with op.batch_alter_table("tracked_commitment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tracked_agreement_status_due", ["agreement_id", "status", "due"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tracked_commitment", schema=None) as batch_op:
        batch_op.drop_index("ix_tracked_agreement_status_due")
    with op.batch_alter_table("password_reset_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_reset_request_email"))
        batch_op.drop_index(batch_op.f("ix_password_reset_request_client"))
        batch_op.drop_index(batch_op.f("ix_password_reset_request_at"))
    op.drop_table("password_reset_request")
