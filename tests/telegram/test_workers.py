"""Issue 15 "done when": three webhook workers on one database behind a round-robin driver serve
a scripted conversation per user (FAQ, 👍, the job-offer check, an emergency and Hapus jejak,
/hapusdata), each user's updates alternating between workers; the database afterwards holds
exactly what one worker writes for the same script. On PostgreSQL in CI's second pass.

Once with the users in turn and every writer flushed after each update, once with the users at
the same time, each tapping as soon as an answer arrives, so writes are still queued on one
worker when the user's next update lands on another (and /hapusdata there must cover them)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import select

from bot.content.bundle import ContentBundle
from bot.engine.engine import Engine
from bot.storage.keys import PseudonymousKeys
from bot.storage.models import Base, UpdateRecord, UtcDateTime
from bot.storage.write_behind import WriteBehind
from bot.telegram.app import build_application
from bot.telegram.botdata import INTERACTION_RECORDER_KEY, SETTINGS_KEY, STORAGE_KEY
from bot.telegram.runner import receiver_for
from tests.fake_bot_api import FakeBotApi, RecordedCall
from tests.telegram.conftest import FAST_RETRY, buttons, make_settings, running
from tests.telegram.test_job_offer_check import LABELS, _codes
from tests.telegram.test_webhook import SECRET, WEBHOOK_URL, free_port
from tests.telegram.workers import TelegramDriver

USERS = (6100001, 6100002, 6100003)
EMERGENCY = "tolong saya disekap majikan tidak bisa pulang"
DELETE_COMMAND, CONFIRM_DELETE = "/hapusdata", "v1|deldata-yes"
LATE_ANSWER_SECONDS = 1.0
NOT_COMPARED = {"id", "chat_ref"}
"""Row ids depend on insert order across workers; chat addresses are encrypted with a random IV."""

Rows = Counter[tuple[str, tuple[Any, ...]]]
Send = Callable[[dict[str, Any], str], Awaitable[None]]
"""Deliver an update; return once its answer reached the user: Telegram carried out the named
Bot API method, the last call of that answer, for this chat (or this button tap)."""


def _last_to(api: FakeBotApi, chat: int) -> RecordedCall:
    return api.sent_to(chat)[-1]


def _button(call: RecordedCall, label: str) -> str:
    return next(b["callback_data"] for b in buttons(call) if b["text"] == label)


async def _converse(api: FakeBotApi, send: Send, user: int, codes: str, *,
                    delete: bool) -> None:
    updates = api.updates
    await send(updates.text("apa itu tppo", chat_id=user), "sendMessage")
    await send(updates.callback("v1|fb:apa-itu-tppo:1", message=_last_to(api, user).result,
                                user_id=user), "editMessageReplyMarkup")
    await send(updates.text("/langganan", chat_id=user), "sendMessage")
    await send(updates.callback("v1|tips-sub", message=_last_to(api, user).result,
                                user_id=user), "sendMessage")
    await send(updates.text("/cektawaran", chat_id=user), "sendMessage")
    for code in codes:
        current = _last_to(api, user)
        await send(updates.callback(_button(current, LABELS[code]), message=current.result,
                                    user_id=user), "sendMessage")
    await send(updates.text(EMERGENCY, chat_id=user), "sendMessage")
    await send(updates.callback("v1|erase", message=_last_to(api, user).result, user_id=user),
               "answerCallbackQuery")
    if delete:
        await send(updates.text(DELETE_COMMAND, chat_id=user), "sendMessage")
        await send(updates.callback(CONFIRM_DELETE, message=_last_to(api, user).result,
                                    user_id=user), "editMessageText")


def _answers(update: dict[str, Any], call: RecordedCall) -> bool:
    """Whether `call` answers `update`: a tap is answered by its id, a message by its chat."""
    if call.method == "answerCallbackQuery":
        return call.params.get("callback_query_id") == update["callback_query"]["id"]
    message = update.get("message") or update["callback_query"]["message"]
    return call.params.get("chat_id") == message["chat"]["id"]


async def _answered(api: FakeBotApi, update: dict[str, Any], reply: str, since: int) -> None:
    """Until the `reply` call for `update`, made after `api.calls[since]`, was carried out
    (the user sees it; the bot may not have Telegram's answer yet)."""
    await api.wait_for(lambda: any(c.method == reply and c.ok and c.result is not None
                                   and _answers(update, c) for c in api.calls[since:]))


def _scripts(content: ContentBundle) -> list[tuple[int, str, bool]]:
    """(user, job-offer answers, whether they end with /hapusdata) for every user."""
    patterns = ("safe", "dangerous", "doubtful")
    return [(user, _codes(content, pattern), user == USERS[-1])
            for user, pattern in zip(USERS, patterns, strict=True)]


@asynccontextmanager
async def _workers(api: FakeBotApi, engine: Engine, count: int) -> AsyncIterator[list[Any]]:
    """`count` webhook workers on one database, running; their applications."""
    first = make_settings(api, webhook_url=WEBHOOK_URL, webhook_secret=SECRET,
                          listen_port=free_port())
    settings = [first] + [make_settings(api, webhook_url=WEBHOOK_URL, webhook_secret=SECRET,
                                        listen_port=free_port(),
                                        database_url=first.database_url)
                          for _ in range(count - 1)]
    applications = [build_application(s, engine=engine, retry=FAST_RETRY) for s in settings]
    async with AsyncExitStack() as stack:
        for application, each in zip(applications, settings, strict=True):
            await stack.enter_async_context(running(application, receiver_for(application,
                                                                              each)))
        yield applications


def _port(application: Any) -> int:
    port: int = application.bot_data[SETTINGS_KEY].listen_port
    return port


async def _written(applications: list[Any]) -> None:
    """Until every handler finished and every write it queued is written."""
    for application in applications:
        await asyncio.wait_for(application.update_queue.join(), 10)
    await asyncio.sleep(0.2)  # the last handled marks
    for application in applications:
        assert await application.bot_data[STORAGE_KEY].writer.flush()


async def _run_script(api: FakeBotApi, engine: Engine, content: ContentBundle,
                      workers: int) -> tuple[Rows, Counter[int]]:
    """The script through `workers` webhook workers; (the database's rows, posts per worker)."""
    update_ids = iter(range(1, 10_000))
    async with _workers(api, engine, workers) as applications:
        driver = TelegramDriver([_port(a) for a in applications], SECRET)

        async def send(update: dict[str, Any], reply: str) -> None:
            since = len(api.calls)
            await driver.deliver_in_order([{"update_id": next(update_ids), **update}])
            for application in applications:
                await asyncio.wait_for(application.update_queue.join(), 10)
            for application in applications:  # a person's next tap comes after it is stored
                assert await application.bot_data[STORAGE_KEY].writer.flush()
            await _answered(api, update, reply, since)

        for user, codes, delete in _scripts(content):
            await _converse(api, send, user, codes, delete=delete)
        await _written(applications)
        rows = await _rows(applications[0])
    return rows, driver.posts


async def _one_worker(engine: Engine, content: ContentBundle) -> tuple[Rows, int]:
    """What one worker writes for the scripts (on a Bot API stand-in of its own), and how many
    messages it sends."""
    alone = FakeBotApi()
    await alone.start()
    try:
        rows, _ = await _run_script(alone, engine, content, workers=1)
    finally:
        await alone.stop()
    return rows, len(alone.calls_to("sendMessage"))


class _HeldWrites:
    """Holds a worker's write-behind writer until `release`: what it queued meanwhile stays
    queued, as on a worker whose database is slow. Replaces the instance's batch writer, the
    one seam that works on both backends (SQLite's batches run in a thread)."""

    def __init__(self, writer: WriteBehind) -> None:
        self._writer, self._write = writer, writer._write
        self._released = asyncio.Event()
        self.waited = 0
        """Writes that reached the writer and had to wait for `release`."""
        writer._write = self._held  # type: ignore[method-assign]

    async def _held(self, batch: list[Any]) -> None:
        if not self._released.is_set():
            self.waited += len(batch)
            await self._released.wait()
        await self._write(batch)

    def release(self) -> None:
        self._released.set()
        self._writer._write = self._write  # type: ignore[method-assign]


@dataclass
class _Line:
    """One user's updates, each to the next worker in turn and each sent as soon as the answer
    to the previous one arrived: nobody waits for a writer. The worker that gets /hapusdata has
    its writes held, and learns its prompt's message id late, until the confirmation on the next
    worker has deleted the user's data: what it then writes about the user was caused before."""

    api: FakeBotApi
    applications: list[Any]
    turn: int
    update_ids: Iterator[int]
    held: _HeldWrites | None = None
    held_at_deletion: int = 0
    """Writes the /hapusdata worker still held when the next worker had deleted."""

    async def send(self, update: dict[str, Any], reply: str) -> None:
        application = self.applications[self.turn % len(self.applications)]
        self.turn += 1
        if update.get("message", {}).get("text") == DELETE_COMMAND:
            self.held = _HeldWrites(application.bot_data[STORAGE_KEY].writer)
            self.api.late_answers[update["message"]["chat"]["id"]] = LATE_ANSWER_SECONDS
        since = len(self.api.calls)
        driver = TelegramDriver([_port(application)], SECRET)
        await driver.deliver_in_order([{"update_id": next(self.update_ids), **update}])
        await _answered(self.api, update, reply, since)
        if self.held is not None and update.get("callback_query", {}).get(
                "data") == CONFIRM_DELETE:
            self.held_at_deletion = self.held.waited
            self.held.release()
            self.api.late_answers.clear()


async def _run_concurrently(api: FakeBotApi, engine: Engine, content: ContentBundle
                            ) -> tuple[Rows, list[_Line], PseudonymousKeys]:
    """Every user's script at once through three workers; the database's rows, each user's
    line, and the keys the rows are stored under."""
    update_ids = iter(range(1, 10_000))
    async with _workers(api, engine, 3) as applications:
        lines = [_Line(api, applications, turn, update_ids) for turn in range(len(USERS))]
        await asyncio.gather(*(_converse(api, line.send, user, codes, delete=delete)
                               for line, (user, codes, delete)
                               in zip(lines, _scripts(content), strict=True)))
        await _written(applications)
        storage = applications[0].bot_data[STORAGE_KEY]
        rows = await _rows(applications[0])
    return rows, lines, storage.keys


async def _rows(application: Any) -> Rows:
    storage = application.bot_data[STORAGE_KEY]
    rows: Rows = Counter()
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
    one_worker, sent = await _one_worker(engine, content)
    three_workers, posts = await _run_script(api, engine, content, workers=3)
    assert len(posts) == 3 and min(posts.values()) >= 5, posts
    assert three_workers == one_worker
    tables = {table for table, _ in one_worker}
    assert {"message_events", "feedback", "job_offer_checks", "subscriptions"} <= tables
    assert len(api.calls_to("sendMessage")) == sent


async def test_users_conversing_at_once_write_what_one_worker_writes(
        api: FakeBotApi, engine: Engine, content: ContentBundle) -> None:
    """Users converse at the same time, each tapping as soon as an answer arrives, so a worker's
    write-behind queue may still hold a user's rows when the next update lands on another
    worker. /hapusdata's worker holds its writes until the next worker has deleted: what it
    writes afterwards about that user must not survive the deletion."""
    one_worker, sent = await _one_worker(engine, content)
    three_workers, lines, keys = await _run_concurrently(api, engine, content)
    chats = [call.params["chat_id"] for call in api.calls_to("sendMessage")]
    switches = sum(a != b for a, b in pairwise(chats))
    assert switches > 2 * len(USERS), switches  # the users conversed at once, not in turn
    deleting = [line for line in lines if line.held is not None]
    assert len(deleting) == 1 and deleting[0].held_at_deletion > 0
    key = keys.key_for(USERS[-1])
    assert _of_user(three_workers, key) == _of_user(one_worker, key)
    assert three_workers == one_worker
    assert len(api.calls_to("sendMessage")) == sent


def _of_user(rows: Rows, key: str) -> Rows:
    return Counter({(table, row): n for (table, row), n in rows.items() if key in row})


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

        # A's reply reaches the chat after the erase: A learns so from storage and deletes it.
        await asyncio.wait_for(worker_a.update_queue.join(), 10)
        late = {c.result["message_id"] for c in api.calls[before:]
                if c.method == "sendMessage" and c.ok}
        assert late

        def deleted_since_tap() -> set[int]:
            return {int(i) for c in api.calls[tapped:] if c.ok and c.method == "deleteMessages"
                    for i in c.params["message_ids"]}

        await api.wait_for(lambda: late <= deleted_since_tap())
        for worker in (worker_a, worker_b):
            assert await worker.bot_data[STORAGE_KEY].writer.flush()
        recorder = worker_b.bot_data[INTERACTION_RECORDER_KEY]
        assert await recorder.recent_message_ids(user_id=user) == []
