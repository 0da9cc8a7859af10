"""Full-stack benchmark: updates per second through the real Application polling the Bot API
stand-in on 127.0.0.1, next to a bare python-telegram-bot echo bot; start-up time and memory
of `python -m bot run`.

Throughput is timed from queueing a batch of text updates in the stand-in until it has accepted
every reply. Our bot records each answer in SQLite (a temporary file) as in production.
Replies are not held to Telegram's bulk pace of 30 messages/s (bot/telegram/rate_limit.py); the
request settings are the production ones for all of them.

Two harnesses, same stand-in and questions:
- one process: bot and stand-in share an event loop (and a core). Besides the echo bot and our
  bot, two partial versions of ours show where the time goes: answers taken from a cache and
  no storage (the adapter's own cost), then the real engine without storage.
- separate processes: each bot runs as its own process, the stand-in in this one, so the bot has
  a core to itself; its CPU time and memory are read from /proc.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

from telegram.ext import Application

from bot.bench.process import (
    BOT,
    BOT_COMMAND,
    ECHO,
    ECHO_COMMAND,
    cpu_seconds,
    status_megabytes,
    with_child,
)
from bot.bench.standin import (
    SendCounter,
    benchmark_settings,
    echo_application,
    quiet_logging,
    realistic_questions,
    reply_messages,
    serving,
    standin_class,
)
from bot.cli.common import load_engine
from bot.engine.engine import Engine
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.runner import PollingReceiver

if TYPE_CHECKING:
    from tests.fake_bot_api import FakeBotApi

CACHED, NO_STORAGE = "cached", "no-storage"
VARIANTS = {
    ECHO: "echo bot",
    CACHED: "our adapter: cached answers, no storage",
    NO_STORAGE: "  + the engine (no storage)",
    BOT: "  + storage (SQLite) = our bot",
}
USERS = 500
"""Distinct private chats the questions come from."""
FIRST_CHAT_ID = 7_000_000
WARM_UP = 200
"""Questions answered before timing (stemmer caches, connection pools, SQLite pages)."""
ROUNDS = 3
"""In-process rounds per variant, interleaved; the median is reported."""
MEMORY_MESSAGES = 10_000
STARTS = 3
"""`python -m bot run` start-ups timed; the median is reported."""
BATCH_TIMEOUT_SECONDS = 600.0
TARGET_RATIO = 0.7
TARGET_START_SECONDS = 3.0
TARGET_RSS_MB = 200.0


@dataclass(frozen=True)
class Batch:
    questions: list[str]
    replies: int
    """Messages our bot sends for them (long answers are split); the echo bot sends one each."""

    @classmethod
    def of(cls, engine: Engine, questions: list[str]) -> Batch:
        return cls(questions, sum(reply_messages(engine, text) for text in questions))

    def messages_from(self, variant: str) -> int:
        return len(self.questions) if variant == ECHO else self.replies


@dataclass(frozen=True)
class Timing:
    per_second: float
    cpu_ms_per_update: float


async def _answer(api: FakeBotApi, counter: SendCounter, batch: Batch, variant: str) -> float:
    """Queue the whole batch at once; seconds until every reply was accepted."""
    target = counter.sent + batch.messages_from(variant)
    started = time.perf_counter()
    for index, text in enumerate(batch.questions):
        await api.push(api.updates.text(text, chat_id=FIRST_CHAT_ID + index % USERS))
    await counter.wait_for(target, BATCH_TIMEOUT_SECONDS)
    return time.perf_counter() - started


# -- one process ------------------------------------------------------------------------------

@contextlib.contextmanager
def _variant_application(variant: str, settings: Settings, engine: Engine,
                         cache: dict[str, object]) -> Iterator[Application]:
    if variant == ECHO:
        yield echo_application(settings)
    elif variant == CACHED:
        with mock.patch.object(engine, "reply_to", cache.__getitem__):
            yield build_application(settings, engine=engine, open_storage=False)
    else:
        yield build_application(settings, engine=engine, open_storage=variant == BOT)


async def _in_process_round(variant: str, settings: Settings, engine: Engine,
                            cache: dict[str, object], warm_up: Batch, timed: Batch) -> Timing:
    api = standin_class()()
    await api.start()
    counter = SendCounter(api)
    try:
        with tempfile.TemporaryDirectory(prefix="tppo-bench-") as data_dir:
            bot_settings = benchmark_settings(settings, api, Path(data_dir))
            with _variant_application(variant, bot_settings, engine, cache) as application:
                async with serving(application, PollingReceiver(application, bot_settings)):
                    await _answer(api, counter, warm_up, variant)
                    cpu = time.process_time()
                    seconds = await _answer(api, counter, timed, variant)
                    cpu = time.process_time() - cpu
    finally:
        await api.stop()
    count = len(timed.questions)
    return Timing(count / seconds, cpu * 1000 / count)


async def _in_process(settings: Settings, engine: Engine, warm_up: Batch, timed: Batch
                      ) -> dict[str, Timing]:
    cache: dict[str, object] = {text: engine.reply_to(text)
                                for text in warm_up.questions + timed.questions}
    timings: dict[str, list[Timing]] = {variant: [] for variant in VARIANTS}
    for _ in range(ROUNDS):
        for variant in VARIANTS:
            timings[variant].append(await _in_process_round(variant, settings, engine, cache,
                                                            warm_up, timed))
    return {variant: Timing(statistics.median(t.per_second for t in values),
                            statistics.median(t.cpu_ms_per_update for t in values))
            for variant, values in timings.items()}


# -- separate processes -----------------------------------------------------------------------

@dataclass(frozen=True)
class ProcessFigures:
    timing: Timing
    rss_before_mb: float
    """After start-up and the warm-up questions."""
    rss_mb: float
    peak_rss_mb: float
    standin_busy: float
    """The stand-in's CPU time over wall time: near 1.0 would mean it, not the bot, was the
    limit."""


async def _start_ups(settings: Settings) -> list[float]:
    async def nothing(api: FakeBotApi, pid: int) -> None:
        return None

    command = [sys.executable, "-m", "bot", "run"]
    return [(await with_child(command, settings, nothing))[0] for _ in range(STARTS)]


async def _separate_process(variant: str, settings: Settings, warm_up: Batch, timed: Batch
                            ) -> ProcessFigures:
    figures: list[ProcessFigures] = []

    async def load(api: FakeBotApi, pid: int) -> None:
        counter = SendCounter(api)
        await _answer(api, counter, warm_up, variant)
        rss_before = status_megabytes(pid, "VmRSS")
        cpu, standin_cpu = cpu_seconds(pid), time.process_time()
        seconds = await _answer(api, counter, timed, variant)
        cpu, standin_cpu = cpu_seconds(pid) - cpu, time.process_time() - standin_cpu
        count = len(timed.questions)
        figures.append(ProcessFigures(
            Timing(count / seconds, cpu * 1000 / count), rss_before_mb=rss_before,
            rss_mb=status_megabytes(pid, "VmRSS"),
            peak_rss_mb=status_megabytes(pid, "VmHWM"), standin_busy=standin_cpu / seconds))

    await with_child(BOT_COMMAND if variant == BOT else ECHO_COMMAND, settings, load)
    return figures[0]


# -- report -----------------------------------------------------------------------------------

def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def run_stack_benchmark(settings: Settings, *, messages: int) -> list[str]:
    quiet_logging()  # also fails with the explanation when the stand-in is missing
    engine = load_engine(settings)
    questions = [q.text for q in realistic_questions(WARM_UP + max(messages, MEMORY_MESSAGES),
                                                     seed=11)]
    warm_up = Batch.of(engine, questions[:WARM_UP])
    timed = Batch.of(engine, questions[WARM_UP:WARM_UP + messages])
    memory = Batch.of(engine, questions[WARM_UP:WARM_UP + MEMORY_MESSAGES])

    one = asyncio.run(_in_process(settings, engine, warm_up, timed))
    starts = asyncio.run(_start_ups(settings))
    apart = {variant: asyncio.run(_separate_process(variant, settings, warm_up, memory))
             for variant in (ECHO, BOT)}

    ratio = one[BOT].per_second / one[ECHO].per_second
    start_up = statistics.median(starts)
    peak = apart[BOT].peak_rss_mb
    lines = [
        f"{len(questions)} realistic questions (tests/data), {USERS} users, "
        f"{WARM_UP} answered before timing",
        f"one process, {messages} questions, median of {ROUNDS} rounds:",
        f"  {'':42}updates/s  CPU ms/update  vs echo",
    ]
    lines += [f"  {label:42}{one[v].per_second:9.0f}  {one[v].cpu_ms_per_update:13.2f}"
              f"  {one[v].per_second / one[ECHO].per_second:7.2f}"
              for v, label in VARIANTS.items()]
    lines += [
        f"  throughput of our bot / echo bot: {ratio:.2f} "
        f"(target >= {TARGET_RATIO}: {_verdict(ratio >= TARGET_RATIO)})",
        f"separate processes, {MEMORY_MESSAGES} questions:",
        *(f"  {VARIANTS[v]:42}{apart[v].timing.per_second:9.0f}  "
          f"{apart[v].timing.cpu_ms_per_update:13.2f}  "
          f"{apart[v].timing.per_second / apart[ECHO].timing.per_second:7.2f}   "
          f"(stand-in busy {apart[v].standin_busy:.0%})" for v in (ECHO, BOT)),
        f"start-up of `python -m bot run` to its first getUpdates: median {start_up:.2f} s "
        f"({', '.join(f'{s:.2f}' for s in starts)}) "
        f"(target < {TARGET_START_SECONDS:.0f} s: {_verdict(start_up < TARGET_START_SECONDS)})",
        f"resident memory of our bot after {MEMORY_MESSAGES} questions: "
        f"{apart[BOT].rss_mb:.0f} MB, peak {peak:.0f} MB "
        f"(target < {TARGET_RSS_MB:.0f} MB: {_verdict(peak < TARGET_RSS_MB)}); "
        f"before them {apart[BOT].rss_before_mb:.0f} MB",
        f"  (echo bot: {apart[ECHO].rss_mb:.0f} MB after, {apart[ECHO].rss_before_mb:.0f} MB "
        "before; the whole batch is fetched at once, so the queue of updates is in this)",
    ]
    return lines
