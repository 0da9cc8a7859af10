"""Safe mode in the database, so every worker sees the same state and any of them can erase.

A chat in safe mode has a row keyed by the pseudonymous user key; its chat address is kept
encrypted (deleting messages needs it, like sending a tip). Each message moves `erase_at` to a
set time after it; the sweep erases chats whose time has come and clears `erase_at` until the
next message. Failures are logged by operation only and reported to the caller as False/empty.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.keys import PseudonymousKeys
from bot.storage.message_trail import deletable_ids, mark_deleted
from bot.storage.models import DELETABLE_WINDOW, RecentMessage, SafeModeChat, utc_now
from bot.storage.threaded import ThreadedTransactions
from bot.storage.transactions import dialect_insert, guarded_transaction

T = TypeVar("T")


@dataclass(frozen=True)
class DueChat:
    user_key: str
    chat_id: int
    message_ids: tuple[int, ...]
    """Stored ids still deletable (48 hours)."""


class SafeModeStore:
    """The safe-mode rows every worker shares; a failure is logged and answered False/empty."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], keys: PseudonymousKeys, *,
                 delay: timedelta, clock: Callable[[], datetime] = utc_now,
                 threaded: ThreadedTransactions | None = None) -> None:
        self._sessions = sessions
        self._threaded = threaded
        """SQLite: each reply's `touch` is one hand-over to a thread of its own instead of a few
        round trips through a busy event loop (`bot.storage.threaded`)."""
        self._keys = keys
        self._cipher = keys.address_cipher()
        self.delay = delay
        self.clock = clock
        """Injectable: tests move time instead of sleeping."""

    async def switch_on(self, *, user_id: int, chat_id: int) -> bool:
        key, now, ref = self._keys.key_for(user_id), self.clock(), self._cipher.encrypt(chat_id)

        async def work(session: AsyncSession) -> bool:
            insert = dialect_insert(session.get_bind().dialect.name, SafeModeChat)
            await session.execute(insert.values(
                user_key=key, chat_ref=ref, erase_at=now + self.delay, updated_at=now,
            ).on_conflict_do_update(index_elements=[SafeModeChat.user_key], set_={
                "chat_ref": insert.excluded.chat_ref, "erase_at": insert.excluded.erase_at,
                "updated_at": insert.excluded.updated_at}))
            return True

        return await self._guarded("switch_on", work, False)

    async def switch_off(self, *, user_id: int) -> bool:
        key = self._keys.key_for(user_id)

        async def work(session: AsyncSession) -> bool:
            await session.execute(delete(SafeModeChat).where(SafeModeChat.user_key == key))
            return True

        return await self._guarded("switch_off", work, False)

    async def touch(self, *, user_id: int) -> bool:
        """A message in this chat: erase `delay` after it. True when the chat is in safe mode.

        Read first: most chats are not in safe mode, and on SQLite even an UPDATE that matches
        nothing would take the database's write lock for every message."""
        key, now = self._keys.key_for(user_id), self.clock()

        async def work(session: AsyncSession) -> bool:
            found = await session.scalar(
                select(SafeModeChat.user_key).where(SafeModeChat.user_key == key))
            if found is None:
                return False
            result = await session.execute(
                update(SafeModeChat).where(SafeModeChat.user_key == key)
                .values(erase_at=now + self.delay, updated_at=now))
            return bool(cast(CursorResult[Any], result).rowcount)

        return await self._guarded("touch", work, False)

    async def due(self) -> list[DueChat]:
        """Chats whose erase time has come, with the message ids storage holds for them."""
        now = self.clock()

        async def work(session: AsyncSession) -> list[DueChat]:
            rows = (await session.execute(
                select(SafeModeChat.user_key, SafeModeChat.chat_ref)
                .where(SafeModeChat.erase_at <= now))).all()
            due = []
            for user_key, chat_ref in rows:
                chat_id = self._cipher.decrypt(chat_ref)
                if chat_id is None:  # made with another secret: this chat cannot be reached
                    continue
                ids = await session.scalars(deletable_ids(user_key, now - DELETABLE_WINDOW))
                due.append(DueChat(user_key, chat_id, tuple(ids)))
            return due

        return await self._guarded("due", work, [])

    async def erased(self, user_key: str, *, deleted: Sequence[int],
                     neutral_id: int | None) -> None:
        """Mark the deleted ids deleted; keep the neutral line's id for the next erase."""
        now = self.clock()

        async def work(session: AsyncSession) -> None:
            await mark_deleted(session, user_key=user_key, message_ids=deleted, at=now)
            await session.execute(update(SafeModeChat).where(SafeModeChat.user_key == user_key)
                                  .values(erase_at=None, updated_at=now))
            if neutral_id is not None:
                session.add(RecentMessage(user_key=user_key, message_id=neutral_id,
                                          created_at=now))

        await self._guarded("erased", work, None)

    async def _guarded(self, operation: str, work: Callable[[AsyncSession], Awaitable[T]],
                       failed: T) -> T:
        return await guarded_transaction(self._sessions, f"safe mode {operation}", work, failed,
                                         threaded=self._threaded)
