"""safe mode: chats whose messages are erased a set time after the last one

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "safe_mode_chats",
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("chat_ref", sa.Text(), nullable=False),
        sa.Column("erase_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_key", name=op.f("pk_safe_mode_chats")),
    )
    op.create_index(op.f("ix_safe_mode_chats_erase_at"), "safe_mode_chats", ["erase_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_safe_mode_chats_erase_at"), table_name="safe_mode_chats")
    op.drop_table("safe_mode_chats")
