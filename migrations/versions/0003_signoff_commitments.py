"""sign-off and tracked commitments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 02:18:16.948185
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.columns


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('focal_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', models.columns.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('focal_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_focal_access_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_focal_access_organization_id'), ['organization_id'], unique=False)

    op.create_table('sign_off',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('version_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sa.String(length=25), nullable=False),
    sa.Column('started_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('opened_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', models.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('effective_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_version.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sign_off', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_off_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_off_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_off_version_id'), ['version_id'], unique=False)

    op.create_table('signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sign_off_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('signer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('signer_title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('signed_at', models.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ip_address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('user_agent', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('version_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], ),
    sa.ForeignKeyConstraint(['sign_off_id'], ['sign_off.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sign_off_id', 'organization_id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signature_sign_off_id'), ['sign_off_id'], unique=False)

    op.create_table('tracked_commitment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('definition_id', sa.Integer(), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=27), nullable=False),
    sa.Column('latest_value', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('latest_percent', sa.Integer(), nullable=True),
    sa.Column('last_update_at', models.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], ),
    sa.ForeignKeyConstraint(['definition_id'], ['commitment_definition.id'], ),
    sa.ForeignKeyConstraint(['responsible_id'], ['organization.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('agreement_id', 'key')
    )
    with op.batch_alter_table('tracked_commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracked_commitment_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index('ix_tracked_open_due', ['status', 'due'], unique=False)
        batch_op.create_index('ix_tracked_responsible_due', ['responsible_id', 'due'], unique=False)

    op.create_table('progress_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracked_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=27), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['tracked_id'], ['tracked_commitment.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_key')
    )
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_update_tracked_id'), ['tracked_id'], unique=False)

    op.create_table('reminder_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracked_id', sa.Integer(), nullable=False),
    sa.Column('threshold', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['tracked_id'], ['tracked_commitment.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tracked_id', 'threshold', 'on_date')
    )
    op.create_table('evidence_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['progress_update.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_file_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_file_update_id'), ['update_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_file_update_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_file_sha256'))

    op.drop_table('evidence_file')
    op.drop_table('reminder_mark')
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_update_tracked_id'))

    op.drop_table('progress_update')
    with op.batch_alter_table('tracked_commitment', schema=None) as batch_op:
        batch_op.drop_index('ix_tracked_responsible_due')
        batch_op.drop_index('ix_tracked_open_due')
        batch_op.drop_index(batch_op.f('ix_tracked_commitment_agreement_id'))

    op.drop_table('tracked_commitment')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signature_sign_off_id'))
        batch_op.drop_index(batch_op.f('ix_signature_organization_id'))

    op.drop_table('signature')
    with op.batch_alter_table('sign_off', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_off_version_id'))
        batch_op.drop_index(batch_op.f('ix_sign_off_status'))
        batch_op.drop_index(batch_op.f('ix_sign_off_agreement_id'))

    op.drop_table('sign_off')
    with op.batch_alter_table('focal_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_focal_access_organization_id'))
        batch_op.drop_index(batch_op.f('ix_focal_access_contact_id'))

    op.drop_table('focal_access')
