"""Sending a `Reply`: Telegram HTML, split under the 4,096-character limit, buttons on the end.

All outgoing texts go through here so the parse mode, link previews and splitting are decided
once. Texts are content (validated HTML) or engine output; user text is never echoed.
"""

from __future__ import annotations

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.content.telegram_html import MAX_MESSAGE_LENGTH, split_message
from bot.engine.reply import Reply
from bot.telegram.keyboards import reply_markup

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
"""Answers link to several sites; a preview of the first one would push the answer off screen."""


async def send_reply(bot: Bot, chat_id: int, reply: Reply, *, quote: int | None = None,
                     silent: bool = False) -> list[Message]:
    """Send `reply` as one or more messages, the buttons under the last one.

    `quote` is the id of the user's message to reply to (used in groups, so it is clear whom the
    bot answers); the reply still goes out if that message was deleted meanwhile. `silent`
    messages make no sound (safe mode: someone nearby must not notice).
    """
    *leading, last = split_message(reply.html, MAX_MESSAGE_LENGTH)
    quoting = ReplyParameters(quote, allow_sending_without_reply=True) if quote else None
    sent = []
    for part in leading:
        sent.append(await _send_html(bot, chat_id, part, reply_parameters=quoting, silent=silent))
        quoting = None
    sent.append(await _send_html(bot, chat_id, last, reply_parameters=quoting, silent=silent,
                                 reply_markup=reply_markup(reply, bot.username)))
    return sent


async def _send_html(bot: Bot, chat_id: int, text: str, *,
                     reply_parameters: ReplyParameters | None, silent: bool = False,
                     reply_markup: InlineKeyboardMarkup | None = None) -> Message:
    return await bot.send_message(
        chat_id=chat_id,
        text=text,
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_PREVIEW,
        reply_markup=reply_markup,
        reply_parameters=reply_parameters,
        disable_notification=silent,
    )


async def edit_reply(bot: Bot, chat_id: int, message_id: int, reply: Reply) -> bool:
    """Show `reply` in place of an earlier message; False when it has to be sent anew instead."""
    if len(reply.html) > MAX_MESSAGE_LENGTH:
        return False
    try:
        await bot.edit_message_text(
            chat_id=chat_id,
            message_id=message_id,
            text=reply.html,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=reply_markup(reply, bot.username),
        )
    except BadRequest as error:
        # A double tap asks for the page already shown; anything else (message too old, deleted,
        # a photo) is answered with a fresh message.
        return "not modified" in error.message.lower()
    return True
