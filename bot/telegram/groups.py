"""Group chats: the bot speaks only when spoken to, and reads the question without its @name.

In groups the bot answers commands (PTB already ignores `/cmd@another_bot`), messages that mention
it, and replies to its own messages; every other group message is none of its business.
"""

from __future__ import annotations

import re

from telegram import Bot, Message, MessageEntity
from telegram.constants import ChatType
from telegram.ext.filters import MessageFilter

_MENTION_TYPES = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]


def is_private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


def mentions_bot(message: Message, bot: Bot) -> bool:
    """An @username mention (or a text mention of the bot account) in the text or caption."""
    entities = {**message.parse_entities(_MENTION_TYPES),
                **message.parse_caption_entities(_MENTION_TYPES)}
    for entity, text in entities.items():
        if entity.type == MessageEntity.TEXT_MENTION:
            if entity.user is not None and entity.user.id == bot.id:
                return True
        elif bot.username and text.lower() == f"@{bot.username.lower()}":
            return True
    return False


def replies_to_bot(message: Message, bot: Bot) -> bool:
    original = message.reply_to_message
    return bool(original and original.from_user and original.from_user.id == bot.id)


def is_addressed_to_bot(message: Message, bot: Bot) -> bool:
    return is_private(message) or mentions_bot(message, bot) or replies_to_bot(message, bot)


def without_mention(text: str, bot_username: str | None) -> str:
    """The question itself: `@bot apa itu TPPO?` → `apa itu TPPO?`."""
    if not bot_username:
        return text.strip()
    cleaned = re.sub(rf"@{re.escape(bot_username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(cleaned.split())


class AddressedToBot(MessageFilter):
    """Private chats always; groups only when the message mentions or replies to the bot."""

    __slots__ = ()

    def filter(self, message: Message) -> bool:
        return is_addressed_to_bot(message, message.get_bot())


ADDRESSED_TO_BOT = AddressedToBot(name="AddressedToBot")
