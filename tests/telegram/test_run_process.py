"""`python -m bot run` as a real process: clean stop on signals, terminal fallback, bad settings."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.settings import Settings
from tests.conftest import CONTENT_DIR, ROOT, seed_model_cache
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.fake_bot_api.updates import PRIVATE_USER_ID
from tests.telegram.test_webhook import free_port

SETTING_NAMES = frozenset(Settings.model_fields)
UNIQUE_WORDS = "kataunikrahasia"


def bot_env(**settings: str) -> dict[str, str]:
    """The test runner's environment without any bot setting, plus `settings`; a DATA_DIR given
    gets the model trained on content/, so the process loads it instead of training."""
    if "DATA_DIR" in settings:
        seed_model_cache(Path(settings["DATA_DIR"]))
    env = {k: v for k, v in os.environ.items() if k.lower() not in SETTING_NAMES}
    env.update({"CONTENT_DIR": str(CONTENT_DIR), "PYTHONPATH": str(ROOT), **settings})
    return env


@contextlib.asynccontextmanager
async def bot_process(cwd: Path, env: dict[str, str]) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot run` as a child process, killed if the test leaves it running."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def stop(process: asyncio.subprocess.Process, stop_signal: signal.Signals) -> str:
    """Send `stop_signal`, wait for the exit and return what the process logged."""
    process.send_signal(stop_signal)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    return stderr.decode()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_a_stop_signal_finishes_the_reply_under_way_and_exits_0(
        api: FakeBotApi, tmp_path: Path, stop_signal: signal.Signals) -> None:
    env = bot_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                  LOG_LEVEL="DEBUG", DATA_DIR=str(tmp_path))
    async with bot_process(tmp_path, env) as process:
        await api.wait_for(lambda: bool(api.calls_to("getUpdates")), timeout=30)
        api.delays["sendMessage"] = 1.0
        update_id = await api.push(api.updates.text(f"{UNIQUE_WORDS} apa itu tppo"))
        await api.wait_for(lambda: bool(api.calls_to("sendMessage")), timeout=10)
        log = await stop(process, stop_signal)  # while the reply is still being sent
    assert process.returncode == 0, log
    [reply] = api.calls_to("sendMessage")
    assert reply.responded, "the bot exited before its reply was delivered"
    assert any(int(c.params.get("offset") or 0) > update_id for c in api.calls_to("getUpdates"))
    assert "Stopped" in log
    for secret in (TOKEN, TOKEN.split(":")[1], UNIQUE_WORDS, str(PRIVATE_USER_ID)):
        assert secret not in log


def test_without_a_token_the_terminal_chat_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], input="apa itu tppo\nkeluar\n", text=True,
        capture_output=True, cwd=tmp_path, env=bot_env(DATA_DIR=str(tmp_path / "data")),
        timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "selamat datang" in result.stdout
    assert "Sampai jumpa" in result.stdout


async def test_empty_webhook_variables_mean_polling_with_a_health_check(
        api: FakeBotApi, tmp_path: Path) -> None:
    """As docker compose passes variables that are not set in .env: `WEBHOOK_URL=`."""
    port = free_port()
    env = bot_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url, WEBHOOK_URL="",
                  WEBHOOK_SECRET="", PSEUDONYM_SECRET="", LISTEN_HOST="127.0.0.1",
                  LISTEN_PORT=str(port), DATA_DIR=str(tmp_path))
    async with bot_process(tmp_path, env) as process:
        await api.wait_for(lambda: bool(api.calls_to("getUpdates")), timeout=60)
        async with httpx.AsyncClient() as client:
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
            assert (await client.get(f"http://127.0.0.1:{port}/lain")).status_code == 404
        log = await stop(process, signal.SIGTERM)
    assert process.returncode == 0, log
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert api.calls_to("setWebhook") == []


def test_a_webhook_without_a_secret_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], text=True, capture_output=True, cwd=tmp_path,
        env=bot_env(TELEGRAM_BOT_TOKEN=TOKEN, WEBHOOK_URL="https://bot.contoh.go.id/hook"),
        timeout=60, check=False)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "WEBHOOK_SECRET" in result.stderr
