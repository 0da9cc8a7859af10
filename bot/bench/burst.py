"""Burst benchmark (issue 15): many people write at the same moment, half with a short question
and half with a long story; how long until each gets the first message of the answer.

One worker with the production defaults, as its own process: `python -m bot run`'s code path
(`bot.bench.process`), real SQLite storage and the update ledger, polling the Bot API stand-in,
which runs in this process as Telegram's servers run outside the worker. Nothing in the worker
is lifted or mocked. A few messages from other chats are answered first (a running worker, not
one that just started); then all updates are queued in the stand-in at once, and the clock runs
until the stand-in accepts each chat's first sendMessage. The worker's own CPU time is read from
/proc; its warnings are counted, and every chat must get its answer exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.bench.process import BOT_COMMAND, cpu_seconds, with_child
from bot.bench.standin import quiet_logging, realistic_questions, reply_messages, standin_class
from bot.engine.engine import Engine
from bot.settings import Settings

if TYPE_CHECKING:
    from tests.fake_bot_api import FakeBotApi

FIRST_CHAT_ID = 7_000_000
WARM_UP_CHAT_ID = 6_000_000
WARM_UP = 20
"""Messages (from other chats, other texts) answered before the burst."""
STORY_QUESTIONS = (6, 14)
"""A long story: this many of the labelled messages one after another (a few hundred to
about 1,500 characters), as someone describing their situation at length."""
P95_TARGET_SECONDS = 5.0
TIMEOUT_SECONDS = 300.0
LOGGED_PROBLEM = re.compile(r" (WARNING|ERROR|CRITICAL) (.*)")


@dataclass(frozen=True)
class BurstOutcome:
    messages: int
    long_stories: int
    latencies: list[float]
    """Seconds from queueing to each chat's first reply, sorted."""
    unanswered: int
    twice: int
    """Chats sent more messages than their answer has (an update answered again)."""
    cpu_seconds: float
    """CPU time of the worker process during the burst."""
    standin_cpu_seconds: float
    problems: Counter[str]
    """What the worker logged at WARNING and above, by line (no user data is ever logged)."""

    def percentile(self, share: float) -> float:
        return self.latencies[min(len(self.latencies) - 1, int(share * len(self.latencies)))]

    def lines(self) -> list[str]:
        p95 = self.percentile(0.95) if self.latencies else float("inf")
        ok = p95 <= P95_TARGET_SECONDS and not self.unanswered and not self.twice
        lines = [
            f"{self.messages} messages from {self.messages} users at once "
            f"({self.long_stories} long stories), one worker process, production defaults",
            f"  first reply after: p50 {statistics.median(self.latencies):.2f} s, "
            f"p95 {p95:.2f} s, max {self.latencies[-1]:.2f} s "
            f"(target p95 <= {P95_TARGET_SECONDS:.0f} s, none lost: {'met' if ok else 'MISSED'})",
            f"  unanswered: {self.unanswered}; answered twice: {self.twice}",
            f"  worker CPU during the burst {self.cpu_seconds:.1f} s "
            f"({self.cpu_seconds * 1000 / self.messages:.1f} ms a message); "
            f"stand-in (this process) {self.standin_cpu_seconds:.1f} s",
            f"  worker log lines at WARNING or above: {sum(self.problems.values())}",
        ]
        lines += [f"    {count} x {line}" for line, count in self.problems.most_common(8)]
        return lines


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


def _problems(log: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for line in log.splitlines():
        match = LOGGED_PROBLEM.search(line)
        if match:
            found[f"{match.group(1)} {match.group(2)}"[:160]] += 1
    return found


async def run_burst(settings: Settings, engine: Engine, *, messages: int,
                    timeout: float = TIMEOUT_SECONDS, seed: int = 5) -> BurstOutcome:
    texts = burst_messages(messages, seed=seed)
    expected = [reply_messages(engine, text) for text in texts]
    warm_up = [q.text for q in realistic_questions(WARM_UP, seed=seed + 1)]
    api = standin_class()()
    first_reply: dict[int, float] = {}
    sent: Counter[int] = Counter()
    accept = api._api_sendMessage

    async def timed(params: dict[str, Any]) -> dict[str, Any]:
        result = await accept(params)
        chat_id = int(params["chat_id"])
        first_reply.setdefault(chat_id, time.perf_counter())
        sent[chat_id] += 1
        return result

    api._api_sendMessage = timed  # type: ignore[method-assign]
    measured: dict[str, float] = {}

    async def burst(api: FakeBotApi, pid: int) -> None:
        for n, text in enumerate(warm_up):
            await api.push(api.updates.text(text, chat_id=WARM_UP_CHAT_ID + n))
        await api.wait_for(lambda: len(first_reply) >= len(warm_up), timeout)
        first_reply.clear()
        updates = [api.updates.text(text, chat_id=FIRST_CHAT_ID + n)
                   for n, text in enumerate(texts)]
        cpu, standin_cpu = cpu_seconds(pid), time.process_time()
        measured["started"] = time.perf_counter()
        for update in updates:
            await api.push(update)
        with contextlib.suppress(TimeoutError):  # reported as unanswered
            await api.wait_for(lambda: len(first_reply) >= len(texts), timeout)
        measured["cpu"] = cpu_seconds(pid) - cpu
        measured["standin_cpu"] = time.process_time() - standin_cpu
        # Replies split in several messages, and any sent twice, arrive a little later.
        with contextlib.suppress(TimeoutError):
            await api.wait_for(lambda: sum(sent.values()) >= sum(expected) + len(warm_up), 5.0)
        await asyncio.sleep(1.0)

    _, log = await with_child(BOT_COMMAND, settings, burst, api)
    latencies = sorted(at - measured["started"] for at in first_reply.values())
    twice = sum(sent[FIRST_CHAT_ID + n] > count for n, count in enumerate(expected))
    return BurstOutcome(messages, messages // 2, latencies, len(texts) - len(first_reply), twice,
                        measured["cpu"], measured["standin_cpu"], _problems(log))


def run_burst_benchmark(settings: Settings, engine: Engine, *, messages: int) -> list[str]:
    """`python -m bot bench burst`."""
    quiet_logging()
    return asyncio.run(run_burst(settings, engine, messages=messages)).lines()
