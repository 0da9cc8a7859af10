"""Start-up and shut-down of what the bot needs besides Telegram: content, its watcher, storage.

Storage failing to open must not stop the bot from answering, because a person in danger needs
the reply, not the statistics: it is then retried in the background (`StorageState`), `/healthz`
answers 503 meanwhile, and what needs storage says "coba lagi". A database made with another
pseudonym secret is different: the worker refuses to start (`StorageRefused`).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.cli.common import load_engine
from bot.engine.heap import freeze_long_lived
from bot.settings import Settings
from bot.storage.safe_mode import SafeModeStore
from bot.storage.transactions import describe_failure
from bot.telegram.botdata import (
    ENGINE_KEY,
    INTERACTION_RECORDER_KEY,
    OPEN_STORAGE_KEY,
    SAFE_MODE_KEY,
    SETTINGS_KEY,
    STORAGE_KEY,
    STORAGE_STATE_KEY,
)
from bot.telegram.broadcast import schedule_weekly_tips, stop_broadcast
from bot.telegram.commands import bot_commands
from bot.telegram.content_watch import start_content_watch, stop_content_watch
from bot.telegram.delivery import start_update_ledger, stop_update_ledger
from bot.telegram.health import health_of
from bot.telegram.safe_mode import schedule_sweep
from bot.telegram.staff import publish_staff_commands

if TYPE_CHECKING:
    from bot.storage.database import Storage

logger = logging.getLogger(__name__)

PURGE_INTERVAL = timedelta(days=1)
FIRST_PURGE_AFTER = timedelta(minutes=1)


async def post_init(application: Application) -> None:
    """Load content into the engine and watch it, open storage, schedule retention, publish the
    commands (the staff ones only to each admin); then keep the collector off all of it."""
    settings: Settings = application.bot_data[SETTINGS_KEY]
    if ENGINE_KEY not in application.bot_data:
        application.bot_data[ENGINE_KEY] = await asyncio.to_thread(load_engine, settings)
    start_content_watch(application)
    if application.bot_data.get(OPEN_STORAGE_KEY, True) and (
        INTERACTION_RECORDER_KEY not in application.bot_data
    ):
        await _open_storage(application, settings)
    try:
        await application.bot.set_my_commands(bot_commands())
    except TelegramError as error:
        # The commands still work when typed; only Telegram's menu of them would be stale.
        logger.warning("Could not publish the command menu: %s", type(error).__name__)
    await publish_staff_commands(application.bot, settings.bot_admin_ids)
    freeze_long_lived(collect=True)


async def _open_storage(application: Application, settings: Settings) -> None:
    from bot.telegram.storage_state import StorageState

    def use(storage: Storage) -> None:
        application.bot_data[STORAGE_KEY] = storage
        application.bot_data[INTERACTION_RECORDER_KEY] = storage.recorder
        application.bot_data[SAFE_MODE_KEY] = SafeModeStore(
            storage.session_factory, storage.keys,
            delay=timedelta(minutes=settings.safe_mode_minutes), threaded=storage.replies_wait)
        schedule_sweep(application)
        start_update_ledger(application, settings)
        schedule_weekly_tips(application)
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                purge_expired_data, interval=PURGE_INTERVAL, first=FIRST_PURGE_AFTER,
                name="retention",
            )

    state = StorageState(settings, use)
    application.bot_data[STORAGE_STATE_KEY] = state
    health_of(application.bot_data).register("storage", state.health)
    await state.start()


async def purge_expired_data(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Daily retention, by one worker at a time: old unanswered text, events, and message ids
    past Telegram's 48 h."""
    from bot.storage.locks import RETENTION_LOCK, job_lock
    from bot.storage.retention import purge_expired

    storage: Storage | None = context.bot_data.get(STORAGE_KEY)
    if storage is None:
        return
    try:
        async with job_lock(storage.engine, RETENTION_LOCK) as held:
            if held:
                await purge_expired(storage.session_factory, context.bot_data[SETTINGS_KEY])
    except Exception as error:  # the lock's own statements: a database locked or unreachable
        logger.warning("Retention skipped until its next run: %s", describe_failure(error))


async def post_stop(application: Application) -> None:
    """After the last update was handled, before the HTTP client closes: stop a tip round
    between two sends."""
    await stop_broadcast(application)


async def post_shutdown(application: Application) -> None:
    await stop_content_watch(application)
    await stop_update_ledger(application)
    await stop_broadcast(application)
    state = application.bot_data.pop(STORAGE_STATE_KEY, None)
    application.bot_data.pop(STORAGE_KEY, None)
    application.bot_data.pop(INTERACTION_RECORDER_KEY, None)
    application.bot_data.pop(SAFE_MODE_KEY, None)
    if state is not None:
        await state.stop()
