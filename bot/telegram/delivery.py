"""Nothing acknowledged is lost, nothing is answered twice: the update ledger at run time.

Every update is written to the ledger before Telegram is told it arrived (the webhook's 200, or
the next getUpdates offset), claimed with a lease by this worker, and marked handled after its
handlers ran. A worker that dies leaves leases that run out; any worker then takes the updates
over (`maintain`). A redelivered update id finds its row and is not handled again.

Replies never wait on storage: recording waits at most `ADMIT_WAIT_SECONDS`; past that (SQLite
locked, PostgreSQL frozen) the update is handled anyway, without the guarantees, and counted;
once a record is a second late, the next updates do not wait at all.
One writer task does every write in arrival order, so an update's "handled" mark is never
written before its record, and many concurrent webhook requests share one commit.

What remains: a crash between Telegram accepting a reply and the "handled" mark being committed
answers that update again after the lease runs out. The writer runs on a loop of its own
(`bot.storage.loop_thread`), so in a burst that moment is the writer's batch, not a round of the
busy main loop: scripts/measure_crash.py counts the updates answered twice per kill.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from enum import Enum
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from telegram import Update
from telegram.ext import Application, CallbackContext

from bot.settings import Settings
from bot.storage import update_ledger
from bot.storage.erasures import handling
from bot.storage.loop_thread import LoopThread
from bot.storage.models import utc_now
from bot.storage.threaded import ThreadedTransactions
from bot.storage.transactions import describe_failure
from bot.storage.update_ledger import KEY_CONTEXT, Claimed, Incoming, Lease, PayloadCipher
from bot.telegram.botdata import LEDGER_KEY, STORAGE_KEY

logger = logging.getLogger(__name__)
T = TypeVar("T")

ADMIT_WAIT_SECONDS = 0.3
"""How long an update may wait for its record before it is handled anyway."""
STALLED_AFTER_SECONDS = 1.0
"""A record this late means storage is stalled (a lock, a frozen server), not just busy (a
burst commits within `admit_wait` or a little after): updates then stop waiting for theirs."""
ACK_WAIT_SECONDS = 5.0
"""How long the webhook may hold its 200 for a record that was late (the update is handled
meanwhile; a later 200 only keeps one of Telegram's connections a little longer). Polling does
not wait: the next getUpdates would hold up new updates, emergencies included."""
DEFAULT_LEASE = timedelta(seconds=30)
MAX_ATTEMPTS = 3
"""An update whose workers died this often is given up (it may be what kills them)."""
UPDATE_ID_KEPT = timedelta(days=2)
"""Telegram keeps an unconfirmed update for 24 hours; a handled id is remembered longer."""
SWEEP_BATCH = 100
PURGE_EVERY = timedelta(hours=1)
MAX_UNFLUSHED = 100_000
"""Handled marks kept for a retry while the database refuses them; beyond, the oldest go."""


class Admission(Enum):
    HANDLE = "handle"
    """Recorded and claimed by this worker."""
    DUPLICATE = "duplicate"
    """Already handled, or being handled by a live worker: do nothing."""
    UNRECORDED = "unrecorded"
    """Storage did not answer in time: handle it anyway."""


def worker_name() -> str:
    """Unique per process: a restarted worker is a new owner and waits for old leases."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(3)}"


class ThrottledLog:
    """One log line per `interval` for a repeating problem, with how often it happened."""

    def __init__(self, log: logging.Logger, interval: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._log, self._interval, self._clock = log, interval, clock
        self._last: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}

    def warning(self, message: str, *args: object) -> None:
        now = self._clock()
        if now - self._last.get(message, -self._interval) < self._interval:
            self._suppressed[message] = self._suppressed.get(message, 0) + 1
            return
        self._last[message] = now
        again = self._suppressed.pop(message, 0)
        suffix = f" (and {again} more times since the last report)" if again else ""
        self._log.warning(message + suffix, *args)


Deliver = Callable[[int, str | None], Awaitable[bool]]
"""Hands a taken-over update (id, JSON) to the application; False when it cannot be parsed."""


class UpdateLedger:
    """Admission, handled marks and lease upkeep for one worker. Without an engine (storage not
    open) every update is simply handled."""

    def __init__(self, *, owner: str | None = None, lease: timedelta = DEFAULT_LEASE,
                 admit_wait: float = ADMIT_WAIT_SECONDS,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.owner = owner or worker_name()
        self.lease_length, self.admit_wait, self._clock = lease, admit_wait, clock
        self.engine: AsyncEngine | None = None
        self._threaded: ThreadedTransactions | None = None
        self.unrecorded = 0
        """Updates handled without a record because storage failed or did not answer in time."""
        self.late = 0
        """Updates handled before their record was written (storage slower than admit_wait)."""
        self._late: dict[asyncio.Future[set[int] | None], tuple[tuple[int, ...], float]] = {}
        """Records still being written after `admit_wait` (their updates are being handled):
        the update ids each holds and since when, oldest first."""
        self.duplicates = 0
        self.taken_over = 0
        self._handling: set[int] = set()
        """Ids this worker handles and has not marked handled yet."""
        self._marking: set[int] = set()
        """Ids handled here whose mark is not committed yet: never taken over meanwhile."""
        self._writer: LoopThread | None = None
        """Where every ledger transaction runs (`bot.storage.loop_thread`)."""
        self._main_loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[tuple[str, object]] = asyncio.Queue()
        """The writer's, on its loop: filled through `_enqueue` only."""
        self._enqueued = self._written = 0
        self._unflushed: list[int] = []
        self._writing = False
        self._tasks: list[asyncio.Task[None]] = []
        self._write_loop_future: concurrent.futures.Future[None] | None = None
        self._cipher: PayloadCipher | None = None
        self._throttled = ThrottledLog(logger)

    @property
    def recording(self) -> bool:
        return self.engine is not None

    def attach(self, engine: AsyncEngine, cipher: PayloadCipher, deliver: Deliver, *,
               threaded: ThreadedTransactions | None = None) -> None:
        """Start recording into `engine` (its own; `close` disposes of it) and taking over
        abandoned updates. With `threaded` (a SQLite file) every transaction runs whole in its
        thread instead: through a busy event loop a record of 100 updates took longer than
        `admit_wait` (`bot.storage.threaded`). The writer and every transaction run on a loop
        of their own, so a mark is committed while the main loop is still busy answering."""
        self.engine, self._cipher, self._threaded = engine, cipher, threaded
        self._main_loop = asyncio.get_running_loop()
        self._writer = LoopThread("update-ledger")
        self._write_loop_future = self._writer.submit(self._write_loop())
        self._tasks = [asyncio.create_task(self._maintain_loop(deliver), name="ledger-upkeep")]

    def _lease(self) -> Lease:
        return Lease(self.owner, self._clock(), self.lease_length)

    def _enqueue(self, kind: str, value: object) -> None:
        assert self._writer is not None
        self._enqueued += 1
        self._writer.call(self._queue.put_nowait, (kind, value))

    async def _transaction(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """`work(connection)` in one transaction, committed (in the thread, if there is one).
        Runs on the writer's loop."""
        if self._threaded is not None:
            return await self._threaded.connection_work(work)
        assert self.engine is not None
        async with self.engine.begin() as connection:
            return await work(connection)

    async def _transaction_from_main(self, work: Callable[[AsyncConnection], Awaitable[T]]
                                     ) -> T:
        assert self._writer is not None
        return await self._writer.run(self._transaction(work))

    # -- admission -------------------------------------------------------------------------

    async def admit(self, incoming: Sequence[Incoming]) -> dict[int, Admission]:
        """Record `incoming` (waiting at most `admit_wait`) and say what to do with each."""
        if not incoming:
            return {}
        if self.engine is None:
            return {item.update_id: Admission.HANDLE for item in incoming}
        written: concurrent.futures.Future[set[int] | None] = concurrent.futures.Future()
        self._enqueue("admit", (incoming, written))
        decided = asyncio.wrap_future(written)
        wait = 0.0 if self._stalled() else self.admit_wait
        try:
            claimed = await asyncio.wait_for(asyncio.shield(decided), wait)
        except TimeoutError:
            if decided.done():  # recorded just as the wait ran out: not late, not lost
                claimed = decided.result()
            else:
                claimed = None
                self.late += len(incoming)
                ids = tuple(item.update_id for item in incoming)
                self._late[decided] = (ids, time.monotonic())
                decided.add_done_callback(self._settle)
        if claimed is None:
            if decided.done():  # the write failed outright
                self._count_unrecorded(len(incoming))
            outcome = dict.fromkeys((item.update_id for item in incoming), Admission.UNRECORDED)
        else:
            outcome = {item.update_id: Admission.HANDLE if item.update_id in claimed
                       else Admission.DUPLICATE for item in incoming}
        self.duplicates += sum(a is Admission.DUPLICATE for a in outcome.values())
        self._handling.update(i for i, a in outcome.items() if a is not Admission.DUPLICATE)
        return outcome

    def unconfirmed_from(self, offset: int | None) -> int | None:
        """The getUpdates offset that leaves every update whose record is late with Telegram:
        a worker killed before the record lands leaves them to the next one (answered twice
        at worst, never lost). Not once storage is stalled: the updates behind them (an
        emergency among them) would wait for the lock."""
        if not self._late or self._stalled() or offset is None:
            return offset
        return min(offset, *(min(ids) for ids, _ in self._late.values()))

    def _stalled(self) -> bool:
        """A record late for STALLED_AFTER_SECONDS: the next ones queue behind it, and waiting
        for each would add `admit_wait` to every poll, emergencies in it included."""
        oldest = next(iter(self._late.values()), None)
        return oldest is not None and time.monotonic() - oldest[1] >= STALLED_AFTER_SECONDS

    async def wait_recorded(self, timeout: float) -> None:
        """Wait (at most `timeout`) for the records that were late: the webhook holds its 200
        until then, as the update is being handled meanwhile."""
        if self._late:
            await asyncio.wait(set(self._late), timeout=timeout)

    def _settle(self, decided: asyncio.Future[set[int] | None]) -> None:
        ids, _ = self._late.pop(decided, ((), 0.0))
        if decided.result() is None:
            self._count_unrecorded(len(ids))

    def _count_unrecorded(self, count: int) -> None:
        self.unrecorded += count
        self._throttled.warning("Update ledger could not record in time: %d updates handled "
                                "without a record so far", self.unrecorded)

    def take_over(self, update_id: int) -> bool:
        """Note a taken-over update as handled by this worker; False if it is or was here."""
        if update_id in self._handling or update_id in self._marking:
            return False
        self._handling.add(update_id)
        self.taken_over += 1
        return True

    def handled(self, update_id: int) -> None:
        """The update's handlers ran: mark it (in the background; replies never wait)."""
        if update_id in self._handling:
            self._handling.discard(update_id)
            if self.engine is not None:
                self._marking.add(update_id)
                self._enqueue("handled", update_id)

    # -- the writer ------------------------------------------------------------------------

    async def _write_loop(self) -> None:
        while True:
            wait = 1.0 if self._unflushed else None
            try:
                first = await asyncio.wait_for(self._queue.get(), wait)
                batch = [first]
            except TimeoutError:
                batch = []
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            self._writing = True
            try:
                await self._write(batch)
            finally:
                self._written += len(batch)
                self._writing = False

    async def _write(self, batch: list[tuple[str, object]]) -> None:
        """Admissions first, then handled marks: a mark in this batch belongs to an update whose
        admission is in this batch or an earlier one."""
        assert self.engine is not None
        admissions = [value for kind, value in batch if kind == "admit"]
        self._unflushed += [value for kind, value in batch if kind == "handled"]  # type: ignore[misc]
        if admissions:
            await self._write_admissions(admissions)  # type: ignore[arg-type]
        if self._unflushed:
            marks, self._unflushed = self._unflushed, []
            try:
                await self._transaction(
                    lambda connection: update_ledger.mark_handled(connection, sorted(marks)))
            except Exception as error:
                self._unflushed = (marks + self._unflushed)[-MAX_UNFLUSHED:]
                self._throttled.warning("Could not mark %d updates handled (%s); retrying",
                                        len(self._unflushed), describe_failure(error))
            else:
                assert self._main_loop is not None
                self._main_loop.call_soon_threadsafe(self._marking.difference_update, marks)

    async def _write_admissions(
            self, admissions: list[tuple[Sequence[Incoming],
                                         concurrent.futures.Future[set[int] | None]]]
    ) -> None:
        assert self.engine is not None and self._cipher is not None
        seen: set[int] = set()
        unique = []
        for incoming, _ in admissions:
            for item in incoming:
                if item.update_id not in seen:
                    seen.add(item.update_id)
                    unique.append(Incoming(item.update_id, self._cipher.seal(item.payload)))
        lease = self._lease()
        try:
            claimed = await self._transaction(
                lambda connection: update_ledger.admit(connection, unique, lease))
        except Exception as error:
            self._throttled.warning("Could not record updates (%s)", describe_failure(error))
            for _, decided in admissions:
                if not decided.done():
                    decided.set_result(None)
            return
        for incoming, decided in admissions:
            mine = {item.update_id for item in incoming} & claimed
            claimed -= mine  # an id posted twice at once is handled by the first post only
            if not decided.done():
                decided.set_result(mine)

    # -- upkeep: renew own leases, take over abandoned updates, forget old ids -------------

    async def _maintain_loop(self, deliver: Deliver) -> None:
        interval = self.lease_length.total_seconds() / 3
        last_purge = float("-inf")
        while True:
            await asyncio.sleep(interval)
            try:
                await self.maintain(deliver)
                if time.monotonic() - last_purge > PURGE_EVERY.total_seconds():
                    await self.purge()
                    last_purge = time.monotonic()
            except Exception as error:
                self._throttled.warning("Update ledger upkeep failed (%s)", describe_failure(error))

    async def maintain(self, deliver: Deliver) -> int:
        """Renew this worker's leases, then take over updates whose worker stopped; returns
        how many were taken over."""
        if self.engine is None:
            return 0
        lease, mine = self._lease(), sorted(self._handling | self._marking)

        async def upkeep(connection: AsyncConnection) -> list[Claimed]:
            await update_ledger.renew(connection, mine, lease)
            stale = await update_ledger.abandoned(connection, lease.now, SWEEP_BATCH)
            return await update_ledger.claim_expired(connection, stale, lease)

        claims = await self._transaction_from_main(upkeep)
        count = 0
        for claim in sorted(claims, key=lambda c: c.update_id):
            if not self.take_over(claim.update_id):
                continue
            if claim.attempts > MAX_ATTEMPTS:
                logger.error("Update %d given up after %d attempts by stopped workers",
                             claim.update_id, claim.attempts - 1)
                self.handled(claim.update_id)
            elif not await deliver(claim.update_id, self._open(claim.payload)):
                self.handled(claim.update_id)
            else:
                count += 1
        if count:
            logger.warning("Took over %d updates left unhandled by a stopped worker", count)
        return count

    def _open(self, sealed: str | None) -> str | None:
        return self._cipher.open(sealed) if sealed and self._cipher else None

    async def purge(self) -> int:
        if self.engine is None:
            return 0
        before = self._clock() - UPDATE_ID_KEPT
        return await self._transaction_from_main(
            lambda connection: update_ledger.purge_handled(connection, before))

    async def close(self) -> None:
        """Write what is queued (handled marks above all), then stop the tasks and the
        writer's loop."""
        if self._writer is None:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._drain(), 5)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        if self._write_loop_future is not None:
            self._write_loop_future.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wrap_future(self._write_loop_future)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._writer.run(self._dispose()), 5)
        await asyncio.to_thread(self._writer.stop)
        self._writer, self.engine, self._threaded = None, None, None

    async def _dispose(self) -> None:
        if self._threaded is not None:
            await self._threaded.close()
        if self.engine is not None:
            await self.engine.dispose()

    async def _drain(self) -> None:
        while self._written < self._enqueued or self._unflushed or self._writing:
            await asyncio.sleep(0.01)


class DeliveryApplication(Application):  # type: ignore[type-arg]
    """PTB's Application that marks each update handled in the ledger once its handlers ran
    (also when one failed: the error handler has answered, and a retry would fail the same).
    What its handlers store was caused when handling began (`bot.storage.erasures`)."""

    async def process_update(self, update: object) -> None:
        try:
            with handling(utc_now()):
                await super().process_update(update)
        finally:
            ledger = getattr(self.bot, "ledger", None)
            if isinstance(update, Update) and isinstance(ledger, UpdateLedger):
                ledger.handled(update.update_id)


def replied(context: CallbackContext, update: Update) -> None:  # type: ignore[type-arg]
    """The answer is out: mark the update handled now, not after the recording that follows,
    so a crash while storage is slow does not answer it again."""
    ledger = context.bot_data.get(LEDGER_KEY)
    if isinstance(ledger, UpdateLedger):
        ledger.handled(update.update_id)


LEDGER_POOL = {"pool_size": 2, "max_overflow": 2}
"""The ledger's own connections (one on SQLite), so recording an update or marking it handled
never queues behind storage's writes: sharing storage's one SQLite connection delayed the marks
behind every reply's recording, and a crash then answered about 200 of 500 updates twice
(tests/telegram/test_crash.py)."""


def start_update_ledger(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Record updates from now on (storage is open, so the ledger's table exists)."""
    from bot.storage.database import SQLITE_POOL, create_engine_for, create_threaded_sqlite

    ledger = application.bot_data.get(LEDGER_KEY)
    if not isinstance(ledger, UpdateLedger) or ledger.recording:
        return
    storage = application.bot_data[STORAGE_KEY]
    sqlite = settings.database_url.startswith("sqlite")
    engine = create_engine_for(settings.database_url, **(SQLITE_POOL if sqlite else LEDGER_POOL))
    bot = application.bot

    async def deliver(update_id: int, payload: str | None) -> bool:
        update = bot.parse(json.loads(payload)) if payload else None  # type: ignore[attr-defined]
        if update is None:
            return False
        await application.update_queue.put(update)
        return True

    ledger.attach(engine, PayloadCipher(storage.keys.derived_key(KEY_CONTEXT)), deliver,
                  threaded=create_threaded_sqlite(settings.database_url))


async def stop_update_ledger(application: Application) -> None:  # type: ignore[type-arg]
    """After the application stopped (every handler finished): write the last handled marks."""
    ledger = application.bot_data.get(LEDGER_KEY)
    if isinstance(ledger, UpdateLedger):
        await ledger.close()
