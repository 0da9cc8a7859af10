"""Commands for staff in BOT_ADMIN_IDS: /reload the content now, /laporan on the last week.

Anyone else gets a polite refusal and nothing is loaded or read. The commands are registered
for private chats only: a report shown in a group would be read by everyone in it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.content.reloader import format_problems_for_admin
from bot.engine.reply import Intent, Reply
from bot.settings import Settings
from bot.storage.report import usage_report
from bot.telegram.botdata import SETTINGS_KEY, STORAGE_KEY, engine_of
from bot.telegram.commands import staff_bot_commands
from bot.telegram.content_watch import content_watch_of
from bot.telegram.conversation import respond
from bot.telegram.staff_report import report_html
from bot.telegram.texts import message_html

logger = logging.getLogger(__name__)

REPORT_DAYS = 7


def is_staff(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    settings: Settings = context.bot_data[SETTINGS_KEY]
    user = update.effective_user
    return user is not None and user.id in settings.bot_admin_ids


async def reload_content(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: load the files now; the admin sees what went live or each error as file:line."""
    if not is_staff(update, context):
        await _say(update, context, engine_of(context).knowledge.content.messages.staff_only)
        return
    watch = content_watch_of(context)
    if watch is None:
        await _say(update, context, engine_of(context).knowledge.content.messages.error)
        return
    result = await watch.reloader.reload()
    watch.admins.note(result)  # told here, so a SIGHUP on the same files does not repeat it
    await respond(update, context, Reply(Intent.SMALLTALK, format_problems_for_admin(result)))


async def weekly_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/laporan: questions per intent, top FAQs, feedback, emergencies, unanswered groups."""
    messages = engine_of(context).knowledge.content.messages
    if not is_staff(update, context):
        await _say(update, context, messages.staff_only)
        return
    storage = context.bot_data.get(STORAGE_KEY)
    if storage is None:
        await _say(update, context, messages.report_unavailable)
        return
    knowledge = engine_of(context).knowledge
    try:
        report = await usage_report(storage.session_factory, knowledge, days=REPORT_DAYS)
    except (SQLAlchemyError, OSError) as error:
        logger.error("The usage report could not be read: %s", type(error).__name__)
        await _say(update, context, messages.report_unavailable)
        return
    await respond(update, context, Reply(Intent.SMALLTALK, report_html(report, knowledge)))


async def publish_staff_commands(bot: Bot, admin_ids: Collection[int]) -> None:
    """Show /reload and /laporan in each admin's own command menu, and nowhere else."""
    for admin_id in sorted(admin_ids):
        try:
            await bot.set_my_commands(staff_bot_commands(), scope=BotCommandScopeChat(admin_id))
        except TelegramError as error:  # an admin who never started the bot: "chat not found"
            logger.warning("Could not show the staff commands to an admin: %s",
                           type(error).__name__)


async def _say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    await respond(update, context, Reply(Intent.SMALLTALK, message_html(engine_of(context), text)))
