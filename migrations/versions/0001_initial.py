"""initial: events, feedback, unanswered questions, recent messages, subscriptions, job checks

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USER_KEY = sa.String(length=64)
FAQ_ID = sa.String(length=100)
LABEL = sa.String(length=16)
UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "message_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_key", USER_KEY, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("intent", LABEL, nullable=False),
        sa.Column("faq_id", FAQ_ID, nullable=True),
        sa.Column("score_band", LABEL, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_events")),
    )
    op.create_index(op.f("ix_message_events_created_at"), "message_events", ["created_at"])
    op.create_index(op.f("ix_message_events_user_key"), "message_events", ["user_key"])

    op.create_table(
        "feedback",
        sa.Column("user_key", USER_KEY, nullable=False),
        sa.Column("faq_id", FAQ_ID, nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("user_key", "faq_id", name=op.f("pk_feedback")),
    )
    op.create_index(op.f("ix_feedback_created_at"), "feedback", ["created_at"])

    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_key", USER_KEY, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("text_scrubbed", sa.String(length=300), nullable=False),
        sa.Column("intent", LABEL, nullable=False),
        sa.Column("nearest_faq_id", FAQ_ID, nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unanswered_questions")),
    )
    op.create_index(
        op.f("ix_unanswered_questions_created_at"), "unanswered_questions", ["created_at"]
    )
    op.create_index(op.f("ix_unanswered_questions_user_key"), "unanswered_questions", ["user_key"])

    op.create_table(
        "recent_messages",
        sa.Column("user_key", USER_KEY, nullable=False),
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("user_key", "message_id", name=op.f("pk_recent_messages")),
    )
    op.create_index(op.f("ix_recent_messages_created_at"), "recent_messages", ["created_at"])

    op.create_table(
        "subscriptions",
        sa.Column("user_key", USER_KEY, nullable=False),
        sa.Column("subscribed", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("chat_ref", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("user_key", name=op.f("pk_subscriptions")),
    )

    op.create_table(
        "job_offer_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_key", USER_KEY, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("level", LABEL, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_offer_checks")),
    )
    op.create_index(op.f("ix_job_offer_checks_created_at"), "job_offer_checks", ["created_at"])
    op.create_index(op.f("ix_job_offer_checks_user_key"), "job_offer_checks", ["user_key"])


def downgrade() -> None:
    for table in (
        "job_offer_checks",
        "subscriptions",
        "recent_messages",
        "unanswered_questions",
        "feedback",
        "message_events",
    ):
        op.drop_table(table)
