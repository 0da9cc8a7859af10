"""Burst benchmark (issue 15): many people write at the same moment, half with a short question
and half with a long story; how long until each gets the first message of the answer.

One worker with the production defaults: `build_application` with the engine `load_engine`
makes from the content, real SQLite storage and the update ledger, the reply rate limiter,
polling the Bot API stand-in on 127.0.0.1. All updates are queued in the stand-in at once; the
clock runs from then until the stand-in accepts each chat's first sendMessage. Nothing is
lifted or mocked, so the figures include the ledger and storage writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.bench.standin import (
    benchmark_settings,
    quiet_logging,
    realistic_questions,
    serving,
    standin_class,
)
from bot.engine.engine import Engine
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.runner import receiver_for

FIRST_CHAT_ID = 7_000_000
STORY_QUESTIONS = (6, 14)
"""A long story: this many of the labelled messages one after another (a few hundred to
about 1,500 characters), as someone describing their situation at length."""
P95_TARGET_SECONDS = 5.0


@dataclass(frozen=True)
class BurstOutcome:
    messages: int
    long_stories: int
    latencies: list[float]
    """Seconds from queueing to each chat's first reply, sorted."""
    unanswered: int
    cpu_seconds: float
    """CPU time of this process during the burst: the bot and the stand-in together."""

    def percentile(self, share: float) -> float:
        return self.latencies[min(len(self.latencies) - 1, int(share * len(self.latencies)))]

    def lines(self) -> list[str]:
        p95 = self.percentile(0.95)
        verdict = "met" if p95 <= P95_TARGET_SECONDS and not self.unanswered else "MISSED"
        return [
            f"{self.messages} messages from {self.messages} users at once "
            f"({self.long_stories} long stories), one worker, production defaults",
            f"  first reply after: p50 {statistics.median(self.latencies):.2f} s, "
            f"p95 {p95:.2f} s, max {self.latencies[-1]:.2f} s "
            f"(target p95 <= {P95_TARGET_SECONDS:.0f} s: {verdict})",
            f"  unanswered: {self.unanswered}; CPU during the burst {self.cpu_seconds:.1f} s "
            f"({self.cpu_seconds * 1000 / self.messages:.1f} ms a message, stand-in included): "
            f"the least wall time for all on one free core",
        ]


def burst_messages(count: int, *, seed: int) -> list[str]:
    """Half short questions, half long stories, shuffled (seeded)."""
    rng = random.Random(seed)
    pool = [question.text for question in realistic_questions(count * 8, seed=seed)]
    short = pool[: count - count // 2]
    stories = [" ".join(rng.sample(pool, rng.randint(*STORY_QUESTIONS)))
               for _ in range(count // 2)]
    messages = short + stories
    rng.shuffle(messages)
    return messages


async def run_burst(settings: Settings, engine: Engine, *, messages: int,
                    timeout: float = 300.0, seed: int = 5) -> BurstOutcome:
    texts = burst_messages(messages, seed=seed)
    api = standin_class()()
    first_reply: dict[int, float] = {}
    accept = api._api_sendMessage

    async def timed(params: dict[str, Any]) -> dict[str, Any]:
        result = await accept(params)
        first_reply.setdefault(int(params["chat_id"]), time.perf_counter())
        return result

    api._api_sendMessage = timed  # type: ignore[method-assign]
    await api.start()
    try:
        with tempfile.TemporaryDirectory(prefix="tppo-burst-") as data_dir:
            bot_settings = benchmark_settings(settings, api, Path(data_dir))
            application = build_application(bot_settings, engine=engine)
            async with serving(application, receiver_for(application, bot_settings)):
                updates = [api.updates.text(text, chat_id=FIRST_CHAT_ID + n)
                           for n, text in enumerate(texts)]
                started, cpu = time.perf_counter(), time.process_time()
                for update in updates:
                    await api.push(update)
                with contextlib.suppress(TimeoutError):  # reported as unanswered
                    await api.wait_for(lambda: len(first_reply) >= len(texts), timeout)
                cpu = time.process_time() - cpu
    finally:
        await api.stop()
    latencies = sorted(at - started for at in first_reply.values())
    return BurstOutcome(messages, messages // 2, latencies, len(texts) - len(first_reply), cpu)


def run_burst_benchmark(settings: Settings, engine: Engine, *, messages: int) -> list[str]:
    """`python -m bot bench burst`."""
    quiet_logging()
    return asyncio.run(run_burst(settings, engine, messages=messages)).lines()
