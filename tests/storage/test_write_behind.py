"""The write-behind queue: nothing overtakes a deletion, a stalled database drops nothing that
fits in the queue, what does not fit is counted, and callers waiting for a result are bounded."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.keys import PseudonymousKeys
from bot.storage.models import Feedback, MessageEvent
from bot.storage.recorder import DELETE_FAILED, InteractionRecorder
from bot.storage.write_behind import WriteBehind
from tests.storage.conftest import FakeClock, TestDatabase
from tests.storage.samples import faq_reply
from tests.storage.stalls import database_locked, sqlite_write_lock

USER = 4242


async def _events(session_factory: async_sessionmaker[AsyncSession]) -> int:
    async with session_factory() as session:
        return await session.scalar(select(func.count()).select_from(MessageEvent)) or 0


@pytest.fixture
async def writer(session_factory: async_sessionmaker[AsyncSession]) -> WriteBehind:
    queue = WriteBehind(session_factory)
    queue.start()
    yield queue
    await queue.close()


def _buffered(session_factory: async_sessionmaker[AsyncSession], keys: PseudonymousKeys,
              clock: FakeClock, writer: WriteBehind) -> InteractionRecorder:
    return InteractionRecorder(session_factory, keys, clock=clock, writer=writer)


async def test_a_deletion_is_never_overtaken_by_an_earlier_write(
    session_factory: async_sessionmaker[AsyncSession], keys: PseudonymousKeys,
    clock: FakeClock, writer: WriteBehind,
) -> None:
    recorder = _buffered(session_factory, keys, clock, writer)
    for _ in range(250):  # more than one batch
        await recorder.record_reply(user_id=USER, text="x", reply=faq_reply("modus"))
    assert writer.stats.pending > 0  # queued, not written: the reply did not wait
    deleted = await recorder.delete_user_data(user_id=USER)
    assert deleted == 250
    assert await _events(session_factory) == 0
    assert writer.stats.dropped == 0


async def test_a_full_queue_drops_and_counts(
    session_factory: async_sessionmaker[AsyncSession], keys: PseudonymousKeys, clock: FakeClock,
) -> None:
    queue = WriteBehind(session_factory, capacity=10)  # not started: nothing is written yet
    recorder = _buffered(session_factory, keys, clock, queue)
    accepted = [await recorder.record_feedback(user_id=USER + n, faq_id="modus", helpful=True)
                for n in range(15)]
    assert accepted == [True] * 10 + [False] * 5
    assert queue.stats.dropped == 5
    queue.start()
    await queue.close()
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Feedback)) == 10


async def test_a_stalled_database_delays_writes_but_loses_none(
    empty_database: TestDatabase, session_factory: async_sessionmaker[AsyncSession],
    keys: PseudonymousKeys, clock: FakeClock,
) -> None:
    if not empty_database.is_sqlite:
        pytest.skip("holds SQLite's file lock")
    engine = empty_database.engine(sqlite_busy_timeout_ms=200)  # fail fast, then retry
    fast_failing = async_sessionmaker(engine, expire_on_commit=False)
    queue = WriteBehind(fast_failing)
    queue.start()
    recorder = _buffered(fast_failing, keys, clock, queue)
    try:
        with sqlite_write_lock(empty_database.sqlite_path) as release:
            for _ in range(20):
                await recorder.record_reply(user_id=USER, text="x", reply=faq_reply("modus"))
            await asyncio.sleep(1.0)
            assert queue.stats.failing and queue.stats.pending > 0
            release.set()
            assert await queue.flush(10)
        assert not queue.stats.failing
        assert queue.stats.dropped == 0
        assert await _events(session_factory) == 20
    finally:
        await queue.close()
        await engine.dispose()


async def test_a_caller_waits_a_bounded_time_and_its_work_is_then_abandoned(
    empty_database: TestDatabase, session_factory: async_sessionmaker[AsyncSession],
    keys: PseudonymousKeys, clock: FakeClock, writer: WriteBehind,
) -> None:
    recorder = _buffered(session_factory, keys, clock, writer)
    async with database_locked(empty_database.url,
                               **empty_database.engine_options) as release:
        await recorder.record_reply(user_id=USER, text="x", reply=faq_reply("modus"))
        await asyncio.sleep(0.2)  # the writer now waits for the lock with that record
        started = asyncio.get_running_loop().time()
        result = await writer.call("delete_user_data", _delete_all, DELETE_FAILED, timeout=0.5)
        assert result == DELETE_FAILED
        assert asyncio.get_running_loop().time() - started < 2
        release()
    assert await writer.flush(15)
    assert await _events(session_factory) == 1  # the user was told "coba lagi": not deleted


async def _delete_all(session: AsyncSession) -> int:
    await session.execute(delete(MessageEvent))
    return 1


async def test_close_writes_what_is_queued(
    session_factory: async_sessionmaker[AsyncSession], keys: PseudonymousKeys, clock: FakeClock,
) -> None:
    queue = WriteBehind(session_factory)
    queue.start()
    recorder = _buffered(session_factory, keys, clock, queue)
    for _ in range(30):
        await recorder.record_reply(user_id=USER, text="x", reply=faq_reply("modus"))
    await queue.close(timeout=5)
    assert await _events(session_factory) == 30
    assert not await recorder.record_reply(user_id=USER, text="x", reply=faq_reply("modus"))
    assert queue.stats.dropped == 1  # after close: refused and counted


async def test_a_follow_up_gets_the_committed_result_and_a_failing_one_stops_nothing(
    session_factory: async_sessionmaker[AsyncSession], writer: WriteBehind,
) -> None:
    results: list[int] = []

    async def count(session: AsyncSession) -> int:
        return await session.scalar(select(func.count()).select_from(MessageEvent)) or 0

    def broken(result: int) -> None:
        raise RuntimeError("a bug in a follow-up")

    assert writer.submit("count", count, then=broken)
    assert writer.submit("count", count, then=results.append)
    assert await writer.flush()
    assert results == [0]
    assert writer.stats.written == 2 and writer.stats.dropped == 0


async def test_a_dropped_write_has_no_follow_up(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    queue = WriteBehind(session_factory, capacity=1)  # not started: the second does not fit
    called: list[object] = []

    async def nothing(session: AsyncSession) -> None:
        return None

    assert queue.submit("first", nothing, then=called.append)
    assert not queue.submit("second", nothing, then=called.append)
    assert called == [] and queue.stats.dropped == 1
    queue.start()
    assert await queue.flush()
    assert called == [None]  # the first, once written
    await queue.close()
