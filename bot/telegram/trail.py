"""The ids of the latest messages in a private chat, so "Hapus jejak" can delete them.

Telegram offers no way to list a chat's messages, and message ids must not be computed, so the
adapter remembers them: ids only, never content. With storage wired they are kept by the
recorder (`remember_sent_messages`, 48 hours); without it, in memory (`chat_data`, at most as
many as one deleteMessages call accepts, lost on restart).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

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
    recorder = recorder_of(context)
    if recorder is not None:
        await call_safely("remember message ids", lambda: recorder.remember_sent_messages(
            user_id=private[0].chat.id, message_ids=ids))
        return
    memory = _memory(context)
    if memory is not None:
        memory.extend(ids)


async def take_all(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> list[int]:
    """The remembered ids of this private chat, oldest first, forgetting them."""
    pending = _take_pending(context)
    recorder = recorder_of(context)
    if recorder is not None:
        ids = await recorder.recent_message_ids(user_id=user_id)
        await recorder.forget_recent_messages(user_id=user_id)
        return sorted({*ids, *pending})
    memory = _memory(context)
    if memory is None:
        return sorted(set(pending))
    ids = sorted({*memory, *pending})
    memory.clear()
    return ids
