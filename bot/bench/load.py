"""Load with faults: many users write at once while the Bot API refuses a share of the sends
with 429 (flood control) and 502 (bad gateway). Every question must get its reply exactly once,
and storage must have counted every answer.

Used by tests/load (CI-sized) and by `python -m bot bench load` (large). The application is the
production one (`build_application`, default retry policy, the reply rate limiter with its
retries; replies are not held to the 30 messages/s bulk pace, bot/telegram/rate_limit.py).
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import func, select

from bot.bench.standin import (
    benchmark_settings,
    quiet_logging,
    realistic_questions,
    serving,
    standin_class,
)
from bot.content.telegram_html import split_message
from bot.engine.engine import Engine
from bot.settings import Settings
from bot.storage.database import Storage
from bot.storage.models import MessageEvent, RecentMessage
from bot.telegram.app import build_application
from bot.telegram.botdata import STORAGE_KEY
from bot.telegram.runner import receiver_for
from bot.telegram.webhook import SECRET_HEADER, webhook_path

if TYPE_CHECKING:
    from tests.fake_bot_api import FakeBotApi

POLLING, WEBHOOK = "polling", "webhook"
MODES = (POLLING, WEBHOOK)
FAULT_RATES: Mapping[int, float] = {HTTPStatus.TOO_MANY_REQUESTS: 0.10,
                                    HTTPStatus.BAD_GATEWAY: 0.05}
FIRST_CHAT_ID = 8_000_000
WEBHOOK_URL = "https://bot.contoh.go.id/telegram/webhook"
WEBHOOK_SECRET = "beban_uji-0123456789abcdef"
WEBHOOK_CONNECTIONS = 40
"""Telegram delivers to a webhook over at most 40 connections unless told otherwise
(setWebhook max_connections, default 40)."""


@dataclass(frozen=True)
class LoadPlan:
    users: int
    per_user: int
    mode: str = POLLING
    fault_rates: Mapping[int, float] = field(default_factory=lambda: dict(FAULT_RATES))
    seed: int = 3
    timeout: float = 600.0


@dataclass(frozen=True)
class ChatMismatch:
    """A chat whose messages from the bot differ from the replies to its questions."""

    expected: Counter[str]
    got: Counter[str]

    @property
    def missing(self) -> Counter[str]:
        return self.expected - self.got

    @property
    def repeated(self) -> Counter[str]:
        return Counter({text: n for text, n in (self.got - self.expected).items()
                        if text in self.expected})

    @property
    def unexpected(self) -> Counter[str]:
        """Texts no question asked for, such as the apology after a failed reply."""
        return Counter({text: n for text, n in (self.got - self.expected).items()
                        if text not in self.expected})


@dataclass(frozen=True)
class LoadOutcome:
    plan: LoadPlan
    seconds: float
    expected_intents: Counter[str]
    stored_intents: Counter[str]
    """message_events rows per intent."""
    expected_recent_messages: int
    recent_messages: int
    """recent_messages rows: the ids of every question and every reply, for "Hapus jejak"."""
    mismatches: dict[int, ChatMismatch]
    send_attempts: int
    faults: Counter[int]

    @property
    def questions(self) -> int:
        return self.plan.users * self.plan.per_user

    @property
    def lost(self) -> int:
        return sum(m.missing.total() for m in self.mismatches.values())

    @property
    def repeated(self) -> int:
        return sum(m.repeated.total() for m in self.mismatches.values())

    @property
    def unexpected(self) -> int:
        return sum(m.unexpected.total() for m in self.mismatches.values())

    def lines(self) -> list[str]:
        faults = ", ".join(f"{count} × {status}" for status, count in sorted(self.faults.items()))
        stored = ("per intent as expected" if self.stored_intents == self.expected_intents
                  else f"MISMATCH: {dict(self.stored_intents)}, expected "
                       f"{dict(self.expected_intents)}")
        return [
            f"{self.plan.mode}: {self.plan.users} users × {self.plan.per_user} messages = "
            f"{self.questions} questions, all queued at once",
            f"  all handled in {self.seconds:.1f} s "
            f"({self.questions / self.seconds:.0f} questions/s)",
            f"  sendMessage attempts: {self.send_attempts}; refused by the stand-in: {faults}",
            f"  replies lost: {self.lost}; sent twice: {self.repeated}; other messages: "
            f"{self.unexpected} (the apology after a failed reply)",
            f"  message_events stored: {self.stored_intents.total()} of "
            f"{self.expected_intents.total()}, {stored}",
            f"  recent message ids stored: {self.recent_messages} of "
            f"{self.expected_recent_messages}",
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_overrides(mode: str) -> dict[str, Any]:
    """Settings for `mode`: none for polling; URL, secret and a free local port for webhooks."""
    if mode == POLLING:
        return {}
    return {"webhook_url": WEBHOOK_URL, "webhook_secret": WEBHOOK_SECRET,
            "listen_host": "127.0.0.1", "listen_port": free_port()}


async def _deliver_by_webhook(settings: Settings, updates: list[dict[str, Any]]) -> None:
    """POST every update to the bot's webhook as Telegram does: over WEBHOOK_CONNECTIONS
    connections at once, each posting the next update when the last was accepted."""
    path = webhook_path(settings.webhook_url or "")
    headers = {SECRET_HEADER: settings.webhook_secret or ""}
    pending = list(enumerate(updates, start=1))
    pending.reverse()
    refused: list[int] = []

    async def connection() -> None:
        # A client per connection: one pool of 40 busy connections costs httpcore a scan of
        # the pool per request, which took more CPU than the bot under test.
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.listen_port}",
                                     limits=httpx.Limits(max_connections=1), timeout=60) as client:
            while pending:
                update_id, update = pending.pop()
                response = await client.post(path, json={"update_id": update_id, **update},
                                             headers=headers)
                if response.status_code != HTTPStatus.OK:
                    refused.append(response.status_code)

    await asyncio.gather(*(connection() for _ in range(WEBHOOK_CONNECTIONS)))
    if refused:
        raise RuntimeError(f"the webhook refused {len(refused)} updates: {set(refused)}")


async def _stored(storage: Storage) -> tuple[Counter[str], int]:
    async with storage.session_factory() as session:
        rows = await session.execute(
            select(MessageEvent.intent, func.count()).group_by(MessageEvent.intent))
        intents = Counter({intent: count for intent, count in rows.all()})
        recent = await session.scalar(select(func.count()).select_from(RecentMessage))
    return intents, int(recent or 0)


async def run_load(api: FakeBotApi, settings: Settings, engine: Engine,
                   plan: LoadPlan) -> LoadOutcome:
    """Run `plan` against a started stand-in with `settings` (which decide polling or webhook
    and the database), then compare what was sent and stored with what should have been."""
    questions = realistic_questions(plan.users * plan.per_user, seed=plan.seed)
    chats = [FIRST_CHAT_ID + n % plan.users for n in range(len(questions))]
    expected: dict[int, Counter[str]] = {chat: Counter() for chat in set(chats)}
    expected_intents: Counter[str] = Counter()
    for question, chat in zip(questions, chats, strict=True):
        reply = engine.reply_to(question.text)
        expected[chat].update(split_message(reply.html))
        expected_intents[reply.intent.value] += 1
    replies = sum(c.total() for c in expected.values())
    updates = [api.updates.text(q.text, chat_id=chat) for q, chat in zip(questions, chats,
                                                                         strict=True)]

    application = build_application(settings, engine=engine)
    receiver = receiver_for(application, settings)
    async with serving(application, receiver):
        storage: Storage | None = application.bot_data.get(STORAGE_KEY)
        if storage is None:
            raise RuntimeError("storage did not open; see the log")
        api.fail_at_rates(plan.fault_rates, seed=plan.seed)
        started = time.perf_counter()
        if plan.mode == WEBHOOK:
            await _deliver_by_webhook(settings, updates)
        else:
            update_ids = [await api.push(update) for update in updates]
            await api.wait_until_fetched(max(update_ids), plan.timeout)
        await asyncio.wait_for(application.update_queue.join(), plan.timeout)
        seconds = time.perf_counter() - started
        api.fail_at_rates({}, seed=0)
        await storage.writer.flush(plan.timeout)  # records are written after the replies
        stored_intents, recent = await _stored(storage)

    sends = api.calls_to("sendMessage", ok_only=False)
    sent: dict[int, Counter[str]] = {chat: Counter() for chat in expected}
    for call in sends:
        if call.ok:
            sent.setdefault(int(call.params["chat_id"]), Counter())[call.params["text"]] += 1
    faults = Counter(call.status for call in api.calls if not call.ok)
    mismatches = {chat: ChatMismatch(expected.get(chat, Counter()), got)
                  for chat, got in sent.items() if got != expected.get(chat, Counter())}
    return LoadOutcome(plan=plan, seconds=seconds, expected_intents=expected_intents,
                       stored_intents=stored_intents,
                       expected_recent_messages=len(questions) + replies,
                       recent_messages=recent, mismatches=mismatches,
                       send_attempts=len(sends), faults=faults)


def run_load_benchmark(settings: Settings, engine: Engine, *, users: int, per_user: int,
                       modes: tuple[str, ...] = MODES) -> list[str]:
    """`python -m bot bench load`: each mode with a fresh stand-in and SQLite file."""

    async def one(mode: str) -> LoadOutcome:
        api = standin_class()()
        await api.start()
        try:
            with tempfile.TemporaryDirectory(prefix="tppo-load-") as data_dir:
                bot_settings = benchmark_settings(settings, api, Path(data_dir),
                                                  **webhook_overrides(mode))
                return await run_load(api, bot_settings, engine, LoadPlan(users, per_user, mode))
        finally:
            await api.stop()

    quiet_logging()
    shares = ", ".join(f"{rate:.0%} answered {status}" for status, rate in FAULT_RATES.items())
    lines = [f"the stand-in refuses sends: {shares}"]
    for mode in modes:
        lines += asyncio.run(one(mode)).lines()
    return lines
