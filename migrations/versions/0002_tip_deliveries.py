"""tip deliveries: which weekly tip each subscriber got in which round

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tip_deliveries",
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("round_key", sa.String(length=32), nullable=False),
        sa.Column("tip_id", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_key", "round_key", name=op.f("pk_tip_deliveries")),
    )
    op.create_index(op.f("ix_tip_deliveries_created_at"), "tip_deliveries", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_tip_deliveries_created_at"), table_name="tip_deliveries")
    op.drop_table("tip_deliveries")
