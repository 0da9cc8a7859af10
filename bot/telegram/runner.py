"""Running the application until asked to stop: long polling, or a webhook with a health check.

One lifecycle for both modes (and for the tests), following PTB's documented manual start
(`initialize → post_init → start`, then `stop → shutdown`) rather than `run_polling`, because the
webhook mode runs its own server and the stop signal is handled by `bot.cli.run`.
`Application.stop()` waits for every update already taken from the queue, so replies under way
are finished before the process exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.settings import Settings
from bot.telegram.fetching import polling_error_callback
from bot.telegram.health import HealthServer
from bot.telegram.webhook import WebhookServer, webhook_path

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY,
                   Update.INLINE_QUERY]
POLL_TIMEOUT_SECONDS = 30
"""How long one getUpdates call waits on Telegram's side for something to arrive."""
WEBHOOK_CHECK_SECONDS = 60.0
"""How often a webhook worker checks that Telegram still posts to it."""
FIRST_RETRY_SECONDS, MAX_RETRY_SECONDS = 1.0, 60.0
"""Back-off while Telegram cannot be reached at start-up."""


class ReceiverFailed(RuntimeError):
    """Updates cannot come in and retrying will not help (e.g. another poller): exit non-zero."""


class UpdateReceiver(Protocol):
    failed: asyncio.Event
    """Set when the receiver gives up (the reason in `failure`); the application then stops."""
    failure: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class PollingReceiver:
    """getUpdates in a loop (PTB's Updater; it deletes any webhook first), and /healthz on
    LISTEN_PORT."""

    def __init__(self, application: Application, settings: Settings) -> None:
        if application.updater is None:
            raise ValueError("polling needs an Application built with an Updater")
        self._updater = application.updater
        self.failed, self.failure = asyncio.Event(), ""
        self.health = HealthServer(application, host=settings.listen_host,
                                   port=settings.listen_port)

    def _give_up(self, reason: str) -> None:
        self.failure = reason
        self.failed.set()

    async def start(self) -> None:
        self.health.start()
        await self._updater.start_polling(timeout=POLL_TIMEOUT_SECONDS,
                                          allowed_updates=ALLOWED_UPDATES,
                                          error_callback=polling_error_callback(self._give_up))
        logger.info("Polling for updates")

    async def stop(self) -> None:
        if self._updater.running:
            await self._updater.stop()
        await self.health.stop()


class WebhookReceiver:
    """Our tornado server, then setWebhook so Telegram starts posting to it; a periodic
    getWebhookInfo registers the webhook again if something removed it (a poller started with
    the same token deletes it, and the workers would otherwise wait for nothing, "healthy").

    The webhook stays registered on shutdown: Telegram keeps updates for the next start.
    """

    check_interval = WEBHOOK_CHECK_SECONDS

    def __init__(self, application: Application, settings: Settings) -> None:
        if not settings.webhook_url or not settings.webhook_secret:
            raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        self._application = application
        self._url, self._secret = settings.webhook_url, settings.webhook_secret
        self.server = WebhookServer(application, host=settings.listen_host,
                                    port=settings.listen_port, path=webhook_path(self._url),
                                    secret=self._secret)
        self.failed, self.failure = asyncio.Event(), ""
        self._checking: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Telegram out of reach at setWebhook is one line, and the check below keeps trying
        with back-off: the server is already up for whatever Telegram still posts."""
        self.server.start()
        registered = True
        try:
            await self._register()
        except NetworkError as error:
            registered = False
            logger.warning("Cannot reach Telegram to register the webhook (%s); trying again",
                           type(error).__name__)
        self._checking = asyncio.create_task(self._keep_registered(registered),
                                             name="webhook-check")

    async def _register(self) -> None:
        await self._application.bot.set_webhook(url=self._url, secret_token=self._secret,
                                                allowed_updates=ALLOWED_UPDATES)
        logger.info("Webhook registered")

    async def _keep_registered(self, registered: bool) -> None:
        delay = self.check_interval if registered else min(FIRST_RETRY_SECONDS,
                                                           self.check_interval)
        while True:
            await asyncio.sleep(delay)
            try:
                info = await self._application.bot.get_webhook_info()
                if info.url != self._url:
                    if registered:
                        logger.error("The webhook was %s (a poller with this bot's token "
                                     "deletes it); registering it again",
                                     "removed" if not info.url else "pointed elsewhere")
                    await self._register()
                registered, delay = True, self.check_interval
            except TelegramError as error:
                logger.warning("Could not %s the webhook (%s)",
                               "check" if registered else "register", type(error).__name__)
                if not registered:
                    delay = min(self.check_interval, delay * 2)

    async def stop(self) -> None:
        if self._checking is not None:
            self._checking.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checking
        await self.server.stop()


def receiver_for(application: Application, settings: Settings) -> UpdateReceiver:
    if settings.webhook_url:
        return WebhookReceiver(application, settings)
    return PollingReceiver(application, settings)


async def run_application(application: Application, receiver: UpdateReceiver,
                          stopping: asyncio.Event, ready: asyncio.Event | None = None) -> None:
    """Serve until `stopping` is set (or the receiver fails: ReceiverFailed), then shut down in
    order: no new updates first."""
    if not await _initialize(application, stopping):
        return
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        await receiver.start()
        if ready is not None:
            ready.set()
        waits = {asyncio.ensure_future(stopping.wait()),
                 asyncio.ensure_future(receiver.failed.wait())}
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for wait in waits:
            wait.cancel()
        logger.info("Stopping: finishing the replies under way")
    finally:
        await receiver.stop()
        if application.running:
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
    logger.info("Stopped")
    if receiver.failed.is_set():
        raise ReceiverFailed(receiver.failure)


async def _initialize(application: Application, stopping: asyncio.Event) -> bool:
    """`application.initialize()` (it asks Telegram who the bot is), retried with back-off
    while Telegram cannot be reached: one line per attempt, no traceback. False if stopped."""
    delay = FIRST_RETRY_SECONDS
    while True:
        try:
            await application.initialize()
            return True
        except (InvalidToken, Conflict):
            raise
        except NetworkError as error:
            logger.warning("Cannot reach Telegram (%s); trying again in %.0f s",
                           type(error).__name__, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), delay)
            return False
        delay = min(MAX_RETRY_SECONDS, delay * 2)
