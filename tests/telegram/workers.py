"""`python -m bot run` workers as real processes, and a driver that delivers webhooks as
Telegram does (retrying each update until some worker answers 200)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx

from bot.telegram.webhook import SECRET_HEADER
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.telegram.test_run_process import bot_env

WEBHOOK_PATH = "/telegram/webhook"
TELEGRAM_CONNECTIONS = 40
"""Telegram's default `max_connections` for a webhook."""
REDELIVERY_PAUSE = 0.2


@dataclass
class Worker:
    process: asyncio.subprocess.Process
    log: Path

    async def kill(self) -> None:
        self.process.kill()
        await self.process.wait()

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.terminate()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.process.wait(), 30)
        if self.process.returncode is None:
            await self.kill()
        return int(self.process.returncode or 0)


async def start_worker(api: FakeBotApi, folder: Path, name: str, *,
                       preexec: Callable[[], None] | None = None, **settings: str) -> Worker:
    """A worker process aimed at the stand-in; its log goes to `<folder>/<name>.log`;
    `preexec` runs in the child before the bot (e.g. to lower its open-file limit)."""
    log = folder / f"{name}.log"
    env = bot_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                  LOG_LEVEL="WARNING", PSEUDONYM_SECRET="crash-test-secret-long-enough",
                  **settings)
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=folder, env=env,
            stdout=output, stderr=output, preexec_fn=preexec)
    return Worker(process, log)


async def wait_until_listening(port: int, timeout: float = 60) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(int(timeout / 0.1)):
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise TimeoutError(f"no worker answered on port {port}")


class TelegramDriver:
    """Posts updates to webhook workers round-robin, one request per update on each of
    TELEGRAM_CONNECTIONS connections; an update is posted again (to the next worker) until a
    worker answers 200, as Telegram redelivers what was not acknowledged."""

    def __init__(self, ports: Sequence[int], secret: str) -> None:
        self._ports = list(ports)
        self._secret = secret
        self._turn = 0
        self.posts: Counter[int] = Counter()
        """Which worker (port) took how many updates."""

    def _next_port(self) -> int:
        port = self._ports[self._turn % len(self._ports)]
        self._turn += 1
        return port

    async def deliver(self, updates: Sequence[dict[str, Any]]) -> None:
        pending = list(reversed(updates))

        async def connection() -> None:
            # A client each: one pool of 40 busy connections costs httpcore a scan of the pool
            # per request, more CPU than the workers under test.
            async with httpx.AsyncClient(timeout=10) as client:
                while pending:
                    await self._post_until_accepted(client, pending.pop())

        await asyncio.gather(*(connection() for _ in range(TELEGRAM_CONNECTIONS)))

    async def deliver_in_order(self, updates: Sequence[dict[str, Any]]) -> None:
        """One at a time, as Telegram does for one chat's updates."""
        async with httpx.AsyncClient(timeout=10) as client:
            for update in updates:
                await self._post_until_accepted(client, update)

    async def _post_until_accepted(self, client: httpx.AsyncClient,
                                   update: dict[str, Any]) -> None:
        while True:
            port = self._next_port()
            with contextlib.suppress(httpx.HTTPError):
                response = await client.post(f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
                                             json=update, headers={SECRET_HEADER: self._secret})
                if response.status_code == HTTPStatus.OK:
                    self.posts[port] += 1
                    return
            await asyncio.sleep(REDELIVERY_PAUSE)
