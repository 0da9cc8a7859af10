"""Weekly tips against the Bot API stand-in: 2,000 subscribers, some 429/502 answers, some who
blocked the bot, a restart midway — everyone reachable gets exactly one tip, paced under the
rate, and the blocked are unsubscribed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.engine.engine import Engine
from bot.prevention.tips_broadcast import TELEGRAM_BROADCAST_LIMIT, TipBroadcaster
from bot.settings import Settings
from bot.storage.models import Subscription, TipDelivery
from bot.telegram.app import build_application
from bot.telegram.botdata import STORAGE_KEY
from bot.telegram.broadcast import BROADCASTER_KEY, run_round
from bot.telegram.runner import receiver_for
from tests.fake_bot_api import FakeBotApi
from tests.telegram.conftest import FAST_RETRY, make_settings, running

FIRST_USER = 700_000


@asynccontextmanager
async def started(settings: Settings, engine: Engine,
                  rate: float | None = None) -> AsyncIterator[Application]:
    """A running bot; `rate` overrides the pace (settings refuse more than Telegram allows)."""
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    async with running(application, receiver_for(application, settings)):
        if rate is not None:
            storage = application.bot_data[STORAGE_KEY]
            application.bot_data[BROADCASTER_KEY] = TipBroadcaster(
                storage.session_factory, storage.keys.address_cipher(), rate=rate)
        yield application


async def _subscribe(application: Application, users: range) -> None:
    recorder = application.bot_data[STORAGE_KEY].recorder
    for user_id in users:
        assert await recorder.set_subscribed(user_id=user_id, subscribed=True, chat_id=user_id)


def _max_per_window(api: FakeBotApi, window: float = 1.0) -> int:
    times = sorted(c.received_at for c in api.calls if c.method == "sendMessage")
    most, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


async def _rows(application: Application, model: Any) -> list[Any]:
    storage = application.bot_data[STORAGE_KEY]
    async with storage.session_factory() as session:
        return list(await session.scalars(select(model)))


@pytest.mark.slow
async def test_two_thousand_subscribers_restart_midway(api: FakeBotApi, engine: Engine) -> None:
    # Our pacer is set above Telegram's limit here, so PTB's AIORateLimiter (30/s overall) is the
    # binding limit; our own 25/s pace is checked on its own below.
    rate = 100.0
    settings = make_settings(api)
    users = range(FIRST_USER, FIRST_USER + 2000)
    blocked = {u for u in users if u % 50 == 0}
    api.blocked_chats |= blocked
    api.fail_fraction(0.01, seed=7, methods={"sendMessage"})

    async with started(settings, engine, rate) as application:
        await _subscribe(application, users)
        round_task = asyncio.create_task(run_round(application))
        await api.wait_for(lambda: len(api.calls_to("sendMessage")) >= 900, timeout=60)
        application.bot_data[BROADCASTER_KEY].stop()  # the graceful part of a restart
        first = await asyncio.wait_for(round_task, 30)
    assert first is not None and 0 < first.sent < len(users) - len(blocked)

    async with started(settings, engine, rate) as application:  # a new process, same database
        second = await run_round(application)
        subscriptions = await _rows(application, Subscription)
        deliveries = await _rows(application, TipDelivery)
    assert second is not None

    reachable = [u for u in users if u not in blocked]
    received = {u: len(api.sent_to(u)) for u in users}
    assert [u for u in reachable if received[u] != 1] == []
    assert [u for u in blocked if received[u] != 0] == []
    assert first.sent + second.sent == len(reachable)
    still_subscribed = [s for s in subscriptions if s.subscribed]
    assert len(still_subscribed) == len(reachable)
    assert all(s.chat_ref is None for s in subscriptions if not s.subscribed)
    assert len({(d.user_key, d.round_key) for d in deliveries}) == len(users)
    assert _max_per_window(api) <= TELEGRAM_BROADCAST_LIMIT


@pytest.mark.parametrize("subscribers", [120])
async def test_production_pace_stays_under_telegram_limit(api: FakeBotApi, engine: Engine,
                                                          subscribers: int) -> None:
    settings = make_settings(api)
    async with started(settings, engine) as application:
        await _subscribe(application, range(FIRST_USER, FIRST_USER + subscribers))
        result = await run_round(application)
    assert result is not None and result.sent == subscribers
    assert _max_per_window(api) <= TELEGRAM_BROADCAST_LIMIT


async def test_a_round_is_never_sent_twice(api: FakeBotApi, engine: Engine) -> None:
    settings = make_settings(api)
    async with started(settings, engine) as application:
        await _subscribe(application, range(FIRST_USER, FIRST_USER + 5))
        await run_round(application)
        again = await run_round(application)
    assert again is not None and again.sent == 0
    assert all(len(api.sent_to(u)) == 1 for u in range(FIRST_USER, FIRST_USER + 5))
