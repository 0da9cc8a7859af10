"""The ids of the latest messages in a private chat, so "Hapus jejak" can delete them.

Telegram offers no way to list a chat's messages, and message ids must not be computed, so the
adapter remembers them: ids only, never content. They are kept in memory (`chat_data`, the
latest TRAIL_LENGTH, lost on restart) and, with storage wired, also by the recorder
(`remember_sent_messages`, 48 hours, shared by every worker). Memory is kept even then: while
the database cannot be written, it is the only place the ids are.

A user's message id is queued for storage as soon as the update is admitted, not with the
bot's reply: behind a round-robin balancer the "Hapus jejak" tap may reach another worker
while this one is still answering, and that worker only knows what storage holds. The same
write-behind queue carries it, so this worker's own later reads and deletes come after it.
When this worker's ids reach storage only after another worker's erase that came after them,
storage says so and this worker deletes those messages itself (`bot.storage.message_trail`).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Message
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.storage.message_trail import MissedByErase
from bot.telegram.erasure import DELETE_BATCH, EraseResult, erase_messages
from bot.telegram.hooks import call_safely, recorder_of

logger = logging.getLogger(__name__)

TRAIL_KEY = "recent_message_ids"
PENDING_KEY = "incoming_message_ids"
"""The user's message ids noted on arrival and not yet followed by a reply (already queued for
storage; moved to TRAIL_KEY with the reply's ids)."""
TRAIL_LENGTH = DELETE_BATCH
"""As many as one deleteMessages call takes."""


async def note_incoming(context: ContextTypes.DEFAULT_TYPE, message: Message) -> None:
    """Note a private message's id on arrival: in memory, and queued for storage at once so
    every worker's "Hapus jejak" can find it (queuing never waits for the database)."""
    if message.chat.type != ChatType.PRIVATE:
        return
    if context.chat_data is not None:
        pending: list[int] = context.chat_data.setdefault(PENDING_KEY, [])
        pending.append(message.message_id)
        del pending[:-TRAIL_LENGTH]
    recorder = recorder_of(context)
    if recorder is not None:
        await call_safely("remember message ids", lambda: recorder.remember_sent_messages(
            user_id=message.chat.id, message_ids=[message.message_id],
            missed=_deleting_missed(context, message.chat.id)))


def _take_pending(context: ContextTypes.DEFAULT_TYPE) -> list[int]:
    if context.chat_data is None:
        return []
    pending: list[int] = context.chat_data.pop(PENDING_KEY, [])
    return pending


def _memory(context: ContextTypes.DEFAULT_TYPE) -> deque[int] | None:
    if context.chat_data is None:
        return None
    trail: deque[int] = context.chat_data.setdefault(TRAIL_KEY, deque(maxlen=TRAIL_LENGTH))
    return trail


async def remember(context: ContextTypes.DEFAULT_TYPE, messages: Iterable[Message]) -> None:
    """Keep the ids of the bot's private-chat messages just sent; in memory also those of the
    user's messages noted since the last reply (storage has them since `note_incoming`)."""
    private = [m for m in messages if m.chat.type == ChatType.PRIVATE]
    if not private:
        return
    ids = [m.message_id for m in private]
    memory = _memory(context)
    if memory is not None:
        memory.extend([*_take_pending(context), *ids])
    recorder = recorder_of(context)
    if recorder is not None:
        chat_id = private[0].chat.id
        await call_safely("remember message ids", lambda: recorder.remember_sent_messages(
            user_id=chat_id, message_ids=ids, missed=_deleting_missed(context, chat_id)))


def take_from_memory(chat_data: dict[Any, Any] | None) -> set[int]:
    """The ids this worker holds for a chat, forgetting them (the safe-mode sweep, which has
    no update, reads the chat's data directly)."""
    if chat_data is None:
        return set()
    ids = set(chat_data.pop(PENDING_KEY, []))
    ids.update(chat_data.pop(TRAIL_KEY, ()))
    return ids


def return_to_memory(chat_data: dict[Any, Any] | None, ids: Iterable[int]) -> None:
    """Ids `take_from_memory` took that could not be deleted: kept for the next try."""
    if chat_data is not None:
        chat_data.setdefault(TRAIL_KEY, deque(maxlen=TRAIL_LENGTH)).extend(ids)


@dataclass(frozen=True)
class TakenIds:
    ids: list[int]
    """Oldest first."""
    complete: bool
    """False when storage could not be read: messages another worker noted may be missing."""


async def take_all(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> TakenIds:
    """The remembered ids of this private chat (memory, forgetting them, and storage); tell
    `erased` what became of them."""
    ids = take_from_memory(context.chat_data)
    recorder = recorder_of(context)
    if recorder is None:
        return TakenIds(sorted(ids), complete=True)
    stored = await recorder.recent_message_ids(user_id=user_id)
    ids.update(stored or ())
    return TakenIds(sorted(ids), complete=stored is not None)


async def erased(context: ContextTypes.DEFAULT_TYPE, user_id: int, result: EraseResult, *,
                 erased_at: datetime | None = None) -> None:
    """Storage forgets what was deleted (`erased_at`: when that erase was caused, by default
    the current update); what could not be deleted is remembered again, so "coba lagi" and
    the next erase still reach it."""
    return_to_memory(context.chat_data, result.left)
    recorder = recorder_of(context)
    if recorder is None:
        return
    if result.deleted:
        await call_safely("forget message ids", lambda: recorder.mark_messages_deleted(
            user_id=user_id, message_ids=result.deleted, erased_at=erased_at))
    if result.left:
        await call_safely("remember message ids", lambda: recorder.remember_sent_messages(
            user_id=user_id, message_ids=result.left))


def _deleting_missed(context: ContextTypes.DEFAULT_TYPE,
                     chat_id: int) -> Callable[[MissedByErase], None]:
    """What storage calls when ids of this chat arrived after an erase that missed them: delete
    those messages now (in a task: storage's writer must not wait for Telegram)."""
    def delete_missed(missed: MissedByErase) -> None:
        if not context.application.running:  # stopping: stored, so the next erase finds them
            logger.warning("Hapus jejak: %d late messages left for the next erase (stopping)",
                           len(missed.ids))
            return
        context.application.create_task(_delete_late(context, chat_id, missed),
                                        name="hapus-jejak-late-ids")
    return delete_missed


async def _delete_late(context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                       missed: MissedByErase) -> None:
    kept = take_from_memory(context.chat_data) - set(missed.ids)
    return_to_memory(context.chat_data, sorted(kept))
    result = await erase_messages(context.bot, chat_id, missed.ids)
    logger.info("Hapus jejak: %d late messages deleted after an erase on another worker, %d "
                "left", len(result.deleted), len(result.left))
    await erased(context, chat_id, result, erased_at=missed.erased_at)
