"""Storage that is missing is never hidden: while it cannot be opened the bot answers, retries
in the background, reports 503, and says "coba lagi" for what needs storage; a database file
deleted under it is noticed, logged loudly once, and reported."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.engine.engine import Engine
from bot.settings import Settings
from bot.telegram import storage_state
from bot.telegram.app import build_application
from bot.telegram.botdata import STORAGE_KEY
from bot.telegram.health import health_of
from bot.telegram.runner import receiver_for
from bot.telegram.texts import toast
from bot.telegram.webhook import web_app
from tests.conftest import postgres_test_url
from tests.fake_bot_api import FakeBotApi
from tests.telegram.conftest import FAST_RETRY, RunningBot, make_settings, running


async def _get_healthz(application: Application) -> httpx.Response:
    """GET /healthz from the webhook server's handlers (`web_app`), on a free port."""
    server = HTTPServer(web_app(application, path="/telegram", secret="s" * 16))
    [sock] = bind_sockets(0, address="127.0.0.1")
    server.add_sockets([sock])
    try:
        async with httpx.AsyncClient() as client:
            return await client.get(f"http://127.0.0.1:{sock.getsockname()[1]}/healthz")
    finally:
        server.stop()


def _health(application: Application) -> dict[str, Any]:
    return health_of(application.bot_data).report().as_json()


@asynccontextmanager
async def bot_on(api: FakeBotApi, engine: Engine, settings: Settings) -> AsyncIterator[RunningBot]:
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    receiver = receiver_for(application, settings)
    async with running(application, receiver):
        yield RunningBot(application, api, receiver)


async def test_storage_down_at_start_says_coba_lagi_then_opens_in_the_background(
    api: FakeBotApi, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    if postgres_test_url() is not None:
        pytest.skip("makes a SQLite folder unusable")
    monkeypatch.setattr(storage_state, "FIRST_RETRY_SECONDS", 0.1)
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")  # the database's folder cannot be created
    settings = make_settings(api, database_url=f"sqlite+aiosqlite:///{blocker}/bot.sqlite3")
    messages = engine.knowledge.content.messages
    async with bot_on(api, engine, settings) as bot:
        response = await _get_healthz(bot.application)
        assert response.status_code == 503
        assert response.json()["components"]["storage"]["state"] == "opening"

        answer = await bot.exchange(api.updates.text("apa itu tppo"))  # replies go on
        assert any(c.method == "sendMessage" for c in answer)
        prompt = [c for c in await bot.exchange(api.updates.text("/hapusdata"))
                  if c.method == "sendMessage"][-1]
        calls = await bot.exchange(api.updates.callback("v1|deldata-yes", message=prompt.result))
        toasts = [c.params.get("text", "") for c in calls if c.method == "answerCallbackQuery"]
        assert toasts == [toast(engine, messages.storage_unavailable)]
        assert "coba lagi" in toasts[0]
        assert not any(c.method == "editMessageText" for c in calls)  # no "sudah dihapus"
        warning = [c for c in await bot.exchange(api.updates.text("/langganan"))
                   if c.method == "sendMessage"][-1]  # the watched-phone warning comes first
        calls = await bot.exchange(api.updates.callback("v1|tips-sub", message=warning.result))
        texts = [c.params.get("text", "") for c in calls
                 if c.method in ("sendMessage", "editMessageText", "answerCallbackQuery")]
        assert texts and any("coba lagi" in text for text in texts)
        assert all(messages.delete_data_done not in text for text in texts)

        blocker.unlink()  # the operator fixes it; the next retry opens storage
        for _ in range(100):
            if STORAGE_KEY in bot.application.bot_data:
                break
            await asyncio.sleep(0.1)
        assert (await _get_healthz(bot.application)).status_code == 200
        calls = await bot.exchange(api.updates.callback("v1|deldata-yes", message=prompt.result))
        toasts = [c.params.get("text", "") for c in calls if c.method == "answerCallbackQuery"]
        assert toasts == [toast(engine, messages.delete_data_done)]


async def test_a_deleted_data_folder_is_reported_loudly_once(
    api: FakeBotApi, engine: Engine, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if postgres_test_url() is not None:
        pytest.skip("deletes the SQLite file")
    monkeypatch.setattr(storage_state, "FILE_CHECK_SECONDS", 0.05)
    settings = make_settings(api)
    caplog.set_level(logging.CRITICAL, logger="bot.storage.file_watch")
    async with bot_on(api, engine, settings) as bot:
        assert _health(bot.application)["status"] == "ok"
        shutil.rmtree(settings.data_dir)
        for _ in range(100):  # the periodic check notices within a few intervals
            if _health(bot.application)["status"] != "ok":
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # several more checks: still one log line
        health = _health(bot.application)
    assert health["status"] == "unavailable"
    assert health["components"]["storage"]["state"] == "file_missing"
    loud = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert len(loud) == 1 and "deleted" in loud[0].getMessage()
