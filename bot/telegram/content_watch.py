"""New content while the bot runs: the file watcher, SIGHUP, and telling admins about bad edits.

`bot.content.reloader` does the loading and the swap; this module gives it a life inside the
Application (started in post_init, stopped in post_shutdown) and a voice: a change the watcher
or SIGHUP had to reject is sent to every admin, because staff who saved a file on a shared
drive would otherwise never learn that the bot is still answering from the old version.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from dataclasses import dataclass

from telegram import Bot
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.content.loader import LoadResult
from bot.content.reloader import ContentReloader, format_problems_for_admin, install_sighup
from bot.engine.reply import Intent, Reply
from bot.settings import Settings
from bot.telegram.botdata import CONTENT_WATCH_KEY, ENGINE_KEY, SETTINGS_KEY
from bot.telegram.sending import send_reply

logger = logging.getLogger(__name__)

STOP_TIMEOUT_SECONDS = 10.0
"""A reload under way (a fraction of a second) may finish; a stuck one must not block exit."""


class AdminNotifier:
    """Sends a rejected change's problems to every admin, once for each set of problems.

    The same problems are not sent again (SIGHUP on files the watcher or an admin's /reload
    already rejected), but they are after a good version went live in between.
    """

    def __init__(self, bot: Bot, admin_ids: Collection[int]) -> None:
        self._bot = bot
        self._admin_ids = sorted(admin_ids)
        self._last_rejection: str | None = None

    def note(self, result: LoadResult) -> str | None:
        """Remember a reload's outcome; the problems when they are news to the admins."""
        if result.bundle is not None:
            self._last_rejection = None
            return None
        text = format_problems_for_admin(result)
        if text == self._last_rejection:
            return None
        self._last_rejection = text
        return text

    async def tell_if_rejected(self, result: LoadResult) -> None:
        text = self.note(result)
        if text is not None:
            for admin_id in self._admin_ids:
                await self._send(admin_id, text)

    async def _send(self, admin_id: int, text: str) -> None:
        try:
            await send_reply(self._bot, admin_id, Reply(Intent.SMALLTALK, text))
        except Forbidden:
            # Telegram lets a bot write only to people who started it; the log has the problems.
            logger.warning("An admin who never started the bot was not told of rejected content")
        except TelegramError as error:
            logger.warning("Could not tell an admin about rejected content: %s",
                           type(error).__name__)


@dataclass
class ContentWatch:
    """What post_init starts: the reloader, the polling task and whom it reports to."""

    reloader: ContentReloader
    admins: AdminNotifier
    stop: asyncio.Event
    task: asyncio.Task[None]


def start_content_watch(application: Application) -> ContentWatch:
    """Watch `settings.content_dir` for the engine already in bot_data."""
    settings: Settings = application.bot_data[SETTINGS_KEY]
    reloader = ContentReloader(application.bot_data[ENGINE_KEY], settings.content_dir,
                               interval=settings.content_watch_interval)
    admins = AdminNotifier(application.bot, settings.bot_admin_ids)
    stop = asyncio.Event()
    task = asyncio.create_task(reloader.watch(stop, on_result=admins.tell_if_rejected),
                               name="content-watch")
    watch = ContentWatch(reloader, admins, stop, task)
    application.bot_data[CONTENT_WATCH_KEY] = watch
    return watch


async def stop_content_watch(application: Application) -> None:
    """Let a reload under way finish, then end the watcher (cancelled if it hangs)."""
    watch: ContentWatch | None = application.bot_data.pop(CONTENT_WATCH_KEY, None)
    if watch is None:
        return
    watch.stop.set()
    try:
        await asyncio.wait_for(watch.task, STOP_TIMEOUT_SECONDS)
    except TimeoutError:
        logger.warning("The content watcher did not stop in time and was cancelled")


def content_watch_of(context: ContextTypes.DEFAULT_TYPE) -> ContentWatch | None:
    """None only while the bot is starting or stopping."""
    watch: ContentWatch | None = context.bot_data.get(CONTENT_WATCH_KEY)
    return watch


def reload_on_sighup(application: Application) -> bool:
    """`kill -HUP <pid>` reloads now; a rejected change reaches the admins like the watcher's.

    Call once the application has started (post_init created the watch); False when there is
    no watch or no SIGHUP on this platform.
    """
    watch: ContentWatch | None = application.bot_data.get(CONTENT_WATCH_KEY)
    if watch is None:
        return False
    return install_sighup(asyncio.get_running_loop(), watch.reloader,
                          on_result=watch.admins.tell_if_rejected)
