"""Fixed sentences from `pesan.yaml` as the adapter sends them (the wording lives in content).

Messages may contain `{{channel-id}}` placeholders; they are expanded here the same way the engine
expands them, so a hotline number is still written only once, in the channel entry.
"""

from __future__ import annotations

from bot.content.channels import expand_placeholders
from bot.content.telegram_html import strip_html
from bot.engine.engine import Engine
from bot.engine.reply import Intent, Reply

CALLBACK_ANSWER_MAX_LENGTH = 200
"""Bot API limit for the text of answerCallbackQuery."""


def message_html(engine: Engine, text: str) -> str:
    """A `pesan.yaml` sentence as Telegram HTML, placeholders expanded."""
    return expand_placeholders(text.strip(), engine.knowledge.content.channels_by_id)


def toast(engine: Engine, text: str) -> str:
    """A `pesan.yaml` sentence as the plain text of a callback answer (no HTML allowed there)."""
    plain = strip_html(message_html(engine, text))
    if len(plain) <= CALLBACK_ANSWER_MAX_LENGTH:
        return plain
    return plain[: CALLBACK_ANSWER_MAX_LENGTH - 1].rstrip() + "…"


def with_menu(engine: Engine, text: str) -> Reply:
    """A fixed sentence followed by the main-menu buttons, e.g. for stickers or photos."""
    menu = engine.reply_to_action("menu")
    buttons = menu.buttons if menu else ()
    return Reply(Intent.SMALLTALK, message_html(engine, text), buttons, score=1.0)
