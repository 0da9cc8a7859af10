"""erasures: a user's deletion, so writes other workers still held for them are skipped

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erasures",
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_key", name=op.f("pk_erasures")),
    )
    op.create_index(op.f("ix_erasures_created_at"), "erasures", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_erasures_created_at"), table_name="erasures")
    op.drop_table("erasures")
