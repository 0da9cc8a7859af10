"""Weekly tips against the Bot API stand-in: 2,000 subscribers, some 429/502 answers, some who
blocked the bot, a restart midway — everyone reachable gets exactly one tip, paced under the
rate, and the blocked are unsubscribed."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Bot
from telegram.ext import Application

from bot.engine.engine import Engine
from bot.prevention.tips_broadcast import TELEGRAM_BROADCAST_LIMIT, TipBroadcaster
from bot.settings import Settings
from bot.storage.models import Subscription, TipDelivery
from bot.storage.tips import DeliveryStatus
from bot.telegram.app import build_application
from bot.telegram.botdata import STORAGE_KEY
from bot.telegram.broadcast import BROADCASTER_KEY, round_summary, run_round, send_tip
from bot.telegram.requests import RetryingRequest
from bot.telegram.runner import receiver_for
from tests.fake_bot_api import TOKEN, FakeBotApi, RecordedCall
from tests.fake_bot_api.updates import GROUP_CHAT_ID, PRIVATE_USER_ID
from tests.telegram.conftest import FAST_RETRY, RunningBot, make_settings, running

FIRST_USER = 700_000
ADMIN = 4_240_001
TEST_RATE = 200.0


@asynccontextmanager
async def started(settings: Settings, engine: Engine) -> AsyncIterator[Application]:
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    async with running(application, receiver_for(application, settings)):
        yield application


async def _subscribe(application: Application, users: range) -> None:
    recorder = application.bot_data[STORAGE_KEY].recorder
    for user_id in users:
        assert await recorder.set_subscribed(user_id=user_id, subscribed=True, chat_id=user_id)


ARRIVAL_JITTER_SECONDS = 0.05
"""How much later than its slot a send may reach the stand-in on a loaded machine (the sleeping
senders wake together after a busy round of the loop): evenly paced slots of 1.05 s once arrived
within one second (205 at 200/s in CI)."""


def _max_per_window(api: FakeBotApi, window: float = 1.0 - ARRIVAL_JITTER_SECONDS) -> int:
    """The most sends that arrived within `window`: a second less the arrival jitter, so what
    is bounded is the pacer's spacing, not the machine's scheduling."""
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


def pace_for_tests(application: Application) -> None:
    """This round's broadcaster sends at TEST_RATE: the settings cap the rate at Telegram's,
    and at 25 tips a second 2,000 subscribers mostly sleep (80 s)."""
    storage = application.bot_data[STORAGE_KEY]
    application.bot_data[BROADCASTER_KEY] = TipBroadcaster(
        storage.session_factory, storage.keys.address_cipher(), rate=TEST_RATE)


async def test_two_thousand_subscribers_restart_midway(api: FakeBotApi, engine: Engine) -> None:
    """Exactly once across a restart, at a test pace (the production pace is checked with
    120 subscribers below)."""
    settings = make_settings(api)
    users = range(FIRST_USER, FIRST_USER + 2000)
    blocked = {u for u in users if u % 50 == 0}
    api.blocked_chats |= blocked
    api.fail_fraction(0.01, seed=7, methods={"sendMessage"})

    async with started(settings, engine) as application:
        await _subscribe(application, users)
        pace_for_tests(application)
        round_task = asyncio.create_task(run_round(application))
        await api.wait_for(lambda: len(api.calls_to("sendMessage")) >= 900, timeout=60)
        application.bot_data[BROADCASTER_KEY].stop()  # the graceful part of a restart
        first = await asyncio.wait_for(round_task, 30)
    assert first is not None and 0 < first.sent < len(users) - len(blocked)

    async with started(settings, engine) as application:  # a new process, same database
        pace_for_tests(application)
        second = await run_round(application)
        subscriptions = await _rows(application, Subscription)
        deliveries = await _rows(application, TipDelivery)
    assert second is not None

    reachable = [u for u in users if u not in blocked]
    sends = Counter(c.params.get("chat_id") for c in api.calls_to("sendMessage"))
    received = {u: sends[u] for u in users}
    assert [u for u in reachable if received[u] != 1] == []
    assert [u for u in blocked if received[u] != 0] == []
    assert first.sent + second.sent == len(reachable)
    still_subscribed = [s for s in subscriptions if s.subscribed]
    assert len(still_subscribed) == len(reachable)
    assert all(s.chat_ref is None for s in subscriptions if not s.subscribed)
    assert len({(d.user_key, d.round_key) for d in deliveries}) == len(users)
    assert _max_per_window(api) <= TEST_RATE + 1


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


async def _subscribe_by_command(bot: RunningBot) -> list[RecordedCall]:
    """/langganan shows the warning first; only its button subscribes."""
    warning = (await bot.exchange(bot.api.updates.text("/langganan")))[-1]
    assert "Jangan berlangganan bila HP Anda bisa diperiksa" in warning.params["text"]
    assert await _rows(bot.application, Subscription) == []
    return await bot.exchange(bot.api.updates.callback("v1|tips-sub", message=warning.result))


async def test_subscribe_and_unsubscribe_commands(bot: RunningBot, engine: Engine) -> None:
    texts = engine.knowledge.content.tips
    calls = await _subscribe_by_command(bot)
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
    await _subscribe_by_command(bot)
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


async def test_tips_are_silent_and_open_with_a_neutral_line(api: FakeBotApi,
                                                            engine: Engine) -> None:
    settings = make_settings(api)
    async with started(settings, engine) as application:
        await _subscribe(application, range(FIRST_USER, FIRST_USER + 1))
        await run_round(application)
    tip = api.sent_to(FIRST_USER)[0]
    first = engine.knowledge.content.tips.tips[0]
    assert tip.params["disable_notification"] is True
    assert tip.params["text"].split("\n")[0] == first.preview


async def test_two_workers_send_each_subscriber_one_tip_at_the_configured_pace(
    api: FakeBotApi, engine: Engine,
) -> None:
    """Two workers on one database start the round at the same moment: one sends it, at the
    configured pace (not twice that), and someone who unsubscribes meanwhile gets nothing."""
    rate = 10.0
    first = make_settings(api, broadcast_rate_per_second=rate)
    second = make_settings(api, broadcast_rate_per_second=rate, data_dir=first.data_dir,
                           database_url=first.database_url)
    users = range(FIRST_USER, FIRST_USER + 40)
    async with started(first, engine) as one, started(second, engine) as two:
        await _subscribe(one, users)
        keys = one.bot_data[STORAGE_KEY].keys
        leaving = max(users, key=keys.key_for)  # the round goes in key order: this one is last
        rounds = asyncio.gather(run_round(one), run_round(two))
        await api.wait_for(lambda: len(api.calls_to("sendMessage")) >= 5, timeout=10)
        assert await two.bot_data[STORAGE_KEY].recorder.set_subscribed(
            user_id=leaving, subscribed=False)
        results = await asyncio.wait_for(rounds, 30)
    assert sorted(r is None for r in results) == [False, True]  # one sent, one found it taken
    assert [u for u in users if u != leaving and len(api.sent_to(u)) != 1] == []
    assert api.sent_to(leaving) == []
    assert _max_per_window(api) <= rate + 1


async def test_a_timed_out_tip_is_not_sent_again(api: FakeBotApi, engine: Engine) -> None:
    """Telegram answered after the bot stopped waiting: the tip may have arrived (here it did),
    so it is counted as uncertain and not sent again, in this round or the next run."""
    settings = make_settings(api)
    users = range(FIRST_USER, FIRST_USER + 3)
    api.delays["sendMessage"] = 0.5
    impatient = Bot(TOKEN, base_url=api.base_url,
                    request=RetryingRequest(retry=FAST_RETRY, read_timeout=0.1))
    async with started(settings, engine) as application, impatient:
        await _subscribe(application, users)
        storage = application.bot_data[STORAGE_KEY]
        tips = engine.knowledge.content.tips.tips
        result = await TipBroadcaster(storage.session_factory, storage.keys.address_cipher()).run(
            tips, "2026-W49", lambda chat_id, html: send_tip(impatient, chat_id, html))
        again = await TipBroadcaster(storage.session_factory, storage.keys.address_cipher()).run(
            tips, "2026-W49", lambda chat_id, html: send_tip(impatient, chat_id, html))
        statuses = {d.status for d in await _rows(application, TipDelivery)}
    assert (result.sent, result.uncertain, result.failed) == (0, 3, 0)
    assert (again.sent, again.uncertain) == (0, 0)
    assert [len(api.sent_to(u)) for u in users] == [1, 1, 1]  # delivered once, never repeated
    assert statuses == {DeliveryStatus.UNCERTAIN}
    assert "3 mungkin terkirim" in round_summary(result)


async def test_stopping_the_bot_stops_a_round_between_sends(api: FakeBotApi,
                                                            engine: Engine) -> None:
    """SIGTERM during a staff-started round: the bot stops within a send or two, tells staff,
    and the next start sends the rest, still one tip each."""
    settings = make_settings(api, bot_admin_ids=frozenset({ADMIN}), broadcast_rate_per_second=5)
    users = range(FIRST_USER, FIRST_USER + 30)
    async with started(settings, engine) as application:
        await _subscribe(application, users)
        bot = RunningBot(application, api, receiver_for(application, settings))
        preview = [c for c in await bot.exchange(api.updates.text("/kirimtips", chat_id=ADMIN))
                   if c.method == "sendMessage"][-1]
        await bot.exchange(api.updates.callback("v1|tips-send", message=preview.result,
                                                user_id=ADMIN))
        await api.wait_for(lambda: sum(len(api.sent_to(u)) for u in users) >= 3, timeout=10)
        stopping_at = time.monotonic()
    stop_seconds = time.monotonic() - stopping_at  # `started` ends like SIGTERM: stop, shutdown
    sent_before_stop = sum(len(api.sent_to(u)) for u in users)
    assert stop_seconds < 3
    assert sent_before_stop < len(users) / 2
    assert "dihentikan" in api.sent_to(ADMIN)[-1].params["text"]

    async with started(settings, engine) as application:
        await run_round(application)
    assert [u for u in users if len(api.sent_to(u)) != 1] == []


async def test_an_unsubscribe_while_waiting_for_the_send_slot_is_honoured(
        api: FakeBotApi, engine: Engine) -> None:
    """At two tips a second the other senders wait for their slot; someone who unsubscribes
    during that wait gets nothing (the claim, which checks the subscription, comes after it)."""
    settings = make_settings(api)
    users = range(FIRST_USER, FIRST_USER + 3)
    async with started(settings, engine) as application:
        await _subscribe(application, users)
        storage = application.bot_data[STORAGE_KEY]
        second = sorted(users, key=storage.keys.key_for)[1]  # the round goes in key order
        broadcaster = TipBroadcaster(storage.session_factory, storage.keys.address_cipher(),
                                     rate=2.0)
        tips = engine.knowledge.content.tips.tips
        round_ = asyncio.create_task(broadcaster.run(
            tips, "2026-W50", lambda chat_id, html: send_tip(application.bot, chat_id, html)))
        await api.wait_for(lambda: len(api.calls_to("sendMessage")) == 1, timeout=10)
        assert await storage.recorder.set_subscribed(user_id=second, subscribed=False)
        result = await asyncio.wait_for(round_, 10)
    assert api.sent_to(second) == []
    assert result.sent == 2
