"""Issue 15 "done when": three webhook workers on one database behind a round-robin driver serve
a scripted conversation per user (FAQ, 👍, the job-offer check, an emergency and Hapus jejak,
/hapusdata), each user's updates alternating between workers; the database afterwards holds
exactly what one worker writes for the same script. On PostgreSQL in CI's second pass."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

from sqlalchemy import select

from bot.content.bundle import ContentBundle
from bot.engine.engine import Engine
from bot.storage.models import Base, UpdateRecord, UtcDateTime
from bot.telegram.app import build_application
from bot.telegram.botdata import STORAGE_KEY
from bot.telegram.runner import receiver_for
from tests.fake_bot_api import FakeBotApi, RecordedCall
from tests.telegram.conftest import FAST_RETRY, buttons, make_settings, running
from tests.telegram.test_job_offer_check import LABELS, _codes
from tests.telegram.test_webhook import SECRET, WEBHOOK_URL, free_port
from tests.telegram.workers import TelegramDriver

USERS = (6100001, 6100002, 6100003)
EMERGENCY = "tolong saya disekap majikan tidak bisa pulang"
NOT_COMPARED = {"id", "chat_ref"}
"""Row ids depend on insert order across workers; chat addresses are encrypted with a random IV."""

Send = Callable[[dict[str, Any]], Awaitable[None]]


def _last_to(api: FakeBotApi, chat: int) -> RecordedCall:
    return api.sent_to(chat)[-1]


def _button(call: RecordedCall, label: str) -> str:
    return next(b["callback_data"] for b in buttons(call) if b["text"] == label)


async def _converse(api: FakeBotApi, send: Send, user: int, codes: str, *,
                    delete: bool) -> None:
    updates = api.updates
    await send(updates.text("apa itu tppo", chat_id=user))
    await send(updates.callback("v1|fb:apa-itu-tppo:1", message=_last_to(api, user).result,
                                user_id=user))
    await send(updates.text("/langganan", chat_id=user))
    await send(updates.callback("v1|tips-sub", message=_last_to(api, user).result, user_id=user))
    await send(updates.text("/cektawaran", chat_id=user))
    for code in codes:
        current = _last_to(api, user)
        await send(updates.callback(_button(current, LABELS[code]), message=current.result,
                                    user_id=user))
    await send(updates.text(EMERGENCY, chat_id=user))
    await send(updates.callback("v1|erase", message=_last_to(api, user).result, user_id=user))
    if delete:
        await send(updates.text("/hapusdata", chat_id=user))
        await send(updates.callback("v1|deldata-yes", message=_last_to(api, user).result,
                                    user_id=user))


async def _run_script(api: FakeBotApi, engine: Engine, content: ContentBundle,
                      workers: int) -> tuple[Counter[tuple[str, tuple[Any, ...]]], Counter[int]]:
    """The script through `workers` webhook workers; (the database's rows, posts per worker)."""
    first = make_settings(api, webhook_url=WEBHOOK_URL, webhook_secret=SECRET,
                          listen_port=free_port())
    settings = [first] + [make_settings(api, webhook_url=WEBHOOK_URL, webhook_secret=SECRET,
                                        listen_port=free_port(),
                                        database_url=first.database_url)
                          for _ in range(workers - 1)]
    applications = [build_application(s, engine=engine, retry=FAST_RETRY) for s in settings]
    driver = TelegramDriver([s.listen_port for s in settings], SECRET)
    update_ids = iter(range(1, 10_000))

    async def send(update: dict[str, Any]) -> None:
        await driver.deliver_in_order([{"update_id": next(update_ids), **update}])
        for application in applications:
            await asyncio.wait_for(application.update_queue.join(), 10)
        for application in applications:  # a person's next tap comes after this one is stored
            assert await application.bot_data[STORAGE_KEY].writer.flush()

    async with AsyncExitStack() as stack:
        for application, each in zip(applications, settings, strict=True):
            await stack.enter_async_context(running(application, receiver_for(application,
                                                                              each)))
        patterns = ("safe", "dangerous", "doubtful")
        for user, pattern in zip(USERS, patterns, strict=True):
            await _converse(api, send, user, _codes(content, pattern),
                            delete=user == USERS[-1])
        await asyncio.sleep(0.2)  # the last handled marks
        for application in applications:
            assert await application.bot_data[STORAGE_KEY].writer.flush()
        rows = await _rows(applications[0])
    return rows, driver.posts


async def _rows(application: Any) -> Counter[tuple[str, tuple[Any, ...]]]:
    storage = application.bot_data[STORAGE_KEY]
    rows: Counter[tuple[str, tuple[Any, ...]]] = Counter()
    async with storage.session_factory() as session:
        for table in Base.metadata.sorted_tables:
            if table.name == UpdateRecord.__tablename__:
                continue
            columns = [c for c in table.columns
                       if c.name not in NOT_COMPARED and not isinstance(c.type, UtcDateTime)]
            for row in (await session.execute(select(*columns))).all():
                rows[(table.name, tuple(row))] += 1
    return rows


async def test_three_workers_write_what_one_worker_writes(api: FakeBotApi, engine: Engine,
                                                          content: ContentBundle) -> None:
    alone = FakeBotApi()
    await alone.start()
    try:
        one_worker, _ = await _run_script(alone, engine, content, workers=1)
    finally:
        await alone.stop()
    three_workers, posts = await _run_script(api, engine, content, workers=3)
    assert len(posts) == 3 and min(posts.values()) >= 5, posts
    assert three_workers == one_worker
    tables = {table for table, _ in one_worker}
    assert {"message_events", "feedback", "job_offer_checks", "subscriptions"} <= tables
    assert len(api.calls_to("sendMessage")) == len(alone.calls_to("sendMessage"))


async def test_hapus_jejak_on_another_worker_deletes_a_message_still_being_answered(
        api: FakeBotApi, engine: Engine) -> None:
    """Audit gap: the user's message reaches worker A, and the "Hapus jejak" tap reaches worker B
    while A's reply is still on its way (held at Telegram), so A has not written the reply's ids.
    B must delete that message all the same: its id is stored when A admits the update."""
    first = make_settings(api, webhook_url=WEBHOOK_URL, webhook_secret=SECRET,
                          listen_port=free_port())
    second = make_settings(api, webhook_url=WEBHOOK_URL, webhook_secret=SECRET,
                           listen_port=free_port(), database_url=first.database_url)
    worker_a, worker_b = (build_application(s, engine=engine, retry=FAST_RETRY)
                          for s in (first, second))
    to_a, to_b = TelegramDriver([first.listen_port], SECRET), TelegramDriver(
        [second.listen_port], SECRET)
    user, updates = USERS[0], api.updates
    update_ids = iter(range(1, 100))

    async with AsyncExitStack() as stack:
        for application, each in ((worker_a, first), (worker_b, second)):
            await stack.enter_async_context(running(application, receiver_for(application,
                                                                              each)))
        await to_a.deliver_in_order([{"update_id": next(update_ids),
                                      **updates.text("apa itu tppo", chat_id=user)}])
        await asyncio.wait_for(worker_a.update_queue.join(), 10)
        answered = _last_to(api, user)
        assert await worker_a.bot_data[STORAGE_KEY].writer.flush()

        api.delays["sendMessage"] = 3.0  # A's answer to the next message is held at Telegram
        before = len(api.calls)
        message = updates.text(EMERGENCY, chat_id=user)
        await to_a.deliver_in_order([{"update_id": next(update_ids), **message}])
        await api.wait_for(lambda: any(c.method == "sendMessage" for c in api.calls[before:]))
        # Only what A wrote on admission can be written now: its reply has not been sent.
        assert await worker_a.bot_data[STORAGE_KEY].writer.flush()

        tapped = len(api.calls)
        await to_b.deliver_in_order([{"update_id": next(update_ids), **updates.callback(
            "v1|erase", message=answered.result, user_id=user)}])
        await api.wait_for(lambda: any(c.method == "answerCallbackQuery" and c.ok
                                       for c in api.calls[tapped:]))
        assert not any(c.method == "sendMessage" and c.responded for c in api.calls[before:])
        deleted = {int(i) for c in api.calls[tapped:] if c.ok and c.method == "deleteMessages"
                   for i in c.params["message_ids"]}
        deleted |= {int(c.params["message_id"]) for c in api.calls[tapped:]
                    if c.ok and c.method == "deleteMessage"}
        assert message["message"]["message_id"] in deleted
        assert answered.result["message_id"] in deleted
        api.delays.clear()
