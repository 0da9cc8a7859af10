"""Issue 15.5 and 15.7: a second poller makes this one stop with one clear line per conflict;
a removed webhook is registered again, loudly; no network at start-up is one line per retry."""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus

import pytest
from telegram.ext import Application

from bot.engine.engine import Engine
from bot.telegram.app import build_application
from bot.telegram.fetching import MAX_CONFLICTS
from bot.telegram.runner import ReceiverFailed, WebhookReceiver, receiver_for, run_application
from tests.fake_bot_api import FakeBotApi
from tests.telegram.conftest import FAST_RETRY, make_settings, running
from tests.telegram.test_webhook import SECRET, WEBHOOK_URL, free_port


async def test_repeated_409_conflicts_stop_the_poller_with_one_line_each(
        api: FakeBotApi, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(api)
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    api.fail_next(MAX_CONFLICTS, HTTPStatus.CONFLICT, methods={"getUpdates"})
    with pytest.raises(ReceiverFailed, match="409 Conflict"):
        await asyncio.wait_for(run_application(application, receiver_for(application, settings),
                                               asyncio.Event()), 30)
    conflicts = [r for r in caplog.records if "409 Conflict" in r.getMessage()]
    assert len(conflicts) == MAX_CONFLICTS
    assert all(r.exc_info is None for r in caplog.records if r.levelno >= logging.WARNING)


def _webhook_worker(api: FakeBotApi, engine: Engine) -> tuple[Application, WebhookReceiver]:
    """A webhook-mode bot whose getWebhookInfo check runs every 0.1 s."""
    settings = make_settings(api, webhook_url=WEBHOOK_URL, webhook_secret=SECRET,
                             listen_port=free_port())
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    receiver = receiver_for(application, settings)
    assert isinstance(receiver, WebhookReceiver)
    receiver.check_interval = 0.1
    return application, receiver


async def test_a_removed_webhook_is_registered_again_and_logged(
        api: FakeBotApi, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    application, receiver = _webhook_worker(api, engine)
    async with running(application, receiver):
        await api.wait_for(lambda: len(api.calls_to("setWebhook")) == 1)
        api.webhook = {}  # what deleteWebhook from a stray poller does
        await api.wait_for(lambda: len(api.calls_to("setWebhook")) == 2, timeout=5)
        assert api.webhook["url"] == WEBHOOK_URL
    [removed] = [r for r in caplog.records if "webhook was removed" in r.getMessage()]
    assert removed.levelno == logging.ERROR


async def test_telegram_out_of_reach_at_set_webhook_is_retried_not_a_crash(
        api: FakeBotApi, engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    application, receiver = _webhook_worker(api, engine)
    attempts = FAST_RETRY.attempts  # each setWebhook request retries 502 this often itself
    api.fail_next(2 * attempts + 1, HTTPStatus.BAD_GATEWAY, methods=["setWebhook"])
    async with running(application, receiver):
        await api.wait_for(lambda: len(api.calls_to("setWebhook")) == 1, timeout=5)
        assert api.webhook["url"] == WEBHOOK_URL
        assert not receiver.failed.is_set()
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
                and r.name.startswith("bot.telegram.runner")]
    assert warnings == ["Cannot reach Telegram to register the webhook (NetworkError); "
                        "trying again", "Could not register the webhook (NetworkError)"]
    # (PTB itself logs the 502 page it cannot parse as JSON with its traceback.)
    assert all(r.exc_info is None for r in caplog.records if r.name.startswith("bot."))


async def test_no_network_at_start_up_is_one_line_per_retry(
        engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    api = FakeBotApi()
    api.port = free_port()  # nothing listens there
    settings = make_settings(api)
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    stopping = asyncio.Event()
    serving = asyncio.create_task(
        run_application(application, receiver_for(application, settings), stopping))
    for _ in range(100):
        if any("Cannot reach Telegram" in r.getMessage() for r in caplog.records):
            break
        await asyncio.sleep(0.05)
    stopping.set()
    await asyncio.wait_for(serving, 10)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING
                and r.name.startswith("bot.telegram.runner")]
    assert warnings and all("Cannot reach Telegram" in r.getMessage() for r in warnings)
    assert all(r.exc_info is None for r in caplog.records)
