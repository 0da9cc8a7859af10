"""Buttons the adapter answers itself: feedback, charts, erasing the chat, deleting data.

The engine produces these actions (`fb:`, `chart:`, `erase`, `deldata`) but they act on Telegram
or on storage, not on content, so they are handled here.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.engine.reply import Button, Intent, Reply
from bot.stats.charts import chart_request_from_action
from bot.telegram import hooks
from bot.telegram.botdata import engine_of
from bot.telegram.broadcast import (
    CONFIRM_ACTION,
    SUBSCRIBE_ACTION,
    confirm_send,
    confirm_subscribe,
)
from bot.telegram.conversation import respond
from bot.telegram.erasure import EraseOutcome, erase_messages, neutral_line
from bot.telegram.keyboards import without_actions
from bot.telegram.safe_mode import SAFE_MODE_ACTION, switch_on_action
from bot.telegram.statistics import draw_chart, send_chart_photo
from bot.telegram.texts import message_html, toast
from bot.telegram.trail import erased, remember, take_all

logger = logging.getLogger(__name__)

AdapterAction = Callable[[Update, ContextTypes.DEFAULT_TYPE, str], Awaitable[None]]
QUICK_EXIT_ACTION = "exit"
CONFIRM_DELETE_LABEL = "🗑️ Ya, hapus data saya"
CANCEL_LABEL = "Batal"


async def answer_stale(query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The answer to any button we can no longer honour: old, unknown or forged."""
    engine = engine_of(context)
    await query.answer(toast(engine, engine.knowledge.content.messages.stale_button))


async def feedback(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    """`fb:<faq_id>:1|0`: thank, drop the 👍/👎 row so it is not pressed twice, then record."""
    query = update.callback_query
    engine = engine_of(context)
    parts = action.split(":")
    if (query is None or len(parts) != 3 or parts[2] not in ("0", "1")
            or parts[1] not in engine.knowledge.content.faqs_by_id):
        if query is not None:
            await answer_stale(query, context)
        return
    await query.answer(toast(engine, engine.knowledge.content.messages.feedback_thanks))
    if isinstance(query.message, Message):
        # Editing fails for messages too old to edit; the thanks has been shown anyway.
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(
                without_actions(query.message.reply_markup, "fb:"))
    await hooks.record_feedback(context, user_id=query.from_user.id, faq_id=parts[1],
                                helpful=parts[2] == "1")


async def send_chart(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    """`chart:<kind>:<key>` ("Lihat grafik"): draw the chart off the event loop, send the photo."""
    query, chat = update.callback_query, update.effective_chat
    request = chart_request_from_action(action)
    if query is None or chat is None or request is None:
        if query is not None:
            await answer_stale(query, context)
        return
    engine = engine_of(context)
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
    try:
        chart = await draw_chart(engine.knowledge.content, request)
    except ValueError:  # a year or region no longer in the content
        await answer_stale(query, context)
        return
    if chart is None:
        await query.answer(toast(engine, engine.knowledge.content.messages.feature_unavailable))
        return
    await query.answer()
    await send_chart_photo(context, chat.id, chart)


async def erase_conversation(update: Update, context: ContextTypes.DEFAULT_TYPE,
                             action: str) -> None:
    """`erase` ("Hapus jejak") and `exit` ("Keluar cepat"): delete every message of this
    private chat the bot may delete, both sides; `exit` then leaves one neutral line.

    Only in private chats: in a group the same button would delete other people's messages.
    The answer says honestly when some or all messages are still there.
    """
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    engine = engine_of(context)
    messages = engine.knowledge.content.messages
    if chat.type != ChatType.PRIVATE:
        await query.answer(toast(engine, messages.feature_unavailable))
        return
    taken = await take_all(context, query.from_user.id)
    ids = taken.ids
    if query.message is not None:
        ids = sorted({*ids, query.message.message_id})
    result = await erase_messages(context.bot, chat.id, ids)
    if not taken.complete:  # never "sudah dihapus" while storage may hold ids not tried
        result = replace(result, unknown=True)
    await erased(context, query.from_user.id, result)
    text = {EraseOutcome.DONE: messages.erase_done, EraseOutcome.PARTLY: messages.erase_partly,
            EraseOutcome.FAILED: messages.erase_failed}[result.outcome]
    await query.answer(toast(engine, text), show_alert=result.outcome is not EraseOutcome.DONE)
    if action == QUICK_EXIT_ACTION and result.outcome is not EraseOutcome.FAILED:
        sent = await neutral_line(context.bot, engine, chat.id)
        if sent is not None:  # remembered, so the next erase removes it too
            await remember(context, [sent])


def delete_data_prompt(context: ContextTypes.DEFAULT_TYPE) -> Reply:
    engine = engine_of(context)
    return Reply(
        Intent.SMALLTALK,
        message_html(engine, engine.knowledge.content.messages.delete_data_confirm),
        ((Button(CONFIRM_DELETE_LABEL, action="deldata-yes"),),
         (Button(CANCEL_LABEL, action="menu"),)),
        score=1.0,
    )


async def confirm_delete_data(update: Update, context: ContextTypes.DEFAULT_TYPE,
                              action: str) -> None:
    """`deldata` (and /hapusdata): ask before deleting, the deletion cannot be undone."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await respond(update, context, delete_data_prompt(context))


async def delete_data(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    """`deldata-yes`: delete everything storage holds about this user, then say so."""
    query = update.callback_query
    if query is None:
        return
    engine = engine_of(context)
    messages = engine.knowledge.content.messages
    if not await hooks.delete_user_data(context, user_id=query.from_user.id):
        await query.answer(toast(engine, messages.storage_unavailable), show_alert=True)
        return
    done = messages.delete_data_done
    await query.answer(toast(engine, done))
    if isinstance(query.message, Message):
        with contextlib.suppress(BadRequest):
            await query.edit_message_text(message_html(engine, done), parse_mode=ParseMode.HTML,
                                          reply_markup=InlineKeyboardMarkup([]))


ADAPTER_ACTIONS: dict[str, AdapterAction] = {
    "fb": feedback,
    "chart": send_chart,
    "erase": erase_conversation,
    QUICK_EXIT_ACTION: erase_conversation,
    SAFE_MODE_ACTION: switch_on_action,
    "deldata": confirm_delete_data,
    "deldata-yes": delete_data,
    CONFIRM_ACTION: confirm_send,
    SUBSCRIBE_ACTION: confirm_subscribe,
}
"""Keyed by the action's name, the part before the first ':'."""
WITH_ARGUMENTS = frozenset({"fb", "chart"})


def adapter_action_for(action: str) -> AdapterAction | None:
    """The handler for an adapter-level action; None for engine actions and for `erase:…`-like
    forgeries (those then fall through to the engine, which does not know them either)."""
    name, separator, _ = action.partition(":")
    if bool(separator) != (name in WITH_ARGUMENTS):
        return None
    return ADAPTER_ACTIONS.get(name)
