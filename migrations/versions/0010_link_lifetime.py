"""personal links expire and are revoked one by one

Review and signing links get `expires_at` and `revoked_at`, focal links `expires_at` (they
already had `revoked_at`). Links sent before keep no expiry: they end as they always did.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 09:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.columns

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {
    'review_access': ('expires_at', 'revoked_at'),
    'signature': ('expires_at', 'revoked_at'),
    'focal_access': ('expires_at',),
}


def upgrade() -> None:
    for table, columns in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.add_column(
                    sa.Column(column, models.columns.UTCDateTime(timezone=True), nullable=True)
                )


def downgrade() -> None:
    for table, columns in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(column)
