"""Engine buttons as Telegram inline keyboards, and the callback-data codec.

Callback data carries a version prefix so a future change of action names can tell old buttons
(still visible in people's chats) from new ones, and it is validated on the way back in because
any client can send any bytes as callback data.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit

from bot.engine.reply import Button, Reply
from bot.telegram.deeplinks import start_link

logger = logging.getLogger(__name__)

CALLBACK_DATA_VERSION = "v1"
CALLBACK_DATA_SEPARATOR = "|"
CALLBACK_DATA_MAX_BYTES = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)  # 64, Bot API limit
_PREFIX = f"{CALLBACK_DATA_VERSION}{CALLBACK_DATA_SEPARATOR}"
_ACTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9:_.-]*")
"""ASCII only: the engine parses digits with int(), which would choke on forged '²'."""


def encode_action(action: str) -> str | None:
    """Callback data for an engine action; None when it cannot be sent safely."""
    data = _PREFIX + action
    if not _ACTION.fullmatch(action) or len(data.encode()) > CALLBACK_DATA_MAX_BYTES:
        return None
    return data


def decode_callback_data(data: str | None) -> str | None:
    """The action inside callback data we produced; None for old, unknown or forged data."""
    if not data or len(data.encode()) > CALLBACK_DATA_MAX_BYTES or not data.startswith(_PREFIX):
        return None
    action = data[len(_PREFIX):]
    return action if _ACTION.fullmatch(action) else None


def share_url(bot_username: str, payload: str, text: str) -> str:
    """Telegram's share sheet, prefilled with a deep link back into the bot."""
    return "https://t.me/share/url?" + urlencode({"url": start_link(bot_username, payload),
                                                    "text": text})


def _telegram_button(button: Button, bot_username: str | None) -> InlineKeyboardButton | None:
    if button.url:
        return InlineKeyboardButton(button.label, url=button.url)
    if button.share_payload:
        if not bot_username:
            return None
        url = share_url(bot_username, button.share_payload, button.share_text)
        return InlineKeyboardButton(button.label, url=url)
    if button.action:
        data = encode_action(button.action)
        if data is not None:
            return InlineKeyboardButton(button.label, callback_data=data)
        logger.warning("Dropped a button whose action does not fit in callback data")
    return None


def reply_markup(reply: Reply, bot_username: str | None = None) -> InlineKeyboardMarkup | None:
    """Inline keyboard for the reply's rows of buttons; None when nothing is left to show."""
    keyboard = []
    for row in reply.buttons:
        buttons = [b for b in (_telegram_button(button, bot_username) for button in row)
                   if b is not None]
        if buttons:
            keyboard.append(buttons)
    return InlineKeyboardMarkup(keyboard) if keyboard else None


def button_action(button: InlineKeyboardButton) -> str | None:
    """The engine action behind a button already on screen (None for links and old data)."""
    data = button.callback_data
    return decode_callback_data(data) if isinstance(data, str) else None


def without_actions(markup: InlineKeyboardMarkup | None, prefix: str) -> InlineKeyboardMarkup:
    """The same keyboard minus every row holding a button whose action starts with `prefix`."""
    rows = [
        row
        for row in (markup.inline_keyboard if markup else ())
        if not any((button_action(b) or "").startswith(prefix) for b in row)
    ]
    return InlineKeyboardMarkup(rows)


def is_browse_action(action: str) -> bool:
    """Paging through the FAQ topics: the topic list and each topic's pages."""
    return action == "faq-categories" or action.startswith("cat:")


def is_browse_list(markup: InlineKeyboardMarkup | None) -> bool:
    """A message showing only FAQ navigation, which may be replaced in place when paging.

    Answers, the menu and fallbacks carry other buttons (links, feedback, statistics), so they
    stay in the chat and the next page arrives as a new message.
    """
    actions = [button_action(b) for row in (markup.inline_keyboard if markup else ()) for b in row]
    return bool(actions) and all(
        action is not None
        and (is_browse_action(action) or action.startswith("faq:") or action == "menu")
        for action in actions
    )
