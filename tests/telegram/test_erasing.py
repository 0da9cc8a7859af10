"""Erasing the conversation (Keluar cepat, Hapus jejak, safe mode) and deleting data, end to end
through the stand-in Bot API: every deletable message of both sides goes, and no answer says
"deleted" when Telegram or storage refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.engine.engine import Engine
from bot.storage.database import open_storage
from bot.storage.models import utc_now
from bot.storage.safe_mode import SafeModeStore
from bot.telegram.app import build_application
from bot.telegram.botdata import (
    INTERACTION_RECORDER_KEY,
    SAFE_MODE_KEY,
    SETTINGS_KEY,
    STORAGE_KEY,
)
from bot.telegram.broadcast import run_round
from bot.telegram.safe_mode import erase_due_chats
from bot.telegram.texts import toast
from tests.fake_bot_api import RecordedCall
from tests.fake_bot_api.updates import PRIVATE_USER_ID
from tests.telegram.conftest import FAST_RETRY, FakeRecorder, RunningBot

CONVERSATION = ["halo", "apa itu tppo", "cara menanam cabai di pot",
                "tolong saya disekap majikan di mess, tidak bisa keluar"]


class StorageDown(FakeRecorder):
    """Every write fails, so reads find nothing, as with a full disk."""

    async def remember_sent_messages(self, **arguments: Any) -> None:
        raise OSError("disk full")

    async def recent_message_ids(self, *, user_id: int) -> list[int] | None:
        return []


class StorageUnreadable(FakeRecorder):
    """Writes are queued but the database does not answer reads (unreachable, or stalled past
    the wait): ids another worker stored cannot be known."""

    async def recent_message_ids(self, *, user_id: int) -> list[int] | None:
        return None


async def _converse(bot: RunningBot) -> tuple[list[int], RecordedCall]:
    """Every message id of the chat (both sides) and the bot's last message."""
    ids, last = [], None
    for text in CONVERSATION:
        update = bot.api.updates.text(text)
        ids.append(update["message"]["message_id"])
        for call in await bot.exchange(update):
            if call.method == "sendMessage":
                ids.append(call.result["message_id"])
                last = call
    assert last is not None
    return sorted(ids), last


def _deleted(bot: RunningBot, since: int = 0) -> set[int]:
    ids: set[int] = set()
    for call in bot.api.calls[since:]:
        if call.ok and call.method == "deleteMessages":
            ids.update(call.params["message_ids"])
        if call.ok and call.method == "deleteMessage":
            ids.add(int(call.params["message_id"]))
    return ids


def _answer(calls: list[RecordedCall]) -> dict[str, Any]:
    return next(c.params for c in calls if c.method == "answerCallbackQuery")


async def test_keluar_cepat_deletes_both_sides_and_leaves_a_neutral_line(
        bot: RunningBot, engine: Engine) -> None:
    ids, emergency = await _converse(bot)
    assert any(b.get("callback_data") == "v1|exit"
               for row in emergency.params["reply_markup"]["inline_keyboard"] for b in row)
    calls = await bot.exchange(bot.api.updates.callback("v1|exit", message=emergency.result))
    assert _deleted(bot) == set(ids)
    messages = engine.knowledge.content.messages
    assert _answer(calls)["text"] == toast(engine, messages.erase_done)
    neutral = [c for c in calls if c.method == "sendMessage"]
    assert [c.params["text"] for c in neutral] == [messages.neutral_line]
    assert neutral[0].params["disable_notification"] is True


async def test_hapus_jejak_finds_every_id_while_storage_writes_fail(bot: RunningBot,
                                                                    engine: Engine) -> None:
    bot.use_recorder(StorageDown())
    ids, emergency = await _converse(bot)
    calls = await bot.exchange(bot.api.updates.callback("v1|erase", message=emergency.result))
    assert _deleted(bot) == set(ids)
    assert _answer(calls)["text"] == toast(engine, engine.knowledge.content.messages.erase_done)


async def test_hapus_jejak_never_says_done_while_storage_cannot_be_read(
        bot: RunningBot, engine: Engine) -> None:
    bot.use_recorder(StorageUnreadable())
    ids, emergency = await _converse(bot)
    calls = await bot.exchange(bot.api.updates.callback("v1|erase", message=emergency.result))
    assert _deleted(bot) == set(ids)  # all this worker knows, yet another may know more
    answer = _answer(calls)
    assert answer["text"] == toast(engine, engine.knowledge.content.messages.erase_partly)
    assert answer["show_alert"] is True


async def test_a_refused_delete_is_reported_and_can_be_tried_again(bot: RunningBot,
                                                                   engine: Engine) -> None:
    messages = engine.knowledge.content.messages
    ids, emergency = await _converse(bot)
    bot.api.undeletable = set(ids)
    calls = await bot.exchange(bot.api.updates.callback("v1|erase", message=emergency.result))
    answer = _answer(calls)
    assert answer["text"] == toast(engine, messages.erase_failed)
    assert answer["show_alert"] is True
    assert _deleted(bot) == set()

    bot.api.undeletable = {ids[0]}  # one message is older than 48 hours
    before = len(bot.api.calls)
    calls = await bot.exchange(bot.api.updates.callback("v1|erase", message=emergency.result))
    assert _answer(calls)["text"] == toast(engine, messages.erase_partly)
    assert _deleted(bot, before) == set(ids[1:])


async def test_hapusdata_never_claims_success_without_storage(bot: RunningBot,
                                                              engine: Engine) -> None:
    bot.application.bot_data.pop(INTERACTION_RECORDER_KEY)
    prompt = next(c for c in await bot.exchange(bot.api.updates.text("/hapusdata"))
                  if c.method == "sendMessage")
    calls = await bot.exchange(bot.api.updates.callback("v1|deldata-yes", message=prompt.result))
    messages = engine.knowledge.content.messages
    assert _answer(calls)["text"] == toast(engine, messages.storage_unavailable)
    assert all(c.params.get("text") != messages.delete_data_done for c in calls)


async def test_safe_mode_erases_at_the_set_time_silently_and_skips_tips(
        bot: RunningBot, engine: Engine) -> None:
    store: SafeModeStore = bot.application.bot_data[SAFE_MODE_KEY]
    recorder = bot.application.bot_data[STORAGE_KEY].recorder
    assert await recorder.set_subscribed(user_id=PRIVATE_USER_ID, subscribed=True,
                                         chat_id=PRIVATE_USER_ID)
    now = utc_now()
    store.clock = lambda: now
    switch = bot.api.updates.text("/aman")
    on = [c for c in await bot.exchange(switch) if c.method == "sendMessage"]
    assert "Mode aman aktif" in on[0].params["text"]
    ids, _ = await _converse(bot)
    replies = [c for c in bot.api.calls if c.method == "sendMessage" and c.ok]
    assert all(c.params.get("disable_notification") is True for c in replies[1:])

    store.clock = lambda: now + store.delay - timedelta(seconds=1)
    assert await erase_due_chats(bot.application) == 0
    assert _deleted(bot) == set()

    store.clock = lambda: now + store.delay
    before = len(bot.api.calls)
    assert await erase_due_chats(bot.application) == 1
    everything = {switch["message"]["message_id"], on[0].result["message_id"], *ids}
    assert _deleted(bot, before) == everything
    left = [c for c in bot.api.calls[before:] if c.method == "sendMessage"]
    assert [c.params["text"] for c in left] == [engine.knowledge.content.messages.neutral_line]
    assert await erase_due_chats(bot.application) == 0  # nothing new since

    result = await run_round(bot.application)
    assert result is not None and result.sent == 0
    assert bot.api.sent_to(PRIVATE_USER_ID)[-1] is left[0]


async def test_another_worker_erases_a_safe_mode_chat_from_storage_alone(
        bot: RunningBot, engine: Engine) -> None:
    """Safe mode is in the database: a worker that never saw the chat erases it all."""
    settings = bot.application.bot_data[SETTINGS_KEY]
    switch = bot.api.updates.text("/aman")
    on = [c for c in await bot.exchange(switch) if c.method == "sendMessage"]
    ids, _ = await _converse(bot)
    other = build_application(settings, engine=engine, retry=FAST_RETRY, open_storage=False)
    storage = await open_storage(settings, upgrade=False)
    await other.initialize()
    try:
        later = utc_now() + timedelta(minutes=settings.safe_mode_minutes)
        other.bot_data[SAFE_MODE_KEY] = SafeModeStore(
            storage.session_factory, storage.keys,
            delay=timedelta(minutes=settings.safe_mode_minutes), clock=lambda: later)
        before = len(bot.api.calls)
        assert await erase_due_chats(other) == 1
    finally:
        await other.shutdown()
        await storage.close()
    everything = {switch["message"]["message_id"], on[0].result["message_id"], *ids}
    assert _deleted(bot, before) == everything
