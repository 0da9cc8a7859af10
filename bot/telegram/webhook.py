"""The webhook server: Telegram's POSTs go into the application's update queue; /healthz too.

PTB's built-in webhook server (`Updater.start_webhook`) serves no other path and compares the
secret token with `!=` (telegram/ext/_utils/webhookhandler.py in PTB 22.8), which leaks timing.
PTB's documented alternative is a custom server feeding `application.update_queue`
(examples/customwebhookbot); this one uses tornado, which PTB's webhooks extra already installs.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from http import HTTPStatus
from urllib.parse import urlsplit

import tornado.web
from telegram import Update
from telegram.ext import Application

from bot.storage.update_ledger import Incoming
from bot.telegram.botdata import LEDGER_KEY
from bot.telegram.delivery import ACK_WAIT_SECONDS, Admission, UpdateLedger
from bot.telegram.fetching import DeliveryBot
from bot.telegram.health import health_route
from bot.telegram.http_server import BoundedHTTPServer

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramUpdateHandler(tornado.web.RequestHandler):
    """POST from Telegram: check the secret in constant time, record the update in the ledger,
    queue it, and only then answer 200."""

    def initialize(self, bot_application: Application, secret: str) -> None:
        self._application = bot_application
        self._secret = secret.encode()

    async def post(self) -> None:
        supplied = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(supplied, self._secret):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            data = json.loads(self.request.body)
        except ValueError:
            logger.warning("Webhook body was not JSON")
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        bot = self._application.bot
        update = bot.parse(data) if isinstance(bot, DeliveryBot) else Update.de_json(data, bot)
        if update is None:  # from Telegram, but unreadable: skipped (logged), never retried
            self.set_status(HTTPStatus.OK)
            return
        ledger: UpdateLedger = self._application.bot_data[LEDGER_KEY]
        admission = await ledger.admit([Incoming(update.update_id, self.request.body.decode())])
        if admission[update.update_id] is not Admission.DUPLICATE:
            await self._application.update_queue.put(update)
        if admission[update.update_id] is Admission.UNRECORDED:
            await ledger.wait_recorded(ACK_WAIT_SECONDS)
        # Only now, recorded (or given up waiting for storage), Telegram hears it arrived.
        self.set_status(HTTPStatus.OK)

    def log_exception(self, *args: object) -> None:
        """Our HTTPErrors are expected (forged requests); the status line is logged anyway."""


def webhook_path(webhook_url: str) -> str:
    """The local path Telegram posts to: the path part of WEBHOOK_URL."""
    return urlsplit(webhook_url).path.rstrip("/") or "/"


def web_app(application: Application, *, path: str, secret: str) -> tornado.web.Application:
    return tornado.web.Application([
        health_route(application),
        (re.escape(path.rstrip("/")) + "/?", TelegramUpdateHandler,
         {"bot_application": application, "secret": secret}),
    ])


class WebhookServer:
    """The bounded HTTP server around `web_app`, started and stopped with the application."""

    def __init__(self, application: Application, *, host: str, port: int, path: str,
                 secret: str) -> None:
        self._server = BoundedHTTPServer(web_app(application, path=path, secret=secret),
                                         host=host, port=port)

    @property
    def port(self) -> int | None:
        """The bound port (differs from the requested one when that was 0)."""
        return self._server.port

    def start(self) -> None:
        self._server.start()
        logger.info("Webhook server listening on %s:%d", self._server.host, self._server.port)

    async def stop(self) -> None:
        await self._server.stop()
