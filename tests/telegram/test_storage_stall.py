"""A stalled database (another connection holds it still, as a backup tool or a long migration
does) while people write, one of them in danger: replies do not wait for storage, the emergency
is answered within a second, and the records are written once the lock goes.

On SQLite the lock is the file's write lock; on PostgreSQL an ACCESS EXCLUSIVE lock on every
table, so the bot's reads (the safe-mode lookup, the update ledger) wait as well as its writes.
The lock lasts STALL_SECONDS (default 20 s, the review's case: on SQLite past the 5 s busy
timeout, so writes really fail and are retried; PostgreSQL's just wait).
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.settings import Settings
from bot.storage.database import SQLITE_BUSY_TIMEOUT_MS
from bot.storage.models import MessageEvent, utc_now
from bot.telegram.botdata import LATE_LOOKUPS_KEY, SAFE_MODE_KEY, SETTINGS_KEY, STORAGE_KEY
from bot.telegram.conversation import LATE_LOOKUPS_AT_MOST
from tests.storage.stalls import database_locked
from tests.telegram.conftest import RunningBot

STALL_SECONDS = float(os.environ.get("STALL_SECONDS", "20"))
USERS = 10
"""Each writes once a second: 10 messages/s, the review's load."""
FIRST_CHAT = 5_100_000
EMERGENCY_EVERY = 1.5
EMERGENCY = "tolong saya disekap majikan tidak bisa keluar"
RETENTION_STALL_SECONDS = SQLITE_BUSY_TIMEOUT_MS / 1000 + 1.5
"""Past SQLite's busy timeout: there the retention job meets a refusal, not only a wait."""


async def _answered_after(bot: RunningBot, chat_id: int, text: str) -> float:
    """Seconds from sending `text` in a new chat to the stand-in receiving the bot's reply."""
    sent = time.monotonic()
    await bot.api.push(bot.api.updates.text(text, chat_id=chat_id))
    await bot.api.wait_for(lambda: bool(bot.api.sent_to(chat_id)), timeout=STALL_SECONDS + 60)
    return bot.api.sent_to(chat_id)[0].received_at - sent


async def test_an_emergency_is_answered_within_a_second_while_storage_is_locked(
    bot: RunningBot,
) -> None:
    settings: Settings = bot.application.bot_data[SETTINGS_KEY]
    storage = bot.application.bot_data[STORAGE_KEY]
    questions = 0

    async def person(n: int, until: float) -> None:
        nonlocal questions
        while time.monotonic() < until:
            questions += 1
            await bot.api.push(bot.api.updates.text("apa itu tppo", chat_id=FIRST_CHAT + n))
            await asyncio.sleep(1.0)

    async with database_locked(settings.database_url) as release:
        written_before = storage.writer.stats.written
        locked_at = time.monotonic()
        until = locked_at + STALL_SECONDS
        people = asyncio.gather(*(person(n, until) for n in range(USERS)))
        latencies, chat = [], FIRST_CHAT + 1000
        while time.monotonic() + EMERGENCY_EVERY < until:
            await asyncio.sleep(EMERGENCY_EVERY)
            chat += 1
            latencies.append(await _answered_after(bot, chat, EMERGENCY))
        await people
        written_during_lock = storage.writer.stats.written - written_before
        release()
    await bot.written()

    assert written_during_lock == 0  # the database really held every write back meanwhile
    assert len(latencies) >= 3 and max(latencies) < 1.0, latencies
    assert [n for n in range(USERS) if not bot.api.sent_to(FIRST_CHAT + n)] == []
    assert storage.writer.stats.dropped == 0
    async with storage.session_factory() as session:
        events = await session.scalar(select(func.count()).select_from(MessageEvent))
    assert events == questions + len(latencies)  # nothing lost, only late
    print(f"\nlock {STALL_SECONDS:.0f} s, {USERS} msg/s: emergency replies "
          f"max {max(latencies) * 1000:.0f} ms, median "
          f"{sorted(latencies)[len(latencies) // 2] * 1000:.0f} ms over {len(latencies)}")


async def test_retention_in_a_locked_database_neither_holds_replies_nor_loses_records(
    bot: RunningBot, caplog: pytest.LogCaptureFixture,
) -> None:
    settings: Settings = bot.application.bot_data[SETTINGS_KEY]
    storage = bot.application.bot_data[STORAGE_KEY]
    expired = utc_now() - timedelta(days=settings.event_retention_days, hours=1)
    async with storage.session_factory() as session, session.begin():
        session.add_all([MessageEvent(user_key=storage.keys.key_for(FIRST_CHAT), created_at=when,
                                      intent="faq", faq_id=None, score_band="high")
                         for when in (expired, utc_now())])
    [retention] = bot.application.job_queue.get_jobs_by_name("retention")

    async with database_locked(settings.database_url) as release:
        purging = asyncio.create_task(retention.run(bot.application))
        until, latencies, chat = time.monotonic() + RETENTION_STALL_SECONDS, [], FIRST_CHAT
        while time.monotonic() < until:
            chat += 1
            latencies.append(await _answered_after(bot, chat, EMERGENCY))
        release()
    await asyncio.wait_for(purging, 10)  # it finished or gave up: it does not hang
    await retention.run(bot.application)  # the next day's run, had this one given up
    await bot.written()

    assert max(latencies) < 1.0, latencies
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []  # no traceback
    async with storage.session_factory() as session:
        kept = list(await session.scalars(select(MessageEvent.created_at)))
    assert min(kept) > expired
    assert len(kept) == 1 + len(latencies)  # the recent event and every emergency's


async def test_stalled_safe_mode_lookups_stop_at_a_few_and_replies_go_out_silently(
    bot: RunningBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    lookups, unstalled = [], asyncio.Event()

    async def stalled_touch(*, user_id: int) -> bool:
        lookups.append(user_id)
        await unstalled.wait()  # as a query on a locked table waits, holding its connection
        return False

    monkeypatch.setattr(bot.application.bot_data[SAFE_MODE_KEY], "touch", stalled_touch)
    chats = range(FIRST_CHAT, FIRST_CHAT + 3 * LATE_LOOKUPS_AT_MOST)
    for chat in chats:
        await bot.push(bot.api.updates.text("apa itu tppo", chat_id=chat))
    assert len(lookups) == LATE_LOOKUPS_AT_MOST
    assert [bot.api.sent_to(chat)[-1].params.get("disable_notification") for chat in chats] == [
        True] * len(chats)

    unstalled.set()
    late = bot.application.bot_data[LATE_LOOKUPS_KEY]
    await asyncio.wait_for(asyncio.gather(*late), 1)
    await bot.push(bot.api.updates.text("apa itu tppo", chat_id=chats[-1] + 1))
    assert len(lookups) == LATE_LOOKUPS_AT_MOST + 1  # looked up again once the stall is over
    assert not bot.api.sent_to(chats[-1] + 1)[-1].params.get("disable_notification")
