"""What the bot keeps, and nothing more: pseudonymous keys, counts and scrubbed unanswered text.

No raw Telegram id, name, username or phone number has a column here. Types are portable
(no SQLite-only or PostgreSQL-only types), so changing DATABASE_URL is enough to move.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

USER_KEY_LENGTH = 64
"""Hex digits of an HMAC-SHA256."""
FAQ_ID_LENGTH = 100
LABEL_LENGTH = 16
MAX_UNANSWERED_CHARS = 300
ROUND_KEY_LENGTH = 32
TIP_ID_LENGTH = 24
SIGN_IDS_LENGTH = 400
"""Comma-separated warning-sign ids of one job-advertisement check."""
LEASE_OWNER_LENGTH = 64
DELETABLE_WINDOW = timedelta(hours=48)
"""Telegram lets a bot delete messages in a private chat only this long after sending."""
ERASURE_KEPT = timedelta(hours=1)
"""How long a deletion's marker is kept: far longer than a write waits in a worker's queue
(`bot.storage.write_behind` drops a batch after a minute of failures)."""

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, also on SQLite, which stores no offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MessageEvent(Base):
    """One message answered: which kind of answer, which FAQ, how sure the matcher was."""

    __tablename__ = "message_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    intent: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    faq_id: Mapped[str | None] = mapped_column(String(FAQ_ID_LENGTH))
    score_band: Mapped[str] = mapped_column(String(LABEL_LENGTH))


class Feedback(Base):
    """The latest 👍/👎 of one user for one FAQ answer."""

    __tablename__ = "feedback"

    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH), primary_key=True)
    faq_id: Mapped[str] = mapped_column(String(FAQ_ID_LENGTH), primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class UnansweredQuestion(Base):
    """A question the bot could not answer, scrubbed of contact details, for staff to review."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    text_scrubbed: Mapped[str] = mapped_column(String(MAX_UNANSWERED_CHARS))
    intent: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    nearest_faq_id: Mapped[str | None] = mapped_column(String(FAQ_ID_LENGTH))
    score: Mapped[float] = mapped_column(Float)


class RecentMessage(Base):
    """A message in a private chat the bot may still delete for "Hapus jejak" (48 hours)."""

    __tablename__ = "recent_messages"

    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH), primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    """When sent, or, once `deleted`, when the erase that deleted it was caused."""
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Erased already: kept so another worker's late insert of the id does nothing
    (`bot.storage.message_trail`)."""


class Subscription(Base):
    """Whether a user wants the weekly tip; `chat_ref` is their chat address, encrypted
    (`bot.storage.chat_address`), kept only while subscribed."""

    __tablename__ = "subscriptions"

    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH), primary_key=True)
    subscribed: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    chat_ref: Mapped[str | None] = mapped_column(Text)


class JobOfferCheck(Base):
    """The outcome level of one job-offer check (a later feature)."""

    __tablename__ = "job_offer_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    level: Mapped[str] = mapped_column(String(LABEL_LENGTH))


class JobAdCheck(Base):
    """The verdict of one forwarded or pasted job advertisement: its level and the ids of the
    warning signs found. Never the ad's text."""

    __tablename__ = "job_ad_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    level: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    sign_ids: Mapped[str] = mapped_column(String(SIGN_IDS_LENGTH))


class TipDelivery(Base):
    """One tip for one subscriber in one round (a week). The row is written *before* sending,
    so a restarted broadcast never sends anyone the same round twice."""

    __tablename__ = "tip_deliveries"

    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH), primary_key=True)
    round_key: Mapped[str] = mapped_column(String(ROUND_KEY_LENGTH), primary_key=True)
    tip_id: Mapped[str] = mapped_column(String(TIP_ID_LENGTH))
    status: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class SafeModeChat(Base):
    """A private chat in safe mode: its messages are erased at `erase_at`, a set time after the
    last one. `chat_ref` is the chat address, encrypted like a subscriber's (deleting needs
    it); the row goes when safe mode is switched off or with /hapusdata."""

    __tablename__ = "safe_mode_chats"

    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH), primary_key=True)
    chat_ref: Mapped[str] = mapped_column(Text)
    erase_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StorageMeta(Base):
    """Facts about the database itself, e.g. the check value of the pseudonym secret."""

    __tablename__ = "storage_meta"

    name: Mapped[str] = mapped_column(String(LABEL_LENGTH * 2), primary_key=True)
    value: Mapped[str] = mapped_column(String(USER_KEY_LENGTH * 2))


class JobLease(Base):
    """Who runs a periodic job (tips round, retention) until when: one worker at a time on
    SQLite, where there are no advisory locks (`bot.storage.locks`)."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(LABEL_LENGTH * 2), primary_key=True)
    holder: Mapped[str] = mapped_column(String(USER_KEY_LENGTH))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class UpdateRecord(Base):
    """One Telegram update, written before it is acknowledged (webhook) or confirmed (polling),
    so a crash loses nothing and a redelivered update is answered once.

    `payload` is the update as Telegram sent it, message text included, encrypted
    (`bot/storage/update_ledger.py`): it is kept only while the update is `pending` and set to
    NULL when it is handled. The row without it stays a while
    longer (`UPDATE_ID_KEPT`) so a late redelivery of the same update id is recognised.
    """

    __tablename__ = "update_ledger"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(LABEL_LENGTH), index=True)
    payload: Mapped[str | None] = mapped_column(Text)
    lease_owner: Mapped[str | None] = mapped_column(String(LEASE_OWNER_LENGTH))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Erasure(Base):
    """A user's data was deleted (/hapusdata) at `created_at`: what another worker still held
    for them, caused earlier, is not written afterwards (`bot.storage.erasures`). Kept for
    `ERASURE_KEPT`, and not one of USER_TABLES, which the deletion empties."""

    __tablename__ = "erasures"

    user_key: Mapped[str] = mapped_column(String(USER_KEY_LENGTH), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


USER_TABLES: tuple[type[Base], ...] = (
    MessageEvent,
    Feedback,
    UnansweredQuestion,
    RecentMessage,
    Subscription,
    JobOfferCheck,
    TipDelivery,
    SafeModeChat,
    JobAdCheck,
)
"""Every table with a `user_key`; deleting a user's data walks all of them."""
