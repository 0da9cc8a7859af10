"""The stored ids of a private chat's messages, for "Hapus jejak", shared by every worker.

An erase does not delete the rows of the ids it deleted: it marks them deleted, at the time the
erase was caused. Behind a round-robin balancer the tap may reach worker B while worker A still
holds, in its write-behind queue, the id of a message B has just deleted (the tapped reply
itself); a plain DELETE would let A's late insert bring the id back. The mark stays, so the late
insert does nothing. And an id A stores late that no erase deleted (a message B could not know
of) is reported back to A, which deletes it (`bot.telegram.trail`): "sudah dihapus" stays true.

Marks expire with the ids (48 hours, `bot.storage.retention`); they hold an id, never content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import RecentMessage
from bot.storage.transactions import dialect_insert

MARK_BATCH = 500
"""Rows per INSERT: far below SQLite's and asyncpg's limits on bound parameters."""


@dataclass(frozen=True)
class MissedByErase:
    """Ids stored after an erase of the chat that was caused after them: nobody deleted them."""

    ids: tuple[int, ...]
    erased_at: datetime
    """When that erase was caused: the mark the ids get once deleted."""


async def store_ids(session: AsyncSession, *, user_key: str, message_ids: Sequence[int],
                    at: datetime, caused: datetime) -> MissedByErase | None:
    """Store ids (an id already stored or marked deleted stays as it is); the ones an erase
    caused after `caused` did not delete, if any."""
    ids = [int(m) for m in dict.fromkeys(message_ids)]
    insert = dialect_insert(session.get_bind().dialect.name, RecentMessage)
    await session.execute(insert.values([
        {"user_key": user_key, "message_id": m, "created_at": at, "deleted": False} for m in ids
    ]).on_conflict_do_nothing())
    erased_at = await session.scalar(
        select(func.max(RecentMessage.created_at))
        .where(RecentMessage.user_key == user_key, RecentMessage.deleted.is_(True)))
    if erased_at is None or erased_at <= caused:
        return None
    deleted = set(await session.scalars(
        select(RecentMessage.message_id).where(RecentMessage.user_key == user_key,
                                               RecentMessage.message_id.in_(ids),
                                               RecentMessage.deleted.is_(True))))
    missed = tuple(m for m in ids if m not in deleted)
    return MissedByErase(missed, erased_at) if missed else None


async def mark_deleted(session: AsyncSession, *, user_key: str, message_ids: Sequence[int],
                       at: datetime) -> None:
    """Mark ids deleted by an erase caused `at` (stored or not yet: a late insert then does
    nothing)."""
    ids = sorted({int(m) for m in message_ids})
    insert = dialect_insert(session.get_bind().dialect.name, RecentMessage)
    for start in range(0, len(ids), MARK_BATCH):
        rows = [{"user_key": user_key, "message_id": m, "created_at": at, "deleted": True}
                for m in ids[start : start + MARK_BATCH]]
        await session.execute(insert.values(rows).on_conflict_do_update(
            index_elements=[RecentMessage.user_key, RecentMessage.message_id],
            set_={"deleted": True, "created_at": insert.excluded.created_at}))


def deletable_ids(user_key: str, since: datetime) -> Select[tuple[int]]:
    """SELECT of the ids still to delete in a chat (stored `since`, not marked), oldest first."""
    return (select(RecentMessage.message_id)
            .where(RecentMessage.user_key == user_key, RecentMessage.created_at >= since,
                   RecentMessage.deleted.is_(False))
            .order_by(RecentMessage.message_id))
