"""The bot as its own process against the stand-in in this one, as in production: Telegram's
servers are not in the worker's process. Used by the `stack` and `burst` benchmarks.

The child is `python -m bot run`'s code path (`bot.cli.run.serve`, production defaults, settings
from the environment) or the bare echo bot; its CPU time and memory are read from /proc.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.bench.standin import (
    PROJECT_ROOT,
    START_TIMEOUT_SECONDS,
    benchmark_settings,
    echo_application,
    standin_class,
)
from bot.settings import Settings
from bot.telegram.runner import PollingReceiver

if TYPE_CHECKING:
    from tests.fake_bot_api import FakeBotApi

ECHO, BOT = "echo", "bot"
CHILD_PROGRAM = ("import sys; from bot.bench.process import serve_child; "
                 "sys.exit(serve_child())")
"""The separate-process bots: `python -m bot run` (argument `bot`) or the echo bot (`echo`)."""
MODEL_CACHE = "cache"
"""DATA_DIR's folder of trained models and embeddings (`bot.cli.common.understanding_setup`)."""
BOT_COMMAND = [sys.executable, "-c", CHILD_PROGRAM, BOT]
ECHO_COMMAND = [sys.executable, "-c", CHILD_PROGRAM, ECHO]


def child_environment(settings: Settings) -> dict[str, str]:
    """This environment without any bot setting, plus `settings` (aimed at the stand-in)."""
    names = {name.lower() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.lower() not in names}
    env.update({
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT),
                                                    os.environ.get("PYTHONPATH")])),
        "TELEGRAM_BOT_TOKEN": settings.telegram_bot_token or "",
        "TELEGRAM_API_BASE_URL": settings.telegram_api_base_url,
        "DATABASE_URL": settings.database_url, "DATA_DIR": str(settings.data_dir),
        "CONTENT_DIR": str(Path(settings.content_dir).resolve()),
        "PSEUDONYM_SECRET": settings.pseudonym_secret or "", "LOG_LEVEL": settings.log_level,
        "LISTEN_HOST": settings.listen_host, "LISTEN_PORT": str(settings.listen_port),
        "SENTENCE_ENCODER": settings.sentence_encoder,
    })
    return env


def status_megabytes(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # "VmRSS:   123456 kB"
    raise LookupError(field)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def with_child(command: list[str], settings: Settings,
                     work: Callable[[FakeBotApi, int], Awaitable[None]],
                     api: FakeBotApi | None = None) -> tuple[float, str]:
    """Start `command` against a fresh stand-in (or `api`, not started yet), wait for its first
    getUpdates, run `work`, stop it with SIGTERM. Returns the seconds from starting the
    process to that first getUpdates, and what the child logged (its stderr).

    The child has its own data folder (a new database) but this one's model cache, as a
    restarted worker has: without it every start would train the model again."""
    api = api or standin_class()()
    await api.start()
    try:
        with tempfile.TemporaryDirectory(prefix="tppo-bench-") as data_dir:
            cache = (Path(settings.data_dir) / MODEL_CACHE).resolve()
            if cache.is_dir():
                (Path(data_dir) / MODEL_CACHE).symlink_to(cache, target_is_directory=True)
            env = child_environment(benchmark_settings(settings, api, Path(data_dir)))
            log_path = Path(data_dir) / "child.log"
            with log_path.open("wb") as log:  # a file: a full pipe would stall the child
                started = time.perf_counter()
                process = await asyncio.create_subprocess_exec(
                    *command, cwd=data_dir, env=env, stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=log)
                try:
                    try:
                        await api.wait_for(
                            lambda: bool(api.calls_to("getUpdates", ok_only=False)),
                            START_TIMEOUT_SECONDS)
                    except TimeoutError:
                        raise RuntimeError(f"{' '.join(command)} did not start:\n"
                                           f"{log_path.read_text(errors='replace')[-2000:]}"
                                           ) from None
                    start_up = time.perf_counter() - started
                    await work(api, process.pid)
                    process.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(process.wait(), START_TIMEOUT_SECONDS)
                finally:
                    if process.returncode is None:
                        process.kill()
                        await process.wait()
            logged = log_path.read_text(errors="replace")
            if process.returncode != 0:
                raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}:\n"
                                   f"{logged[-2000:]}")
    finally:
        await api.stop()
    return start_up, logged


def serve_child() -> int:
    """`python -c CHILD_PROGRAM bot|echo`: our bot exactly as `python -m bot run` serves it
    (or the echo bot); SIGTERM stops it cleanly."""
    from bot.cli.common import load_settings
    from bot.cli.run import serve
    from bot.telegram.http_server import raise_open_file_limit
    from bot.telegram.logging_setup import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level, settings.telegram_bot_token)
    raise_open_file_limit()
    asyncio.run(serve(settings) if sys.argv[1] == BOT else _serve_echo(settings))
    return 0


async def _serve_echo(settings: Settings) -> None:
    from bot.telegram.runner import run_application

    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    application = echo_application(settings)
    await run_application(application, PollingReceiver(application, settings), stopping)
