"""Data access for the weekly tips: who is due in a round, and the claim-before-send ledger."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.chat_address import ChatAddressCipher
from bot.storage.models import SafeModeChat, Subscription, TipDelivery, UtcDateTime, utc_now
from bot.storage.transactions import dialect_insert

logger = logging.getLogger(__name__)

Sessions = async_sessionmaker[AsyncSession]


class DeliveryStatus:
    CLAIMED = "claimed"
    SENT = "sent"
    BLOCKED = "blocked"
    UNCERTAIN = "uncertain"
    """The send timed out: it may have arrived, so it is not sent again."""


@dataclass(frozen=True)
class Subscriber:
    user_key: str
    chat_id: int
    received_tip_ids: frozenset[str]


async def due_subscribers(sessions: Sessions, cipher: ChatAddressCipher,
                          round_key: str) -> list[Subscriber]:
    """Subscribers with a chat address and no delivery row for `round_key` yet; never a chat
    in safe mode (a tip there would show someone checking the phone what the bot is)."""
    async with sessions() as session:
        in_round = select(TipDelivery.user_key).where(TipDelivery.round_key == round_key)
        rows = (await session.execute(
            select(Subscription.user_key, Subscription.chat_ref)
            .where(Subscription.subscribed.is_(True), Subscription.chat_ref.is_not(None),
                   Subscription.user_key.not_in(in_round),
                   Subscription.user_key.not_in(select(SafeModeChat.user_key)))
            .order_by(Subscription.user_key)
        )).all()
        received: dict[str, set[str]] = {}
        for user_key, tip_id in (await session.execute(
            select(TipDelivery.user_key, TipDelivery.tip_id)
            .where(TipDelivery.status == DeliveryStatus.SENT)
        )).all():
            received.setdefault(user_key, set()).add(tip_id)
    subscribers = []
    for user_key, chat_ref in rows:
        chat_id = cipher.decrypt(chat_ref)
        if chat_id is None:  # made with another secret: cannot be reached any more
            logger.warning("Skipped a subscriber whose chat address cannot be decrypted")
            continue
        subscribers.append(Subscriber(user_key, chat_id, frozenset(received.get(user_key, ()))))
    return subscribers


async def claim_delivery(sessions: Sessions, *, user_key: str, round_key: str, tip_id: str,
                         now: datetime | None = None) -> bool:
    """Write the delivery row before sending, in one statement that also checks the person is
    still subscribed; False when someone already holds it or they unsubscribed (or deleted
    their data) since the round's list was read."""
    still_subscribed = select(
        literal(user_key, String), literal(round_key, String), literal(tip_id, String),
        literal(DeliveryStatus.CLAIMED, String), literal(now or utc_now(), UtcDateTime()),
    ).where(select(Subscription.user_key).where(
        Subscription.user_key == user_key, Subscription.subscribed.is_(True),
        Subscription.chat_ref.is_not(None)).exists())
    async with sessions() as session, session.begin():
        insert = dialect_insert(session.get_bind().dialect.name, TipDelivery)
        result = await session.execute(
            insert.from_select(["user_key", "round_key", "tip_id", "status", "created_at"],
                               still_subscribed)
            .on_conflict_do_nothing(index_elements=[TipDelivery.user_key,
                                                    TipDelivery.round_key])
        )
        return bool(getattr(result, "rowcount", 0))


async def finish_delivery(sessions: Sessions, *, user_key: str, round_key: str,
                          status: str) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(TipDelivery)
            .where(TipDelivery.user_key == user_key, TipDelivery.round_key == round_key)
            .values(status=status)
        )


async def release_delivery(sessions: Sessions, *, user_key: str, round_key: str) -> None:
    """Give the claim back after a send that certainly did not arrive, so it can be retried."""
    async with sessions() as session, session.begin():
        await session.execute(
            delete(TipDelivery)
            .where(TipDelivery.user_key == user_key, TipDelivery.round_key == round_key)
        )


async def unsubscribe(sessions: Sessions, *, user_key: str) -> None:
    """The user blocked the bot: stop sending and forget the chat address."""
    async with sessions() as session, session.begin():
        await session.execute(
            update(Subscription).where(Subscription.user_key == user_key)
            .values(subscribed=False, chat_ref=None, updated_at=utc_now())
        )


async def subscriber_count(sessions: Sessions) -> int:
    async with sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Subscription).where(Subscription.subscribed.is_(True))
        )
        return count or 0
