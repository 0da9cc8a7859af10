"""GET /healthz, the same in both modes: 200 while the worker can serve, 503 otherwise.

Each part of the bot registers a check with the one `Health` in `bot_data[HEALTH_KEY]` (storage
does), and any failing one makes the answer 503, so a load balancer or an operator's alert sees
a worker that cannot do its job instead of a green light. The JSON body says which part failed
and which content version the worker serves (a rollout shows when every worker has it).
In polling mode nothing else listens, so `HealthServer` serves this path alone on LISTEN_PORT
(the Docker image's health check calls it in both modes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram.ext import Application

from bot.telegram.botdata import ENGINE_KEY, HEALTH_KEY
from bot.telegram.http_server import BoundedHTTPServer

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


@dataclass(frozen=True)
class ComponentHealth:
    ok: bool
    details: Mapping[str, Any] = field(default_factory=dict)


HealthCheck = Callable[[], ComponentHealth]


@dataclass(frozen=True)
class HealthReport:
    ok: bool
    components: Mapping[str, ComponentHealth]

    def as_json(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "unavailable",
                "components": {name: {"ok": part.ok, **part.details}
                               for name, part in self.components.items()}}


class Health:
    """The checks behind /healthz: each component registers one; any failing one means 503."""

    def __init__(self) -> None:
        self._checks: dict[str, HealthCheck] = {}

    def register(self, name: str, check: HealthCheck) -> None:
        self._checks[name] = check

    def report(self) -> HealthReport:
        components = {name: check() for name, check in self._checks.items()}
        return HealthReport(all(part.ok for part in components.values()), components)


def health_of(bot_data: dict[Any, Any]) -> Health:
    """The application's `Health`, created on first use."""
    health: Health = bot_data.setdefault(HEALTH_KEY, Health())
    return health


def content_version(application: Application) -> str:  # type: ignore[type-arg]
    engine = application.bot_data.get(ENGINE_KEY)
    return engine.knowledge.content.version if engine is not None else "-"


class HealthHandler(tornado.web.RequestHandler):
    """`{"status": "ok", ...}` (200), or the reason (503): "stopping", "unavailable"."""

    def initialize(self, bot_application: Application) -> None:  # type: ignore[type-arg]
        self._application = bot_application

    def get(self) -> None:
        body = health_of(self._application.bot_data).report().as_json()
        if not self._application.running:
            body["status"] = "stopping"
        body["content"] = content_version(self._application)
        if body["status"] != "ok":
            self.set_status(HTTPStatus.SERVICE_UNAVAILABLE)
        self.write(body)  # tornado sends a dict as application/json


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
