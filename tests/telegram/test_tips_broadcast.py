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
from bot.prevention.tips_broadcast import TELEGRAM_BROADCAST_LIMIT
from bot.settings import Settings
from bot.storage.models import Subscription, TipDelivery
from bot.telegram.app import build_application
from bot.telegram.botdata import STORAGE_KEY
from bot.telegram.broadcast import BROADCASTER_KEY, run_round
from bot.telegram.runner import receiver_for
from tests.fake_bot_api import FakeBotApi
from tests.fake_bot_api.updates import GROUP_CHAT_ID, PRIVATE_USER_ID
from tests.telegram.conftest import FAST_RETRY, RunningBot, make_settings, running

FIRST_USER = 700_000
ADMIN = 4_240_001


@asynccontextmanager
async def started(settings: Settings, engine: Engine) -> AsyncIterator[Application]:
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    async with running(application, receiver_for(application, settings)):
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
    settings = make_settings(api)
    users = range(FIRST_USER, FIRST_USER + 2000)
    blocked = {u for u in users if u % 50 == 0}
    api.blocked_chats |= blocked
    api.fail_fraction(0.01, seed=7, methods={"sendMessage"})

    async with started(settings, engine) as application:
        await _subscribe(application, users)
        round_task = asyncio.create_task(run_round(application))
        await api.wait_for(lambda: len(api.calls_to("sendMessage")) >= 900, timeout=60)
        application.bot_data[BROADCASTER_KEY].stop()  # the graceful part of a restart
        first = await asyncio.wait_for(round_task, 30)
    assert first is not None and 0 < first.sent < len(users) - len(blocked)

    async with started(settings, engine) as application:  # a new process, same database
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


async def test_subscribe_and_unsubscribe_commands(bot: RunningBot, engine: Engine) -> None:
    texts = engine.knowledge.content.tips
    calls = await bot.exchange(bot.api.updates.text("/langganan"))
    assert texts.subscribed.split(".")[0] in calls[-1].params["text"]
    rows = await _rows(bot.application, Subscription)
    assert len(rows) == 1 and rows[0].subscribed and rows[0].chat_ref
    assert str(PRIVATE_USER_ID) not in rows[0].chat_ref

    calls = await bot.exchange(bot.api.updates.text("/berhenti"))
    assert texts.unsubscribed.split(".")[0] in calls[-1].params["text"]
    rows = await _rows(bot.application, Subscription)
    assert not rows[0].subscribed and rows[0].chat_ref is None


async def test_subscribing_needs_a_private_chat(bot: RunningBot, engine: Engine) -> None:
    calls = await bot.exchange(bot.api.updates.text("/langganan", chat_id=GROUP_CHAT_ID))
    assert engine.knowledge.content.tips.private_only.split(".")[0] in calls[-1].params["text"]
    assert await _rows(bot.application, Subscription) == []


async def test_kirimtips_is_for_staff_only(bot: RunningBot, engine: Engine) -> None:
    await bot.exchange(bot.api.updates.text("/langganan"))
    calls = await bot.exchange(bot.api.updates.text("/kirimtips"))
    assert calls[-1].params["text"] == engine.knowledge.content.messages.staff_only.strip()
    assert await _rows(bot.application, TipDelivery) == []


async def test_staff_preview_then_send(api: FakeBotApi, engine: Engine) -> None:
    settings = make_settings(api, bot_admin_ids=frozenset({ADMIN}))
    async with started(settings, engine) as application:
        await _subscribe(application, range(FIRST_USER, FIRST_USER + 3))
        bot = RunningBot(application, api, receiver_for(application, settings))
        preview = [c for c in await bot.exchange(api.updates.text("/kirimtips", chat_id=ADMIN))
                   if c.method == "sendMessage"][-1]
        assert "Akan menerima tip sekarang: 3" in preview.params["text"]
        assert all(len(api.sent_to(u)) == 0 for u in range(FIRST_USER, FIRST_USER + 3))
        await bot.exchange(api.updates.callback("v1|tips-send", message=preview.result,
                                                user_id=ADMIN))
        # The round runs in the background; its summary comes to the staff chat at the end.
        await api.wait_for(lambda: "terkirim" in api.sent_to(ADMIN)[-1].params["text"])
        assert all(len(api.sent_to(u)) == 1 for u in range(FIRST_USER, FIRST_USER + 3))
        assert "3 terkirim" in api.sent_to(ADMIN)[-1].params["text"]
