"""Answering an update: send the reply where it came from, then remember and record it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.engine.reply import Reply
from bot.telegram.delivery import replied
from bot.telegram.groups import is_private
from bot.telegram.hooks import record_reply
from bot.telegram.sending import edit_reply, send_reply
from bot.telegram.trail import remember


async def respond(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply, *,
                  record: bool = False, text: str = "", replace: int | None = None) -> None:
    """Send `reply` to the update's chat, or put it in place of message `replace` (paging).

    With `record`, storage counts the reply afterwards; `text` is the user's own words when
    storage may see them (see `hooks.storable_text`), else empty.
    """
    chat = update.effective_chat
    if chat is None:
        return
    if replace is None or not await edit_reply(context.bot, chat.id, replace, reply):
        message = update.effective_message if update.callback_query is None else None
        quote = message.message_id if message is not None and not is_private(message) else None
        sent = await send_reply(context.bot, chat.id, reply, quote=quote)
        replied(context, update)
        await remember(context, sent)
    user = update.effective_user
    if record and user is not None:
        await record_reply(context, user_id=user.id, text=text, reply=reply)
