"""delegations held for the secretariat's confirmation; delegates marked apart from contacts

A delegate added by a reviewer is a contact of the party marked `delegate`: recipients and
drafting leave it alone. Contacts added by delegation before this revision cannot be told
from those of organizations.yaml, so they stay unmarked.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 06:36:40.714698
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.columns

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('delegation_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('delegated_by_id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('requested_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', models.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('access_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['access_id'], ['review_access.id'], ),
    sa.ForeignKeyConstraint(['assignment_id'], ['review_assignment.id'], ),
    sa.ForeignKeyConstraint(['delegated_by_id'], ['review_access.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_key')
    )
    with op.batch_alter_table('delegation_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegation_request_assignment_id'), ['assignment_id'], unique=False)

    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('delegate', sa.Boolean(), nullable=False, server_default=sa.false())
        )



def downgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_column('delegate')

    with op.batch_alter_table('delegation_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegation_request_assignment_id'))

    op.drop_table('delegation_request')
