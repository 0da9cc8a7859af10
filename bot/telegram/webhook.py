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
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.storage.update_ledger import Incoming
from bot.telegram.botdata import LEDGER_KEY
from bot.telegram.delivery import Admission, UpdateLedger
from bot.telegram.fetching import DeliveryBot

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1024 * 1024
"""Updates are a few kilobytes; anything near this size is not from Telegram."""


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
        # Only now, recorded (or given up waiting for storage), Telegram hears it arrived.
        self.set_status(HTTPStatus.OK)

    def log_exception(self, *args: object) -> None:
        """Our HTTPErrors are expected (forged requests); the status line is logged anyway."""


class HealthHandler(tornado.web.RequestHandler):
    """GET /healthz for load balancers: 200 "ok" while the application is running."""

    def initialize(self, bot_application: Application) -> None:
        self._application = bot_application

    def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        if self._application.running:
            self.write("ok")
        else:
            self.set_status(HTTPStatus.SERVICE_UNAVAILABLE)
            self.write("stopping")


def webhook_path(webhook_url: str) -> str:
    """The local path Telegram posts to: the path part of WEBHOOK_URL."""
    return urlsplit(webhook_url).path.rstrip("/") or "/"


def web_app(application: Application, *, path: str, secret: str) -> tornado.web.Application:
    return tornado.web.Application([
        (HEALTH_PATH, HealthHandler, {"bot_application": application}),
        (re.escape(path.rstrip("/")) + "/?", TelegramUpdateHandler,
         {"bot_application": application, "secret": secret}),
    ])


class WebhookServer:
    """The HTTP server around `web_app`, started and stopped with the application."""

    def __init__(self, application: Application, *, host: str, port: int, path: str,
                 secret: str) -> None:
        self._server = HTTPServer(web_app(application, path=path, secret=secret),
                                  max_body_size=MAX_BODY_BYTES)
        self._host, self._port = host, port
        self.port: int | None = None
        """The bound port (differs from the requested one when that was 0)."""

    def start(self) -> None:
        sockets = bind_sockets(self._port, address=self._host)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        logger.info("Webhook server listening on %s:%d", self._host, self.port)

    async def stop(self) -> None:
        if self.port is None:
            return
        self._server.stop()
        await self._server.close_all_connections()
        self.port = None
