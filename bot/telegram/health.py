"""GET /healthz, the same in both modes: 200 while the worker can serve, 503 otherwise, and the
content version it serves (so a rollout shows when every worker has the new content).

What "can serve" means beyond "running" is up to the provider in `bot_data[HEALTH_KEY]`
(storage reports itself there); without one, a running application is healthy.
In polling mode nothing else listens, so `HealthServer` serves this path alone on LISTEN_PORT
(the Docker image's health check calls it in both modes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

import tornado.web
from telegram.ext import Application

from bot.telegram.botdata import ENGINE_KEY, HEALTH_KEY
from bot.telegram.http_server import BoundedHTTPServer

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


@dataclass(frozen=True)
class Health:
    ok: bool
    status: str
    """One word or phrase for the operator: "ok", "stopping", "storage unavailable"."""


HealthProvider = Callable[[], Health]


def health_of(application: Application) -> Health:  # type: ignore[type-arg]
    if not application.running:
        return Health(False, "stopping")
    provider = application.bot_data.get(HEALTH_KEY)
    return provider() if provider is not None else Health(True, "ok")


def content_version(application: Application) -> str:  # type: ignore[type-arg]
    engine = application.bot_data.get(ENGINE_KEY)
    return engine.knowledge.content.version if engine is not None else "-"


class HealthHandler(tornado.web.RequestHandler):
    """`ok` (200) or the reason (503), then the content version, as plain text."""

    def initialize(self, bot_application: Application) -> None:  # type: ignore[type-arg]
        self._application = bot_application

    def get(self) -> None:
        health = health_of(self._application)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        if not health.ok:
            self.set_status(HTTPStatus.SERVICE_UNAVAILABLE)
        self.write(f"{health.status}\ncontent {content_version(self._application)}\n")


def health_route(application: Application) -> tuple[str, type, dict[str, object]]:  # type: ignore[type-arg]
    return (HEALTH_PATH, HealthHandler, {"bot_application": application})


class HealthServer:
    """/healthz alone on LISTEN_PORT, for polling mode."""

    def __init__(self, application: Application, *, host: str, port: int) -> None:  # type: ignore[type-arg]
        self._server = BoundedHTTPServer(tornado.web.Application([health_route(application)]),
                                         host=host, port=port)

    @property
    def port(self) -> int | None:
        return self._server.port

    def start(self) -> None:
        """Bind, or log why not: a poller without its health check still answers people."""
        try:
            self._server.start()
        except OSError as error:
            logger.warning("No health check: cannot listen on %s:%d (%s)", self._server.host,
                           self._server.requested_port, error.strerror)
            return
        logger.info("Health check listening on %s:%d%s", self._server.host, self._server.port,
                    HEALTH_PATH)

    async def stop(self) -> None:
        await self._server.stop()
