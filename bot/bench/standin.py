"""What the full-stack benchmarks share: the test suite's Bot API stand-in and question sets,
and a bare echo bot to compare with.

The stand-in (`tests/fake_bot_api`) and the labelled questions (`tests/data`) are test code
and data, not installed, so these benchmarks run from a checkout of the project.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.content.telegram_html import split_message
from bot.engine.engine import Engine
from bot.settings import Settings
from bot.telegram.app import build_application
from bot.telegram.logging_setup import configure_logging
from bot.telegram.runner import UpdateReceiver, run_application

if TYPE_CHECKING:
    from tests.fake_bot_api import FakeBotApi

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STANDIN_PACKAGE = PROJECT_ROOT / "tests" / "fake_bot_api"
QUESTION_FILES = (PROJECT_ROOT / "tests" / "data" / "questions.yaml",
                  PROJECT_ROOT / "tests" / "data" / "questions_extra.yaml")
"""About 600 questions as people write them, labelled with the intent they should get:
a realistic mix (emergencies, statistics, greetings, FAQ and off-topic)."""
PSEUDONYM_SECRET = "benchmark-secret-not-for-production"
START_TIMEOUT_SECONDS = 30.0


class StandinUnavailable(RuntimeError):
    """The benchmark needs tests/fake_bot_api, which only a checkout of the project has."""


def standin_class() -> type[FakeBotApi]:
    """`tests.fake_bot_api.FakeBotApi`, imported on first use (from the checkout this module
    lives in when the current directory is elsewhere)."""
    if STANDIN_PACKAGE.is_dir() and str(PROJECT_ROOT) not in sys.path:
        sys.path.append(str(PROJECT_ROOT))
    try:
        from tests.fake_bot_api import FakeBotApi
    except ImportError as error:
        raise StandinUnavailable(
            "This benchmark drives the bot through the Bot API stand-in in tests/fake_bot_api, "
            "which is part of the source checkout, not of an installed package: run it from a "
            "checkout of the project (cd to it, then `python -m bot bench …`)."
        ) from error
    return FakeBotApi


@dataclass(frozen=True)
class Question:
    text: str
    intent: str


def realistic_questions(count: int, *, seed: int) -> list[Question]:
    """`count` questions drawn (with a fixed seed) from the labelled sets in tests/data."""
    missing = [path for path in QUESTION_FILES if not path.is_file()]
    if missing:
        raise StandinUnavailable(f"{missing[0]} is missing: run this from a full checkout.")
    labelled = [Question(item["text"], item["intent"]) for path in QUESTION_FILES
                for item in YAML(typ="safe").load(path.read_text(encoding="utf-8"))]
    rng = random.Random(seed)
    return [rng.choice(labelled) for _ in range(count)]


def quiet_logging() -> None:
    """The bot's logging at WARNING, without the expected noise of a run with faults: the
    stand-in's access log and each retried request. Lost replies are still logged (ERROR)."""
    configure_logging("WARNING", standin_token())
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)
    logging.getLogger("bot.telegram.requests").setLevel(logging.ERROR)


def standin_token() -> str:
    standin_class()
    from tests.fake_bot_api import TOKEN

    return TOKEN


def benchmark_settings(settings: Settings, api: FakeBotApi, data_dir: Path, **overrides: Any
                       ) -> Settings:
    """`settings` (content and the rest) aimed at the stand-in, with its own SQLite file."""
    values: dict[str, Any] = {
        "telegram_bot_token": api.token, "telegram_api_base_url": api.base_url,
        "webhook_url": None, "webhook_secret": None, "listen_host": "127.0.0.1", "listen_port": 0,
        "data_dir": data_dir, "database_url": f"sqlite+aiosqlite:///{data_dir}/bot.sqlite3",
        "pseudonym_secret": PSEUDONYM_SECRET, "log_level": "WARNING", **overrides,
    }
    return settings.model_copy(update=values)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The whole echo bot: the same text back."""
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def echo_application(settings: Settings) -> Application:
    """Our Application (same requests, retries, rate limiter, concurrency and lifecycle) with
    every handler replaced by one MessageHandler that echoes the text, and no start-up work
    (content, storage, command menu)."""
    application = build_application(settings, open_storage=False)
    application.post_init = None
    for group, handlers in list(application.handlers.items()):
        for handler in list(handlers):
            application.remove_handler(handler, group)
    for callback in list(application.error_handlers):
        application.remove_error_handler(callback)
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return application


def reply_messages(engine: Engine, text: str) -> int:
    """How many messages our bot sends for `text` (long answers are split)."""
    return len(split_message(engine.reply_to(text).html))


@contextlib.asynccontextmanager
async def serving(application: Application, receiver: UpdateReceiver) -> AsyncIterator[None]:
    """The production lifecycle in a task, from start-up until the block ends."""
    stopping, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(run_application(application, receiver, stopping, ready))
    waiter = asyncio.create_task(ready.wait())
    await asyncio.wait({task, waiter}, timeout=START_TIMEOUT_SECONDS,
                       return_when=asyncio.FIRST_COMPLETED)
    if not waiter.done():
        waiter.cancel()
        if task.done():
            task.result()  # what went wrong at start-up
        raise TimeoutError("the application did not start")
    try:
        yield
    finally:
        stopping.set()
        await asyncio.wait_for(task, START_TIMEOUT_SECONDS)


class SendCounter:
    """Counts the messages the stand-in accepted, cheaply enough to wait on after every call."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.sent = 0
        accept = api._api_sendMessage

        async def counting(params: dict[str, Any]) -> dict[str, Any]:
            result = await accept(params)
            self.sent += 1
            return result

        api._api_sendMessage = counting  # type: ignore[method-assign]

    async def wait_for(self, total: int, timeout: float) -> None:
        await self.api.wait_for(lambda: self.sent >= total, timeout)
