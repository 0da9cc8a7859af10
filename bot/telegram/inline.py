"""Inline mode (`@bot question` in any chat): the best answers as shareable articles.

Inline messages are posted into other people's chats, where our callback buttons would act
without context, so the articles carry only link buttons plus a deep link "open in the bot".
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.constants import ParseMode

from bot.content.telegram_html import MAX_MESSAGE_LENGTH, split_message
from bot.engine.engine import Engine
from bot.engine.reply import Intent, Reply
from bot.telegram.deeplinks import faq_payload, start_link
from bot.telegram.sending import NO_PREVIEW

POPULAR_FAQ_IDS = ("apa-itu-tppo", "cara-melapor", "ciri-lowongan-palsu")
"""Shown for an empty query or small talk: what most people come to ask."""
MAX_RESULTS = 3
CACHE_SECONDS = 30
"""Short, so a content reload shows up in inline answers within half a minute."""
TITLE_LENGTH = 80
DESCRIPTION_LENGTH = 120
OPEN_IN_BOT_LABEL = "💬 Buka di bot"
PAYLOAD_BY_INTENT = {Intent.EMERGENCY: "darurat", Intent.STATS: "statistik"}


def inline_results(engine: Engine, query: str, bot_username: str) -> list[InlineQueryResultArticle]:
    return [article(reply, bot_username) for reply in inline_replies(engine, query)]


def inline_replies(engine: Engine, query: str) -> list[Reply]:
    """What the engine answers for `query`, widened to a few FAQ candidates."""
    text = query.strip()
    if not text:
        return _faq_replies(engine, POPULAR_FAQ_IDS)
    reply = engine.reply_to(text)
    if reply.intent in (Intent.EMERGENCY, Intent.STATS):
        return [reply]
    if reply.intent is Intent.FAQ and reply.faq_id:
        others = _other_candidates(engine, text, exclude=reply.faq_id)
        return [reply, *_faq_replies(engine, others)][:MAX_RESULTS]
    if reply.intent in (Intent.CLARIFY, Intent.FALLBACK):
        return _faq_replies(engine, reply.suggestions)
    return _faq_replies(engine, POPULAR_FAQ_IDS)


def _other_candidates(engine: Engine, text: str, *, exclude: str) -> list[str]:
    """Runner-up entries the model found worth suggesting, by the engine's own threshold."""
    threshold = engine.policy.suggestion_threshold
    return [s.label for s in engine.knowledge.intents.rank(text).faqs
            if s.label != exclude and s.probability >= threshold][: MAX_RESULTS - 1]


def _faq_replies(engine: Engine, faq_ids: Iterable[str]) -> list[Reply]:
    replies = (engine.reply_to_action(f"faq:{faq_id}") for faq_id in faq_ids)
    return [reply for reply in replies if reply is not None][:MAX_RESULTS]


def article(reply: Reply, bot_username: str) -> InlineQueryResultArticle:
    lines = [line.strip() for line in reply.plain_text.splitlines() if line.strip()]
    title = _shorten(lines[0] if lines else "", TITLE_LENGTH)
    payload = faq_payload(reply.faq_id) if reply.faq_id else PAYLOAD_BY_INTENT.get(reply.intent)
    return InlineQueryResultArticle(
        id=reply.faq_id or reply.intent.value,
        title=title,
        description=_shorten(" ".join(lines[1:]), DESCRIPTION_LENGTH),
        input_message_content=InputTextMessageContent(
            # The full answer is one tap away in the bot; an inline message is a single message.
            split_message(reply.html, MAX_MESSAGE_LENGTH)[0],
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
        ),
        reply_markup=_link_markup(reply, start_link(bot_username, payload)),
    )


def _link_markup(reply: Reply, bot_link: str) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(b.label, url=b.url) for b in row]
            for row in reply.buttons if row and all(b.url for b in row)]
    rows.append([InlineKeyboardButton(OPEN_IN_BOT_LABEL, url=bot_link)])
    return InlineKeyboardMarkup(rows)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
