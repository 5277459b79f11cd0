"""outgoing messages remember when they were handed to the provider

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.columns

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outgoing_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("in_flight_since", models.columns.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("outgoing_message", schema=None) as batch_op:
        batch_op.drop_column("in_flight_since")
