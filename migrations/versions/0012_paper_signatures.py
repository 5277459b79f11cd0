"""paper signatures and the commitment register's order

A signature given on paper at a ceremony keeps its day, place, the staff member who recorded
it and the scan of the signed page (by hash in the document store). The workspace's
commitment register pages through a secretariat's items by agreement and due date.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paper_signed_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("paper_place", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(
            sa.Column("scan_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("scan_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.add_column(
            sa.Column("scan_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
        batch_op.add_column(
            sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
    with op.batch_alter_table("tracked_commitment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tracked_agreement_due", ["agreement_id", "due", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tracked_commitment", schema=None) as batch_op:
        batch_op.drop_index("ix_tracked_agreement_due")
    with op.batch_alter_table("signature", schema=None) as batch_op:
        for column in (
            "recorded_by",
            "scan_type",
            "scan_name",
            "scan_sha256",
            "paper_place",
            "paper_signed_on",
        ):
            batch_op.drop_column(column)
