"""What `/healthz` reports: each part of the bot registers a check, and any failing one makes
the answer 503, so a load balancer or an operator's alert sees a worker that cannot do its job
(e.g. storage unavailable) instead of a green light.

One `Health` lives in `application.bot_data[HEALTH_KEY]`; the webhook server and the polling
mode's health server both answer from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

HEALTH_KEY = "health"


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
