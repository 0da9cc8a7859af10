"""Answering an update: send the reply where it came from, then remember and record it."""

from __future__ import annotations

import asyncio

from telegram import Chat, Update, User
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.engine.reply import Reply
from bot.telegram.botdata import LATE_LOOKUPS_KEY, SAFE_MODE_KEY
from bot.telegram.delivery import replied
from bot.telegram.groups import is_private
from bot.telegram.hooks import record_reply
from bot.telegram.sending import edit_reply, send_reply
from bot.telegram.trail import remember

SAFE_MODE_LOOKUP_SECONDS = 0.25
"""How long a reply may wait to learn whether its chat is in safe mode."""
LATE_LOOKUPS_AT_MOST = 4
"""Lookups left running past that wait before replies stop starting new ones: in a stalled
database each holds a pooled connection until the lock goes, and at 10 messages a second they
took all 15 of PostgreSQL's pool within two seconds (tests/telegram/test_storage_stall.py).
Lookups that started together are all late together, so a burst can pass this by its size."""


async def respond(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply, *,
                  record: bool = False, text: str = "", replace: int | None = None) -> None:
    """Send `reply` to the update's chat, or put it in place of message `replace` (paging).

    With `record`, storage counts the reply afterwards; `text` is the user's own words when
    storage may see them (see `hooks.storable_text`), else empty.
    """
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    silent = await _in_safe_mode(context, chat, user)
    if replace is None or not await edit_reply(context.bot, chat.id, replace, reply):
        message = update.effective_message if update.callback_query is None else None
        quote = message.message_id if message is not None and not is_private(message) else None
        sent = await send_reply(context.bot, chat.id, reply, quote=quote, silent=silent)
        replied(context, update)
        await remember(context, sent)
    if record and user is not None:
        await record_reply(context, user_id=user.id, text=text, reply=reply)


async def _in_safe_mode(context: ContextTypes.DEFAULT_TYPE, chat: Chat, user: User | None) -> bool:
    """Whether this private chat is in safe mode; each message there moves its erase time."""
    store = context.bot_data.get(SAFE_MODE_KEY)
    if store is None or user is None or chat.type != ChatType.PRIVATE:
        return False
    late: set[asyncio.Task[bool]] = context.bot_data.setdefault(LATE_LOOKUPS_KEY, set())
    if len(late) >= LATE_LOOKUPS_AT_MOST:
        return True  # storage is stalled: answer as after a late lookup, without another
    lookup = asyncio.create_task(store.touch(user_id=user.id))
    try:
        # Shielded: a lookup cancelled halfway left storage's connection to be reset (a
        # CancelledError traceback in the log); a late one now finishes on its own.
        in_safe_mode: bool = await asyncio.wait_for(asyncio.shield(lookup),
                                                    SAFE_MODE_LOOKUP_SECONDS)
    except TimeoutError:
        late.add(lookup)
        lookup.add_done_callback(late.discard)
        return True  # storage is slow: a reply must not wait for it, and silence is the safe side
    return in_safe_mode
