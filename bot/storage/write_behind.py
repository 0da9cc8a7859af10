"""Storage writes off the reply's path: a bounded queue, one writer task, batched transactions.

A stalled database (a backup holding SQLite's lock, a frozen PostgreSQL) held every reply,
emergencies included, while handlers awaited their writes (docs/PERFORMANCE.md, review F2).
Now a handler only queues its write and returns. One writer takes what is queued, oldest
first, and commits it in batches, so a deletion queued after a write always runs after it.
While the database fails, the writer keeps retrying the same batch for a while; the queue
absorbs the backlog, and what does not fit is dropped and counted (`/healthz` shows it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import exc
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.threaded import ThreadedTransactions
from bot.storage.transactions import describe_failure

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[AsyncSession], Awaitable[Any]]

CAPACITY = 10_000
"""Records waiting at most: several minutes of a busy bot, a few megabytes."""
BATCH_SIZE = 200
RETRY_FOR_SECONDS = 60.0
"""How long one batch is retried while the database is unavailable before it is dropped."""
FIRST_RETRY_SECONDS = 0.25
MAX_RETRY_SECONDS = 5.0
RESULT_WAIT_SECONDS = 5.0
"""How long a caller that needs the outcome (a deletion, a subscription) waits for it."""
FLUSH_SECONDS = 5.0
"""How long shutdown waits for the queue to be written."""


@dataclass
class _Job:
    operation: str
    work: Work
    outcome: asyncio.Future[Any] | None = None
    failed: Any = None
    then: Callable[[Any], None] | None = None
    """Told the result once committed, when a queued write's result still matters."""

    @property
    def abandoned(self) -> bool:
        """The caller stopped waiting: it was told "coba lagi", so the work must not happen."""
        return self.outcome is not None and self.outcome.done()


@dataclass
class WriteStats:
    """What /healthz shows about the queue."""

    pending: int = 0
    written: int = 0
    dropped: int = 0
    failing: bool = False


@dataclass
class WriteBehind:
    """Queue writes with `submit` (never waits) or `call` (waits, bounded, for the result)."""

    session_factory: async_sessionmaker[AsyncSession]
    capacity: int = CAPACITY
    batch_size: int = BATCH_SIZE
    retry_for: float = RETRY_FOR_SECONDS
    clock: Callable[[], float] = time.monotonic
    threaded: ThreadedTransactions | None = None
    """SQLite files: batches run whole in a thread (`bot.storage.threaded`), so a busy event
    loop does not hold the database's write lock."""
    stats: WriteStats = field(default_factory=WriteStats)
    _queue: asyncio.Queue[_Job] = field(init=False)
    _task: asyncio.Task[None] | None = field(default=None, init=False)
    _closed: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self._queue = asyncio.Queue(self.capacity)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._write_forever(), name="storage-writer")

    def submit(self, operation: str, work: Work, *,
               then: Callable[[Any], None] | None = None) -> bool:
        """Queue `work`; False (counted as dropped) when the queue is full or closed. `then`
        is called with its result once committed (never for a dropped write)."""
        return self._put(_Job(operation, work, then=then))

    async def call(self, operation: str, work: Callable[[AsyncSession], Awaitable[T]],
                   failed: T, *, timeout: float = RESULT_WAIT_SECONDS) -> T:
        """Run `work` after every write queued before it; `failed` when the database failed
        or did not answer within `timeout` (then the work is abandoned, not run later)."""
        outcome: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        if not self._put(_Job(operation, work, outcome, failed)):
            return failed
        try:
            return await asyncio.wait_for(asyncio.shield(outcome), timeout)
        except TimeoutError:
            outcome.cancel()
            log.warning("storage %s waited %.0f s; told the user to try again", operation,
                        timeout)
            return failed

    async def flush(self, timeout: float = FLUSH_SECONDS) -> bool:
        """Wait until everything queued so far is written (or dropped); False on timeout."""
        try:
            await asyncio.wait_for(self._queue.join(), timeout)
        except TimeoutError:
            return False
        return True

    async def close(self, timeout: float = FLUSH_SECONDS) -> None:
        """Write what is queued, waiting at most `timeout`; count the rest as dropped."""
        self._closed = True
        if self._task is None:
            return
        await self.flush(timeout)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        left = self._queue.qsize()
        if left:
            self.stats.dropped += left
            log.error("storage writer stopped with %d records unwritten", left)

    def _put(self, job: _Job) -> bool:
        if self._closed:
            self._drop(job, "the bot is stopping")
            return False
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            self._drop(job, "the write queue is full")
            return False
        self.stats.pending = self._queue.qsize()
        return True

    def _drop(self, job: _Job, why: str) -> None:
        self.stats.dropped += 1
        if self.stats.dropped == 1 or self.stats.dropped % 1000 == 0:
            log.error("storage dropped %d records so far (%s; last: %s)", self.stats.dropped,
                      why, job.operation)
        if job.outcome is not None and not job.outcome.done():
            job.outcome.set_result(job.failed)

    async def _write_forever(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.batch_size and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._write(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()
                self.stats.pending = self._queue.qsize()

    async def _write(self, batch: list[_Job]) -> None:
        deadline, delay = self.clock() + self.retry_for, FIRST_RETRY_SECONDS
        while jobs := [job for job in batch if not job.abandoned]:
            try:
                results = await self._transaction(jobs)
            except Exception as error:
                if not _unavailable(error):
                    await self._one_by_one(jobs)
                    return
                self._note_failing(error)
                if self.clock() + delay > deadline:
                    for job in jobs:
                        self._drop(job, f"database unavailable for {self.retry_for:.0f} s")
                    return
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)
                continue
            self._note_working()
            for job, result in zip(jobs, results, strict=True):
                self._settle(job, result)
            return

    async def _transaction(self, jobs: list[_Job]) -> list[Any]:
        if self.threaded is not None:
            return await self.threaded.session_work([job.work for job in jobs])
        async with self.session_factory() as session, session.begin():
            return [await job.work(session) for job in jobs]

    async def _one_by_one(self, jobs: list[_Job]) -> None:
        """One bad record (a constraint, a value too long) must not take its batch with it."""
        for job in jobs:
            try:
                [result] = await self._transaction([job])
            except Exception as error:
                log.warning("storage %s failed: %s", job.operation, describe_failure(error))
                self._drop(job, "the database refused it")
                continue
            self._settle(job, result)

    def _settle(self, job: _Job, result: Any) -> None:
        self.stats.written += 1
        if job.outcome is not None and not job.outcome.done():
            job.outcome.set_result(result)
        if job.then is not None:
            try:
                job.then(result)
            except Exception:  # the writer must go on writing everyone else's records
                log.exception("storage %s: the follow-up failed", job.operation)

    def _note_failing(self, error: BaseException) -> None:
        if not self.stats.failing:
            self.stats.failing = True
            log.error("storage writes are failing (%s); retrying, replies are not affected",
                      describe_failure(error))

    def _note_working(self) -> None:
        if self.stats.failing:
            self.stats.failing = False
            log.warning("storage writes work again")


def _unavailable(error: BaseException) -> bool:
    """Locked, unreachable, timed out: worth retrying the same batch later."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (exc.OperationalError, exc.InterfaceError, exc.TimeoutError,
                              OSError, TimeoutError))
