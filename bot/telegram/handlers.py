"""PTB callbacks, kept thin: read the update, ask the engine, hand the reply to `respond`."""

from __future__ import annotations

import contextlib
import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.engine.reply import Intent, Reply
from bot.telegram.actions import adapter_action_for, answer_stale, confirm_delete_data
from bot.telegram.botdata import engine_of
from bot.telegram.commands import ACTION_BY_COMMAND, command_name
from bot.telegram.conversation import respond
from bot.telegram.deeplinks import action_for_payload
from bot.telegram.groups import without_mention
from bot.telegram.hooks import storable_text
from bot.telegram.inline import CACHE_SECONDS, inline_results
from bot.telegram.keyboards import decode_callback_data, is_browse_action, is_browse_list
from bot.telegram.statistics import respond_with_chart
from bot.telegram.texts import message_html, toast, with_menu
from bot.telegram.trail import note_incoming

logger = logging.getLogger(__name__)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: the welcome and menu, or the item a deep link (`faq_…`, `darurat`, …) names."""
    engine = engine_of(context)
    action = action_for_payload(context.args[0]) if context.args else None
    reply = engine.reply_to_action(action) if action else None
    if action is not None and reply is not None:
        await respond_with_chart(update, context, reply, record=True)
        return
    welcome = engine.reply_to_action("start") or engine.reply_to_action("menu")
    if welcome is not None:
        await respond(update, context, welcome, record=True)


async def engine_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/menu, /faq, /statistik, /lapor, /darurat, /privasi, /tentang, /bantuan."""
    message = update.effective_message
    action = ACTION_BY_COMMAND.get(command_name(message.text if message else None), "menu")
    reply = engine_of(context).reply_to_action(action)
    if reply is not None:
        await respond_with_chart(update, context, reply, record=True)


async def delete_data_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hapusdata: ask for confirmation before deleting the user's data."""
    await confirm_delete_data(update, context, "deldata")


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have (private chats only): show how to use the bot."""
    reply = engine_of(context).reply_to_action("help")
    if reply is not None:
        await respond(update, context, reply)


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text, typed or forwarded: the engine's answer. Forwarded text is never stored."""
    message = update.effective_message
    if message is None:
        return
    engine = engine_of(context)
    text = without_mention(message.text or "", context.bot.username)
    forwarded = message.forward_origin is not None
    reply = (engine.reply_to(text, forwarded=forwarded) if text
             else engine.reply_to_action("menu"))
    if reply is None:
        return
    await respond(update, context, reply, record=True,
                  text=storable_text(text, reply, forwarded=forwarded,
                                     known=engine.knowledge.known_words))


async def other_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice, locations, contacts, …: a kind note and the menu; nothing kept.
    A picture whose caption is a job advertisement (or an emergency) gets that answer."""
    engine = engine_of(context)
    message = update.effective_message
    if message is not None and message.caption:
        reply = engine.reply_to_caption(message.caption,
                                        forwarded=message.forward_origin is not None)
        if reply is not None:
            await respond(update, context, reply, record=True)
            return
    await respond(update, context, with_menu(engine, engine.knowledge.content.messages.non_text))


async def edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edit is not answered again (that would repeat or contradict the first answer)."""
    engine = engine_of(context)
    await respond(update, context,
                  with_menu(engine, engine.knowledge.content.messages.edited_message))


async def remember_incoming(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Note the id of each private message so "Hapus jejak" can delete it later."""
    if update.message is not None:
        await note_incoming(context, update.message)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on an inline button; old, unknown or forged callback data gets a polite notice."""
    query = update.callback_query
    if query is None:
        return
    action = decode_callback_data(query.data)
    if action is None or update.effective_chat is None:
        await answer_stale(query, context)
        return
    adapter_action = adapter_action_for(action)
    if adapter_action is not None:
        await adapter_action(update, context, action)
        return
    try:
        reply = engine_of(context).reply_to_action(action)
    except (ValueError, KeyError, IndexError):  # well-formed but forged arguments
        reply = None
    if reply is None:
        await answer_stale(query, context)
        return
    await query.answer()
    message = query.message
    in_place = (is_browse_action(action) and isinstance(message, Message)
                and is_browse_list(message.reply_markup))
    await respond_with_chart(update, context, reply, record=True,
                             replace=message.message_id if in_place and message else None)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@bot question` in any chat: a few answers to share, each linking into the bot."""
    query = update.inline_query
    if query is None or not context.bot.username:
        return
    results = inline_results(engine_of(context), query.query, context.bot.username)
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=False)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (its type and traceback, never user data) and apologise to the user."""
    logger.error("Handling an update failed: %s", type(context.error).__name__,
                 exc_info=context.error)
    if not isinstance(update, Update) or update.inline_query is not None:
        return
    engine = engine_of(context)
    text = engine.knowledge.content.messages.error
    # Either may fail too (the user blocked the bot, the query was answered already): then
    # the log above is all we can do.
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(toast(engine, text))
    with contextlib.suppress(TelegramError):
        await respond(update, context, Reply(Intent.FALLBACK, message_html(engine, text)))
