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
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from telegram import Message
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.telegram.hooks import call_safely, recorder_of

TRAIL_KEY = "recent_message_ids"
PENDING_KEY = "incoming_message_ids"
"""The user's message ids noted on arrival and not yet followed by a reply (already queued for
storage; moved to TRAIL_KEY with the reply's ids)."""
TRAIL_LENGTH = 100
"""deleteMessages takes at most 100 ids."""


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
            user_id=message.chat.id, message_ids=[message.message_id]))


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
        await call_safely("remember message ids", lambda: recorder.remember_sent_messages(
            user_id=private[0].chat.id, message_ids=ids))


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
    """The remembered ids of this private chat (memory and storage), forgetting them;
    `give_back` what could not be deleted."""
    ids = take_from_memory(context.chat_data)
    recorder = recorder_of(context)
    if recorder is None:
        return TakenIds(sorted(ids), complete=True)
    stored = await recorder.recent_message_ids(user_id=user_id)
    if stored:
        await call_safely("forget message ids",
                          lambda: recorder.forget_recent_messages(user_id=user_id,
                                                                  message_ids=stored))
    ids.update(stored or ())
    return TakenIds(sorted(ids), complete=stored is not None)


async def give_back(context: ContextTypes.DEFAULT_TYPE, user_id: int,
                    ids: Iterable[int]) -> None:
    """Remember again ids that could not be deleted, so "coba lagi" can still reach them."""
    kept = list(ids)
    return_to_memory(context.chat_data, kept)
    recorder = recorder_of(context)
    if recorder is not None and kept:
        await call_safely("remember message ids", lambda: recorder.remember_sent_messages(
            user_id=user_id, message_ids=kept))
