"""The ids of the latest messages in a private chat, so "Hapus jejak" can delete them.

Telegram offers no way to list a chat's messages, and message ids must not be computed, so the
adapter remembers them: ids only, never content. They are kept in memory (`chat_data`, the
latest TRAIL_LENGTH, lost on restart) and, with storage wired, also by the recorder
(`remember_sent_messages`, 48 hours, shared by every worker). Memory is kept even then: while
the database cannot be written, it is the only place the ids are.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from telegram import Message
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.telegram.hooks import call_safely, recorder_of

TRAIL_KEY = "recent_message_ids"
PENDING_KEY = "incoming_message_ids"
"""The user's message ids noted on arrival, written with the bot's reply (storage after the
reply, one transaction for both)."""
TRAIL_LENGTH = 100
"""deleteMessages takes at most 100 ids."""


def note_incoming(context: ContextTypes.DEFAULT_TYPE, message: Message) -> None:
    """Note a private message's id in memory now; `remember` stores it after the reply."""
    if context.chat_data is not None and message.chat.type == ChatType.PRIVATE:
        pending: list[int] = context.chat_data.setdefault(PENDING_KEY, [])
        pending.append(message.message_id)
        del pending[:-TRAIL_LENGTH]


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
    """Keep the ids of the bot's private-chat messages just sent, and of the user's messages
    noted since the last reply."""
    private = [m for m in messages if m.chat.type == ChatType.PRIVATE]
    if not private:
        return
    ids = [*_take_pending(context), *(m.message_id for m in private)]
    memory = _memory(context)
    if memory is not None:
        memory.extend(ids)
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


async def take_all(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> list[int]:
    """The remembered ids of this private chat (memory and storage), oldest first, forgetting
    them; `give_back` what could not be deleted."""
    ids = take_from_memory(context.chat_data)
    recorder = recorder_of(context)
    if recorder is not None:
        ids.update(await recorder.recent_message_ids(user_id=user_id))
        await call_safely("forget message ids",
                          lambda: recorder.forget_recent_messages(user_id=user_id))
    return sorted(ids)


async def give_back(context: ContextTypes.DEFAULT_TYPE, user_id: int,
                    ids: Iterable[int]) -> None:
    """Remember again ids that could not be deleted, so "coba lagi" can still reach them."""
    kept = list(ids)
    return_to_memory(context.chat_data, kept)
    recorder = recorder_of(context)
    if recorder is not None and kept:
        await call_safely("remember message ids", lambda: recorder.remember_sent_messages(
            user_id=user_id, message_ids=kept))
