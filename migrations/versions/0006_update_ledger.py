"""update ledger: every Telegram update recorded before it is acknowledged, until handled

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "update_ledger",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_update_ledger")),
    )
    op.create_index(op.f("ix_update_ledger_status"), "update_ledger", ["status"])
    op.create_index(op.f("ix_update_ledger_received_at"), "update_ledger", ["received_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_update_ledger_received_at"), table_name="update_ledger")
    op.drop_index(op.f("ix_update_ledger_status"), table_name="update_ledger")
    op.drop_table("update_ledger")
