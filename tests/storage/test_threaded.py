"""SQLite transactions in a thread of their own: the recorder's own work runs there unchanged,
a deletion still follows the writes queued before it, and a batch commits while the event loop
is kept busy (through aiosqlite it waited for the loop at every statement)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Generator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.database import create_threaded_sqlite
from bot.storage.keys import PseudonymousKeys
from bot.storage.models import MessageEvent
from bot.storage.recorder import InteractionRecorder
from bot.storage.threaded import ThreadedTransactions, finished
from bot.storage.write_behind import WriteBehind
from tests.storage.conftest import FakeClock, TestDatabase
from tests.storage.samples import faq_reply

USER = 4242


@pytest.fixture
async def threaded(empty_database: TestDatabase, engine: object
                   ) -> AsyncIterator[ThreadedTransactions]:
    if not empty_database.is_sqlite:
        pytest.skip("the threaded path is for SQLite files")
    transactions = create_threaded_sqlite(empty_database.url)
    assert transactions is not None
    yield transactions
    await transactions.close()


async def _events(session_factory: async_sessionmaker[AsyncSession]) -> int:
    async with session_factory() as session:
        return await session.scalar(select(func.count()).select_from(MessageEvent)) or 0


async def test_writes_and_a_later_deletion_keep_their_order(
    session_factory: async_sessionmaker[AsyncSession], keys: PseudonymousKeys,
    clock: FakeClock, threaded: ThreadedTransactions,
) -> None:
    writer = WriteBehind(session_factory, threaded=threaded)
    writer.start()
    recorder = InteractionRecorder(session_factory, keys, clock=clock, writer=writer)
    try:
        for _ in range(250):  # more than one batch
            await recorder.record_reply(user_id=USER, text="x", reply=faq_reply("modus"))
        await recorder.remember_sent_messages(user_id=USER, message_ids=[1, 2, 2, 3])
        assert await recorder.recent_message_ids(user_id=USER) == [1, 2, 3]
        assert await _events(session_factory) == 250
        assert await recorder.delete_user_data(user_id=USER) == 253
        assert await _events(session_factory) == 0
    finally:
        await writer.close()
    assert writer.stats.dropped == 0


async def test_a_batch_commits_while_the_loop_is_busy(
    session_factory: async_sessionmaker[AsyncSession], clock: FakeClock,
    threaded: ThreadedTransactions,
) -> None:
    async def work(session: AsyncSession) -> None:
        session.add(MessageEvent(user_key="k", created_at=clock(), intent="faq",
                                 faq_id="modus", score_band="high"))
        await session.execute(select(func.count()).select_from(MessageEvent))

    committed = asyncio.ensure_future(threaded.session_work([work] * 100))
    rounds = 0
    while not committed.done():  # a loop busy for 20 ms each time it comes round
        await asyncio.sleep(0)
        time.sleep(0.02)
        rounds += 1
    await committed
    # Through aiosqlite each of the 200 statements would have waited for a round.
    assert rounds < 50
    assert await _events(session_factory) == 100


class _Pause:
    """Suspends once, as anything but the database (a sleep, a lock) would."""

    def __await__(self) -> Generator[None, None, None]:
        yield


def test_work_that_waits_for_something_else_is_refused() -> None:
    async def pauses(session: object) -> None:
        await _Pause()

    with pytest.raises(RuntimeError, match="other than the database"):
        finished(pauses(None))
