"""The real Application, in-process, talking HTTP to the stand-in Bot API."""

from __future__ import annotations

import asyncio
import atexit
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.content.telegram_html import html_problems
from bot.engine.engine import Engine
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.botdata import INTERACTION_RECORDER_KEY, STORAGE_KEY
from bot.telegram.requests import RetryPolicy
from bot.telegram.runner import UpdateReceiver, receiver_for, run_application
from tests.conftest import CONTENT_DIR, isolated_database_url, seed_model_cache
from tests.fake_bot_api import TOKEN, FakeBotApi, RecordedCall

FAST_RETRY = RetryPolicy(attempts=5, first_delay=0.05, max_delay=0.2)
START_TIMEOUT = 120.0
"""Start-up loads content and may train the intent model (a bot given no engine): on a loaded
CI machine that took over 10 s, and a test then ran against a bot with no engine yet."""


def make_settings(api: FakeBotApi, **overrides: Any) -> Settings:
    """Settings for a bot under test; its database is its own (a fresh SQLite file, or a fresh
    PostgreSQL schema when TEST_DATABASE_URL names a PostgreSQL database), its DATA_DIR holds
    the model trained on content/ (`seed_model_cache`)."""
    data_dir = Path(tempfile.mkdtemp(prefix="tppo-bot-test-"))
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    seed_model_cache(data_dir)
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN, "telegram_api_base_url": api.base_url,
        "webhook_url": None, "webhook_secret": None, "content_dir": CONTENT_DIR,
        "listen_host": "127.0.0.1", "listen_port": 0, "data_dir": data_dir,
        "database_url": isolated_database_url(data_dir),
        "pseudonym_secret": "test-secret-that-is-long-enough", **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def outgoing_texts(api: FakeBotApi) -> list[str]:
    texts = []
    for call in api.calls:
        if call.method in ("sendMessage", "editMessageText"):
            texts.append(call.params["text"])
        if call.method == "sendPhoto" and call.params.get("caption"):
            texts.append(call.params["caption"])
        if call.method == "answerInlineQuery":
            texts += [r["input_message_content"]["message_text"] for r in call.params["results"]]
    return texts


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    await fake.start()
    yield fake
    await fake.stop()
    # Whatever a test did, nothing the bot sent may be refused by Telegram.
    assert [c.method for c in fake.calls if c.status == 400 and not c.refused_on_purpose] == []
    assert all(html_problems(text) == [] for text in outgoing_texts(fake))


@dataclass
class RunningBot:
    application: Application
    api: FakeBotApi
    receiver: UpdateReceiver

    async def push(self, update: dict[str, Any]) -> int:
        """Deliver an update by long polling and wait until the bot has fully handled it."""
        update_id = await self.api.push(update)
        await self.api.wait_until_fetched(update_id)
        await asyncio.wait_for(self.application.update_queue.join(), 10)
        await self.written()
        return update_id

    async def written(self) -> None:
        """Wait until storage's write-behind queue has written what the bot queued so far."""
        storage = self.application.bot_data.get(STORAGE_KEY)
        if storage is not None:
            assert await storage.writer.flush()

    async def exchange(self, update: dict[str, Any]) -> list[RecordedCall]:
        """Push an update; the successful calls the bot made while handling it."""
        before = len(self.api.calls)
        await self.push(update)
        return [c for c in self.api.calls[before:] if c.ok and c.method != "getUpdates"]

    def use_recorder(self, recorder: FakeRecorder) -> FakeRecorder:
        self.application.bot_data[INTERACTION_RECORDER_KEY] = recorder
        return recorder


@asynccontextmanager
async def running(application: Application, receiver: UpdateReceiver) -> AsyncIterator[None]:
    """The production lifecycle (`run_application`) in a task, stopped on exit. Yields only
    once the bot is ready (its engine loaded, storage opened): a test never sees it half-started."""
    stopping, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(run_application(application, receiver, stopping, ready))
    waiter = asyncio.create_task(ready.wait())
    await asyncio.wait({task, waiter}, timeout=START_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiter.cancel()
        task.result()  # raise what went wrong at start-up
    if not ready.is_set():
        waiter.cancel()
        stopping.set()
        await asyncio.wait_for(task, 15)
        raise AssertionError(f"the bot was not ready within {START_TIMEOUT:.0f} s")
    try:
        yield
    finally:
        stopping.set()
        await asyncio.wait_for(task, 15)


@pytest.fixture
async def bot(api: FakeBotApi, engine: Engine) -> AsyncIterator[RunningBot]:
    """A polling bot with the session's engine (content is loaded once per test run)."""
    settings = make_settings(api)
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    receiver = receiver_for(application, settings)
    async with running(application, receiver):
        yield RunningBot(application, api, receiver)


class FakeRecorder:
    """Stands in for `bot.storage.recorder.InteractionRecorder`, remembering each call."""

    def __init__(self, *, delete_result: int = 3) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.message_ids: dict[int, list[int]] = {}
        self.delete_result = delete_result

    def named(self, name: str) -> list[dict[str, Any]]:
        return [arguments for called, arguments in self.calls if called == name]

    async def record_reply(self, **arguments: Any) -> None:
        self.calls.append(("record_reply", arguments))

    async def record_feedback(self, **arguments: Any) -> bool:
        self.calls.append(("record_feedback", arguments))
        return True

    async def remember_sent_messages(self, *, user_id: int, message_ids: list[int],
                                     missed: Any = None) -> None:
        self.calls.append(("remember_sent_messages", {"user_id": user_id}))
        self.message_ids.setdefault(user_id, []).extend(message_ids)

    async def recent_message_ids(self, *, user_id: int) -> list[int] | None:
        return list(self.message_ids.get(user_id, []))

    async def mark_messages_deleted(self, *, user_id: int, message_ids: list[int],
                                    erased_at: Any = None) -> None:
        forgotten = set(message_ids)
        kept = [m for m in self.message_ids.get(user_id, []) if m not in forgotten]
        self.message_ids[user_id] = kept

    async def delete_user_data(self, *, user_id: int) -> int:
        self.calls.append(("delete_user_data", {"user_id": user_id}))
        return self.delete_result


def buttons(call: RecordedCall) -> list[dict[str, Any]]:
    markup = call.params.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]
