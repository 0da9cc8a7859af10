"""The update ledger through the real stack: a replayed update is not answered again, an
abandoned one is taken over, an unreadable one is skipped, and a locked database delays no one."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from telegram.ext import Application

from bot.engine.engine import Engine
from bot.settings import Settings
from bot.storage import update_ledger
from bot.storage.models import UpdateRecord, utc_now
from bot.storage.update_ledger import KEY_CONTEXT, Incoming, Lease, PayloadCipher
from bot.telegram.app import build_application
from bot.telegram.botdata import LEDGER_KEY, STORAGE_KEY
from bot.telegram.delivery import STALLED_AFTER_SECONDS, UpdateLedger
from bot.telegram.fetching import DeliveryBot
from bot.telegram.runner import receiver_for
from bot.telegram.webhook import SECRET_HEADER
from tests.fake_bot_api import FakeBotApi
from tests.fake_bot_api.updates import MEDIA, PRIVATE_USER_ID
from tests.telegram.conftest import FAST_RETRY, make_settings, running
from tests.telegram.test_webhook import SECRET, WEBHOOK_URL, free_port

QUESTION = "apa itu tppo"


def _replies(api: FakeBotApi, engine: Engine, text: str = QUESTION) -> int:
    """How many times the chat got the answer to `text` (its first message)."""
    first = engine.reply_to(text).html[:200]
    return sum(c.params["text"][:200] == first for c in api.sent_to(PRIVATE_USER_ID))


async def _stored(settings: Settings, application: object) -> list[UpdateRecord]:
    storage = application.bot_data[STORAGE_KEY]  # type: ignore[attr-defined]
    async with storage.session_factory() as session:
        return list((await session.scalars(select(UpdateRecord))).all())


async def test_a_replayed_update_id_gets_no_second_reply_after_a_restart(
        api: FakeBotApi, engine: Engine) -> None:
    settings = make_settings(api)
    update = api.updates.text(QUESTION)
    for _ in range(2):  # a restarted poller starts from offset 0 and is handed the update again
        application = build_application(settings, engine=engine, retry=FAST_RETRY)
        async with running(application, receiver_for(application, settings)):
            await api.push(update, update_id=7)
            await api.wait_until_fetched(7)
            await asyncio.wait_for(application.update_queue.join(), 10)
            ledger: UpdateLedger = application.bot_data[LEDGER_KEY]
    assert _replies(api, engine) == 1
    assert ledger.duplicates == 1
    async with running(application := build_application(settings, engine=engine),
                       receiver_for(application, settings)):
        [record] = await _stored(settings, application)
    assert (record.update_id, record.status, record.payload) == (7, "handled", None)


async def test_a_webhook_update_posted_twice_is_answered_once(
        api: FakeBotApi, engine: Engine) -> None:
    settings = make_settings(api, webhook_url=WEBHOOK_URL, webhook_secret=SECRET,
                             listen_port=free_port())
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    body = {"update_id": 41, **api.updates.text(QUESTION)}
    async with running(application, receiver_for(application, settings)), httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{settings.listen_port}") as client:
        for _ in range(2):  # Telegram redelivers when it did not see the 200 in time
            response = await client.post("/telegram/webhook", json=body,
                                         headers={SECRET_HEADER: SECRET})
            assert response.status_code == 200
            await asyncio.wait_for(application.update_queue.join(), 10)
    assert _replies(api, engine) == 1


async def test_an_update_left_by_a_stopped_worker_is_taken_over(
        api: FakeBotApi, engine: Engine) -> None:
    settings = make_settings(api, update_lease_seconds=1.5)
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    async with running(application, receiver_for(application, settings)):
        storage = application.bot_data[STORAGE_KEY]
        cipher = PayloadCipher(storage.keys.derived_key(KEY_CONTEXT))
        payload = json.dumps({"update_id": 90, **api.updates.text(QUESTION)})
        expired = Lease("worker-that-died", utc_now() - timedelta(minutes=1),
                        timedelta(seconds=1))
        async with storage.engine.begin() as connection:
            await update_ledger.admit(connection, [Incoming(90, cipher.seal(payload))], expired)
        await api.wait_for(lambda: _replies(api, engine) == 1, timeout=10)
        await asyncio.sleep(0.6)  # one more upkeep round: nothing is taken twice
        [record] = await _stored(settings, application)
        assert (record.status, record.payload) == ("handled", None)
    assert _replies(api, engine) == 1


async def test_an_unreadable_update_is_skipped_once_and_the_rest_go_on(
        api: FakeBotApi, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(api)
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    poll = {key: value for key, value in MEDIA["poll"].items()
            if key not in {"allows_revoting", "members_only"}}  # as an older Bot API sends it
    caplog.set_level(logging.INFO)
    async with running(application, receiver_for(application, settings)):
        bad = await api.push({"message": api.updates.message(poll=poll)})
        good = await api.push(api.updates.text(QUESTION))
        await api.wait_until_fetched(good)
        await asyncio.wait_for(application.update_queue.join(), 10)
        await api.wait_for(lambda: _replies(api, engine) == 1)
        assert isinstance(application.bot, DeliveryBot)
        assert application.bot.counts.unparseable == 1
        assert any(int(c.params.get("offset") or 0) > bad for c in api.calls_to("getUpdates"))
    skipped = [r for r in caplog.records if "cannot be read" in r.getMessage()]
    assert len(skipped) == 1 and f"update_id {bad}" in skipped[0].getMessage()
    assert "Setuju" not in caplog.text and "Received data" not in caplog.text


@contextmanager
def _write_locked(database: Path) -> Iterator[None]:
    """Another program holds SQLite's write lock (a backup tool, a long migration)."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(database, isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait(30)
        connection.execute("COMMIT")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait(5)
    try:
        yield
    finally:
        release.set()
        thread.join()


@asynccontextmanager
async def _running_on_sqlite(api: FakeBotApi, engine: Engine
                             ) -> AsyncIterator[tuple[Application, Path]]:
    """A running bot and its SQLite file, for `_write_locked` (skipped on PostgreSQL)."""
    settings = make_settings(api)
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("locks the SQLite file")
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    async with running(application, receiver_for(application, settings)):
        yield application, Path(settings.database_url.split("///", 1)[1])


async def test_a_locked_database_does_not_delay_the_reply(api: FakeBotApi,
                                                          engine: Engine) -> None:
    async with _running_on_sqlite(api, engine) as (application, database):
        ledger: UpdateLedger = application.bot_data[LEDGER_KEY]
        with _write_locked(database):
            started = time.monotonic()
            await api.push(api.updates.text("tolong saya disekap majikan"))
            await api.wait_for(lambda: bool(api.sent_to(PRIVATE_USER_ID)), timeout=5)
            assert time.monotonic() - started < 1.0
            assert ledger.late == 1
        await api.push(api.updates.text(QUESTION))
        await api.wait_for(lambda: _replies(api, engine) == 1, timeout=10)
        storage = application.bot_data[STORAGE_KEY]
        for _ in range(100):
            async with storage.session_factory() as session:
                handled = await session.scalar(select(func.count()).select_from(UpdateRecord)
                                               .where(UpdateRecord.status == "handled"))
            if handled == 2:
                break
            await asyncio.sleep(0.05)
        assert handled == 2, "recording resumes (and the late record is marked) after the lock"


def _confirmed(api: FakeBotApi, update_id: int) -> bool:
    """Whether a getUpdates asked past `update_id`: Telegram would then forget it."""
    return any(c.method == "getUpdates" and int(c.params.get("offset") or 0) > update_id
               for c in api.calls)


async def test_an_update_whose_record_is_late_stays_with_telegram_until_it_is_written(
        api: FakeBotApi, engine: Engine) -> None:
    """Confirmed before its record, an update answered by a worker killed meanwhile was lost
    (scripts/measure_crash.py: 32 of 500 chats never answered)."""
    async with _running_on_sqlite(api, engine) as (_, database):
        with _write_locked(database):
            update_id = await api.push(api.updates.text(QUESTION))
            await api.wait_for(lambda: bool(api.sent_to(PRIVATE_USER_ID)), timeout=5)
            await asyncio.sleep(STALLED_AFTER_SECONDS / 2)  # polled again meanwhile
            assert not _confirmed(api, update_id)
        await api.wait_for(lambda: _confirmed(api, update_id), timeout=10)
        assert _replies(api, engine) == 1  # sent again by Telegram, not answered again


async def test_once_a_record_is_long_late_the_next_updates_do_not_wait_for_theirs(
        api: FakeBotApi, engine: Engine) -> None:
    async with _running_on_sqlite(api, engine) as (application, database):
        ledger: UpdateLedger = application.bot_data[LEDGER_KEY]
        ledger.admit_wait = 2.0  # within SQLite's 5 s busy timeout: the first record stays late
        with _write_locked(database):

            async def answered_after(chat_id: int) -> float:
                started = time.monotonic()
                await api.push(api.updates.text(QUESTION, chat_id=chat_id))
                await api.wait_for(lambda: bool(api.sent_to(chat_id)), timeout=5)
                return time.monotonic() - started

            assert await answered_after(PRIVATE_USER_ID) >= ledger.admit_wait
            await asyncio.sleep(STALLED_AFTER_SECONDS)
            assert await answered_after(PRIVATE_USER_ID + 1) < 1.0
            assert ledger.late == 2
