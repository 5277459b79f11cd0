"""the secretariat's answers to review comments

One answer per comment (response text and a verdict: accepted, partly accepted, not
accepted), written from the round board; the comments matrix prints it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 09:17:53.777438
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.columns

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(length=15), nullable=False),
        sa.Column("answered_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("answered_at", models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["review_comment.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("comment_id"),
    )


def downgrade() -> None:
    op.drop_table("review_answer")
