"""delegations the secretariat declined

A held delegation is confirmed (a link is issued) or declined (never a link); the request
keeps who decided and when.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 07:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.columns

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('delegation_request', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('declined_at', models.columns.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                'declined_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('delegation_request', schema=None) as batch_op:
        batch_op.drop_column('declined_by')
        batch_op.drop_column('declined_at')
