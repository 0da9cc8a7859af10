"""Safe mode on Telegram (/aman and the 🛡️ button): for someone whose phone may be checked.

In safe mode the bot's messages arrive without sound, no weekly tip is sent to the chat, and a
set time after the last message (SAFE_MODE_MINUTES, default 15; Telegram lets a bot delete
private messages for 48 hours) every message of the chat the bot may delete is erased, both
sides, leaving one neutral line. The state lives in the database (`SafeModeStore`), so every
worker agrees; the sweep runs on PTB's JobQueue.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.engine.reply import Intent, Reply
from bot.storage.safe_mode import SafeModeStore
from bot.telegram.botdata import ENGINE_KEY, SAFE_MODE_KEY, engine_of
from bot.telegram.conversation import respond
from bot.telegram.erasure import EraseOutcome, erase_messages, neutral_line
from bot.telegram.groups import is_private
from bot.telegram.texts import message_html
from bot.telegram.trail import return_to_memory, take_from_memory

logger = logging.getLogger(__name__)

SWEEP_INTERVAL = timedelta(minutes=1)
SAFE_MODE_ACTION = "safe"


def safe_mode_of(application: Application) -> SafeModeStore | None:
    store: SafeModeStore | None = application.bot_data.get(SAFE_MODE_KEY)
    return store


async def toggle_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/aman: switch safe mode on, or off when it is on."""
    await _switch(update, context, toggle=True)


async def switch_on_action(update: Update, context: ContextTypes.DEFAULT_TYPE,
                           action: str) -> None:
    """The 🛡️ button (welcome, emergency reply): only ever switches it on."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await _switch(update, context, toggle=False)


async def _switch(update: Update, context: ContextTypes.DEFAULT_TYPE, *, toggle: bool) -> None:
    engine = engine_of(context)
    messages = engine.knowledge.content.messages
    store = safe_mode_of(context.application)
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if user is None or chat is None or message is None:
        return
    if not is_private(message) or store is None:
        await _say(update, context, messages.feature_unavailable)
        return
    if toggle and await store.touch(user_id=user.id):
        switched, text = await store.switch_off(user_id=user.id), messages.safe_mode_off
    else:
        minutes = int(store.delay.total_seconds() // 60)
        switched = await store.switch_on(user_id=user.id, chat_id=chat.id)
        text = messages.safe_mode_on.replace("{minutes}", str(minutes))
    await _say(update, context, text if switched else messages.error)


async def _say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    await respond(update, context, Reply(Intent.SMALLTALK, message_html(engine_of(context), text)))


async def erase_due_chats(application: Application) -> int:
    """Erase every safe-mode chat whose time has come; the number of chats erased."""
    store = safe_mode_of(application)
    if store is None:
        return 0
    erased = 0
    for chat in await store.due():
        chat_data = application.chat_data.get(chat.chat_id)
        ids = {*chat.message_ids, *take_from_memory(chat_data)}
        result = await erase_messages(application.bot, chat.chat_id, sorted(ids))
        return_to_memory(chat_data, result.left)
        if result.outcome is EraseOutcome.FAILED:
            logger.warning("Safe mode: a chat could not be erased; retried at the next sweep")
            continue
        sent = await neutral_line(application.bot, application.bot_data[ENGINE_KEY],
                                  chat.chat_id)
        await store.erased(chat.user_key, deleted=result.deleted,
                           neutral_id=sent.message_id if sent else None)
        erased += 1
    return erased


async def sweep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await erase_due_chats(context.application)


def schedule_sweep(application: Application) -> None:
    if application.job_queue is not None:
        application.job_queue.run_repeating(sweep_job, interval=SWEEP_INTERVAL,
                                            first=SWEEP_INTERVAL, name="safe-mode")
