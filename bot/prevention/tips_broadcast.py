"""Sending the weekly awareness tip to every subscriber: paced under Telegram's limit, retried,
resumable, and never the same round twice to anyone.

Each subscriber's delivery row is claimed in the database before the message goes out, and
only while they are still subscribed (someone who unsubscribed or deleted their data during
the round gets nothing). A restart (graceful `stop()`, which takes effect between two sends, or
a new process) continues with whoever has no row for this round. A send that certainly did not
arrive (rate limit, no connection) releases its claim and is retried; one that timed out may
have arrived, so it keeps its claim (marked uncertain) and is not sent again. A blocked bot
unsubscribes that person. After a crash, at most the few sends in flight lose their tip for the
week — they are never sent twice. With several workers the caller holds a database lock
(`bot.storage.locks`), so one broadcaster paces the whole round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.prevention_models import Tip
from bot.storage import tips as ledger
from bot.storage.chat_address import ChatAddressCipher
from bot.storage.tips import DeliveryStatus, Subscriber

logger = logging.getLogger(__name__)

TELEGRAM_BROADCAST_LIMIT = 30
"""Messages per second Telegram allows a bot in total."""
DEFAULT_RATE = 25.0
"""Our pace: under the limit, leaving room for answers to people writing meanwhile."""
RETRY_ROUNDS = 3
RETRY_PAUSE_SECONDS = 1.0


class SendOutcome(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"
    RETRY = "retry"
    """Certainly not delivered (rate limit, no connection): safe to send again."""
    UNCERTAIN = "uncertain"
    """Timed out waiting for Telegram's answer: it may have arrived, so never sent again."""
    FAILED = "failed"


Sender = Callable[[int, str], Awaitable[SendOutcome]]


def round_key_for(moment: datetime) -> str:
    """One round per ISO week, e.g. "2026-W49"."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def next_tip(tips: Sequence[Tip], received: frozenset[str]) -> Tip | None:
    """The first tip this person has not had; None once they have had them all."""
    return next((tip for tip in tips if tip.id not in received), None)


class Pacer:
    """Spaces sends evenly, so no one-second window holds more than `rate` (+1) of them."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / rate
        self._clock = clock
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self._interval
        await asyncio.sleep(max(0.0, slot - now))


@dataclass(frozen=True)
class BroadcastPlan:
    round_key: str
    subscribers: int
    due: int
    tips: Counter[str]


@dataclass
class BroadcastResult:
    round_key: str
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    uncertain: int = 0
    nothing_new: int = 0
    stopped: bool = False
    """The round was stopped (shutdown) before everyone due had their tip."""


class TipBroadcaster:
    """Few sends in flight (`concurrency`): after a 429 pause they are released together, and
    that burst plus the pace must stay under Telegram's limit."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], cipher: ChatAddressCipher, *,
                 rate: float = DEFAULT_RATE, concurrency: int = 4) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._rate = rate
        self._concurrency = concurrency
        self._stopping = asyncio.Event()

    async def plan(self, tips: Sequence[Tip], round_key: str) -> BroadcastPlan:
        """What `run` would do now (the dry run staff see before sending)."""
        due = await ledger.due_subscribers(self._sessions, self._cipher, round_key)
        chosen = Counter(t.id for s in due if (t := next_tip(tips, s.received_tip_ids)))
        total = await ledger.subscriber_count(self._sessions)
        return BroadcastPlan(round_key, total, sum(chosen.values()), chosen)

    def stop(self) -> None:
        """Finish the sends under way, start no new one (a restart continues the round)."""
        self._stopping.set()

    async def run(self, tips: Sequence[Tip], round_key: str, send: Sender) -> BroadcastResult:
        result = BroadcastResult(round_key)
        pacer = Pacer(self._rate)
        pending = await ledger.due_subscribers(self._sessions, self._cipher, round_key)
        for attempt in range(RETRY_ROUNDS + 1):
            retry: list[Subscriber] = []
            queue: asyncio.Queue[Subscriber] = asyncio.Queue()
            for subscriber in pending:
                queue.put_nowait(subscriber)
            workers = [
                asyncio.create_task(self._work(queue, tips, round_key, send, pacer, result, retry))
                for _ in range(self._concurrency)
            ]
            await asyncio.gather(*workers)
            if self._stopping.is_set():
                result.stopped = True
                break
            if not retry or attempt == RETRY_ROUNDS:
                result.failed += len(retry)
                break
            pending = retry
            await self._pause(RETRY_PAUSE_SECONDS)
        logger.info("Tip round %s: %d sent, %d blocked, %d failed, %d uncertain%s", round_key,
                    result.sent, result.blocked, result.failed, result.uncertain,
                    " (stopped)" if result.stopped else "")
        return result

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake at once when stopped."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _work(self, queue: asyncio.Queue[Subscriber], tips: Sequence[Tip],
                    round_key: str, send: Sender, pacer: Pacer, result: BroadcastResult,
                    retry: list[Subscriber]) -> None:
        while not self._stopping.is_set():
            try:
                subscriber = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            tip = next_tip(tips, subscriber.received_tip_ids)
            if tip is None:
                result.nothing_new += 1
                continue
            # The slot first, then the claim: the claim's subscription check is then as
            # fresh as it can be (an unsubscribe during the wait is seen).
            await pacer.wait()
            if self._stopping.is_set():  # stopped while waiting for the slot: not sent
                return
            claimed = await ledger.claim_delivery(
                self._sessions, user_key=subscriber.user_key, round_key=round_key, tip_id=tip.id)
            if not claimed:  # sent by someone else, or unsubscribed since the round began
                continue
            outcome = await send(subscriber.chat_id, tip.text)
            await self._settle(subscriber, round_key, outcome, result, retry)

    async def _settle(self, subscriber: Subscriber, round_key: str, outcome: SendOutcome,
                      result: BroadcastResult, retry: list[Subscriber]) -> None:
        key = subscriber.user_key
        if outcome is SendOutcome.SENT:
            result.sent += 1
            await ledger.finish_delivery(self._sessions, user_key=key, round_key=round_key,
                                         status=DeliveryStatus.SENT)
        elif outcome is SendOutcome.BLOCKED:
            result.blocked += 1
            await ledger.finish_delivery(self._sessions, user_key=key, round_key=round_key,
                                         status=DeliveryStatus.BLOCKED)
            await ledger.unsubscribe(self._sessions, user_key=key)
        elif outcome is SendOutcome.RETRY:
            await ledger.release_delivery(self._sessions, user_key=key, round_key=round_key)
            retry.append(subscriber)
        elif outcome is SendOutcome.UNCERTAIN:
            result.uncertain += 1
            await ledger.finish_delivery(self._sessions, user_key=key, round_key=round_key,
                                         status=DeliveryStatus.UNCERTAIN)
        else:  # unclear whether it arrived: keep the claim, so it is never sent twice
            result.failed += 1
