"""review rounds and the outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 01:56:21.590917
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.columns
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('review_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=22), nullable=False),
    sa.Column('outcome', sa.String(length=33), nullable=True),
    sa.Column('closed_reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('started_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('opened_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', models.columns.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_version.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('agreement_id', 'number')
    )
    with op.batch_alter_table('review_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_round_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_round_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_round_version_id'), ['version_id'], unique=False)

    op.create_table('outgoing_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('to_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('to_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=25), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('created_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', models.columns.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['round_id'], ['review_round.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('outgoing_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_message_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_message_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_message_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_message_status'), ['status'], unique=False)

    op.create_table('review_stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=23), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('opened_at', models.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', models.columns.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['review_round.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'position')
    )
    with op.batch_alter_table('review_stage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_stage_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_stage_status'), ['status'], unique=False)

    op.create_table('message_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('provider_event_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['outgoing_message.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('provider_event_id')
    )
    with op.batch_alter_table('message_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_event_message_id'), ['message_id'], unique=False)

    op.create_table('review_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['stage_id'], ['review_stage.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('stage_id', 'organization_id')
    )
    with op.batch_alter_table('review_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_assignment_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_assignment_stage_id'), ['stage_id'], unique=False)

    op.create_table('review_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('delegated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['review_assignment.id'], ),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['delegated_by_id'], ['review_access.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('review_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_access_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_access_contact_id'), ['contact_id'], unique=False)

    op.create_table('review_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('access_id', sa.Integer(), nullable=True),
    sa.Column('clause_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['access_id'], ['review_access.id'], ),
    sa.ForeignKeyConstraint(['assignment_id'], ['review_assignment.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_key')
    )
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comment_assignment_id'), ['assignment_id'], unique=False)

    op.create_table('review_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('access_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=37), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('decided_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['access_id'], ['review_access.id'], ),
    sa.ForeignKeyConstraint(['assignment_id'], ['review_assignment.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_key')
    )
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.create_index('ix_review_decision_assignment_at', ['assignment_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_review_decision_assignment_at')

    op.drop_table('review_decision')
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comment_assignment_id'))

    op.drop_table('review_comment')
    with op.batch_alter_table('review_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_access_contact_id'))
        batch_op.drop_index(batch_op.f('ix_review_access_assignment_id'))

    op.drop_table('review_access')
    with op.batch_alter_table('review_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_assignment_stage_id'))
        batch_op.drop_index(batch_op.f('ix_review_assignment_organization_id'))

    op.drop_table('review_assignment')
    with op.batch_alter_table('message_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_event_message_id'))

    op.drop_table('message_event')
    with op.batch_alter_table('review_stage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_stage_status'))
        batch_op.drop_index(batch_op.f('ix_review_stage_round_id'))

    op.drop_table('review_stage')
    with op.batch_alter_table('outgoing_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_message_status'))
        batch_op.drop_index(batch_op.f('ix_outgoing_message_round_id'))
        batch_op.drop_index(batch_op.f('ix_outgoing_message_kind'))
        batch_op.drop_index(batch_op.f('ix_outgoing_message_agreement_id'))

    op.drop_table('outgoing_message')
    with op.batch_alter_table('review_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_round_version_id'))
        batch_op.drop_index(batch_op.f('ix_review_round_status'))
        batch_op.drop_index(batch_op.f('ix_review_round_agreement_id'))

    op.drop_table('review_round')
