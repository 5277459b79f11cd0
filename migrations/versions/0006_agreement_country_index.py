"""index agreements by country (listing filters at national scale)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 06:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_agreement_country"), "agreement", ["country"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_agreement_country"), table_name="agreement")
