"""Running the application until asked to stop: long polling, or a webhook with a health check.

One lifecycle for both modes (and for the tests), following PTB's documented manual start
(`initialize → post_init → start`, then `stop → shutdown`) rather than `run_polling`, because the
webhook mode runs its own server and the stop signal is handled by `bot.cli.run`.
`Application.stop()` waits for every update already taken from the queue, so replies under way
are finished before the process exits.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from telegram import Update
from telegram.ext import Application

from bot.settings import Settings
from bot.telegram.webhook import WebhookServer, webhook_path

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY,
                   Update.INLINE_QUERY]
POLL_TIMEOUT_SECONDS = 30
"""How long one getUpdates call waits on Telegram's side for something to arrive."""


class UpdateReceiver(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class PollingReceiver:
    """getUpdates in a loop (PTB's Updater; it deletes any webhook first)."""

    def __init__(self, application: Application) -> None:
        if application.updater is None:
            raise ValueError("polling needs an Application built with an Updater")
        self._updater = application.updater

    async def start(self) -> None:
        await self._updater.start_polling(timeout=POLL_TIMEOUT_SECONDS,
                                          allowed_updates=ALLOWED_UPDATES)
        logger.info("Polling for updates")

    async def stop(self) -> None:
        if self._updater.running:
            await self._updater.stop()


class WebhookReceiver:
    """Our tornado server, then setWebhook so Telegram starts posting to it.

    The webhook stays registered on shutdown: Telegram keeps updates for the next start.
    """

    def __init__(self, application: Application, settings: Settings) -> None:
        if not settings.webhook_url or not settings.webhook_secret:
            raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        self._application = application
        self._url, self._secret = settings.webhook_url, settings.webhook_secret
        self.server = WebhookServer(application, host=settings.listen_host,
                                    port=settings.listen_port, path=webhook_path(self._url),
                                    secret=self._secret)

    async def start(self) -> None:
        self.server.start()
        await self._application.bot.set_webhook(url=self._url, secret_token=self._secret,
                                                allowed_updates=ALLOWED_UPDATES)
        logger.info("Webhook registered")

    async def stop(self) -> None:
        await self.server.stop()


def receiver_for(application: Application, settings: Settings) -> UpdateReceiver:
    if settings.webhook_url:
        return WebhookReceiver(application, settings)
    return PollingReceiver(application)


async def run_application(application: Application, receiver: UpdateReceiver,
                          stopping: asyncio.Event, ready: asyncio.Event | None = None) -> None:
    """Serve until `stopping` is set, then shut down in order: no new updates first."""
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        await receiver.start()
        if ready is not None:
            ready.set()
        await stopping.wait()
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
