"""job-advertisement checks: the verdict level and warning-sign ids (never the ad's text)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_ad_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("sign_ids", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_ad_checks")),
    )
    op.create_index(op.f("ix_job_ad_checks_created_at"), "job_ad_checks", ["created_at"])
    op.create_index(op.f("ix_job_ad_checks_user_key"), "job_ad_checks", ["user_key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_job_ad_checks_user_key"), table_name="job_ad_checks")
    op.drop_index(op.f("ix_job_ad_checks_created_at"), table_name="job_ad_checks")
    op.drop_table("job_ad_checks")
