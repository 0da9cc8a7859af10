"""Inline buttons: engine pages, paging in place, stale and forged data, and adapter actions."""

from __future__ import annotations

from typing import Any

import pytest

from bot.content.bundle import ContentBundle
from bot.engine.engine import Engine
from bot.engine.reply import ChartRequest
from bot.telegram import hooks
from bot.telegram.texts import toast
from tests.fake_bot_api import RecordedCall
from tests.fake_bot_api.updates import GROUP_CHAT_ID, PRIVATE_USER_ID
from tests.telegram.conftest import FakeRecorder, RunningBot, buttons

PNG = b"\x89PNG\r\n\x1a\nfake chart"


def callback_data(call: RecordedCall) -> list[str]:
    return [b["callback_data"] for b in buttons(call) if "callback_data" in b]


async def press(bot: RunningBot, data: str, on: RecordedCall,
                user_id: int = PRIVATE_USER_ID) -> list[RecordedCall]:
    return await bot.exchange(bot.api.updates.callback(data, message=on.result, user_id=user_id))


async def sent_for(bot: RunningBot, text: str, chat_id: int = PRIVATE_USER_ID) -> RecordedCall:
    calls = await bot.exchange(bot.api.updates.text(text, chat_id=chat_id))
    return [c for c in calls if c.method == "sendMessage"][-1]


def methods(calls: list[RecordedCall]) -> list[str]:
    return [c.method for c in calls]


def stale(engine: Engine) -> str:
    return toast(engine, engine.knowledge.content.messages.stale_button)


async def test_a_menu_button_opens_its_page_as_a_new_message(bot: RunningBot,
                                                             engine: Engine) -> None:
    menu = await sent_for(bot, "/menu")
    calls = await press(bot, "v1|channels", on=menu)
    assert methods(calls) == ["answerCallbackQuery", "sendMessage"]
    assert "text" not in calls[0].params
    assert calls[1].params["text"] == engine.reply_to_action("channels").html


async def test_faq_topics_are_paged_in_place(bot: RunningBot, engine: Engine) -> None:
    topics = await sent_for(bot, "/faq")
    first = next(d for d in callback_data(topics) if d.startswith("v1|cat:"))
    calls = await press(bot, first, on=topics)
    assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
    page = calls[1]
    assert page.params["message_id"] == topics.result["message_id"]
    assert page.params["text"] == engine.reply_to_action(first.removeprefix("v1|")).html
    following = [d for d in callback_data(page) if d.endswith(":1")]
    assert following, "the first topic has a second page"
    calls = await press(bot, following[0], on=page)
    assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
    question = next(d for d in callback_data(calls[1]) if d.startswith("v1|faq:"))
    calls = await press(bot, question, on=calls[1])
    assert methods(calls) == ["answerCallbackQuery", "sendMessage"]  # answers stay in the chat


@pytest.mark.parametrize("data", [
    "v0|menu",                      # an older version of our buttons
    "v1|tidak-dikenal",             # an action the engine does not know (any more)
    "v1|faq:entri-yang-dihapus",    # content reloaded without that entry
    "v1|cat:modus:99",
    "v1|cat:modus:²",               # a forged non-ASCII digit
    "v1|stats:year:1999",
    "v1|fb:apa-itu-tppo:7",
    "v1|fb:tidak-ada:1",
    "v1|chart:pie:x",
    "v1|chart",
    "v1|deldata-yes:x",             # argument-less adapter actions take no arguments
    "v1|erase:1",
    "v1|" + "a" * 80,               # longer than Telegram allows
    "sembarang teks",
    "",
])
async def test_stale_or_forged_buttons_get_a_polite_notice(bot: RunningBot, engine: Engine,
                                                           data: str) -> None:
    menu = await sent_for(bot, "/menu")
    calls = await press(bot, data, on=menu)
    assert methods(calls) == ["answerCallbackQuery"]
    assert calls[0].params["text"] == stale(engine)


async def test_feedback_thanks_removes_the_row_and_is_recorded(bot: RunningBot,
                                                                 engine: Engine) -> None:
    recorder = bot.use_recorder(FakeRecorder())
    answer = await sent_for(bot, "apa itu tppo")
    assert "v1|fb:apa-itu-tppo:1" in callback_data(answer)
    calls = await press(bot, "v1|fb:apa-itu-tppo:0", on=answer)
    assert methods(calls) == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert calls[0].params["text"] == toast(engine,
                                            engine.knowledge.content.messages.feedback_thanks)
    remaining = callback_data(calls[1])
    assert remaining and not any(d.startswith("v1|fb:") for d in remaining)
    assert recorder.named("record_feedback") == [
        {"user_id": PRIVATE_USER_ID, "faq_id": "apa-itu-tppo", "helpful": False}]


async def test_chart_button_sends_the_png(bot: RunningBot, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[ChartRequest] = []

    def render(content: ContentBundle, request: ChartRequest) -> bytes:
        drawn.append(request)
        return PNG

    def title(content: ContentBundle, request: ChartRequest) -> str:
        return "Grafik kasus <TPPO> & wilayah"

    monkeypatch.setattr(hooks, "load_chart_renderer", lambda: (render, title))
    stats = await sent_for(bot, "berapa kasus tppo di samarinda")
    chart = next(d for d in callback_data(stats) if d.startswith("v1|chart:"))
    calls = await press(bot, chart, on=stats)
    assert methods(calls) == ["sendChatAction", "answerCallbackQuery", "sendPhoto"]
    assert drawn == [ChartRequest("region", "samarinda")]
    photo = calls[2]
    assert photo.files["photo"] == PNG
    assert photo.params["caption"] == "Grafik kasus &lt;TPPO&gt; &amp; wilayah"


@pytest.mark.parametrize("problem", ["missing", "broken"])
async def test_chart_problems_are_answered_politely(bot: RunningBot, engine: Engine,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    problem: str) -> None:
    def broken(content: ContentBundle, request: ChartRequest) -> bytes:
        raise RuntimeError("matplotlib exploded")

    monkeypatch.setattr(hooks, "load_chart_renderer",
                        lambda: None if problem == "missing" else (broken, None))
    stats = await sent_for(bot, "/statistik")
    calls = await press(bot, "v1|chart:overview:", on=stats)
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert [a.params["text"] for a in answers] == [
        toast(engine, engine.knowledge.content.messages.feature_unavailable)]
    assert "sendPhoto" not in methods(calls)


@pytest.mark.parametrize("with_storage", [False, True])
async def test_erase_deletes_the_conversation(bot: RunningBot, engine: Engine,
                                              with_storage: bool) -> None:
    if with_storage:
        bot.use_recorder(FakeRecorder())
    question = bot.api.updates.text("tolong saya disekap, paspor ditahan")
    calls = await bot.exchange(question)
    emergency = calls[0]
    calls = await press(bot, "v1|erase", on=emergency)
    assert methods(calls) == ["deleteMessages", "answerCallbackQuery"]
    assert calls[0].params["message_ids"] == [question["message"]["message_id"],
                                              emergency.result["message_id"]]
    assert calls[1].params["text"] == toast(engine, engine.knowledge.content.messages.erase_done)


async def test_erase_is_not_offered_in_groups(bot: RunningBot, engine: Engine) -> None:
    emergency = await sent_for(bot, "/darurat", chat_id=GROUP_CHAT_ID)
    calls = await press(bot, "v1|erase", on=emergency)
    assert methods(calls) == ["answerCallbackQuery"]


@pytest.mark.parametrize(("delete_result", "done"), [(4, True), (-1, False)])
async def test_delete_data_asks_first_then_deletes(bot: RunningBot, engine: Engine,
                                                   delete_result: int, done: bool) -> None:
    recorder = bot.use_recorder(FakeRecorder(delete_result=delete_result))
    prompt = await sent_for(bot, "/hapusdata")
    assert callback_data(prompt) == ["v1|deldata-yes", "v1|menu"]
    assert recorder.named("delete_user_data") == []
    calls = await press(bot, "v1|deldata-yes", on=prompt)
    assert recorder.named("delete_user_data") == [{"user_id": PRIVATE_USER_ID}]
    messages = engine.knowledge.content.messages
    answer: dict[str, Any] = calls[0].params
    if done:
        assert answer["text"] == toast(engine, messages.delete_data_done)
        assert methods(calls) == ["answerCallbackQuery", "editMessageText"]
    else:
        assert answer["text"] == toast(engine, messages.storage_unavailable)
        assert answer["show_alert"] is True


async def test_delete_data_button_from_elsewhere_asks_too(bot: RunningBot) -> None:
    menu = await sent_for(bot, "/menu")
    calls = await press(bot, "v1|deldata", on=menu)
    assert methods(calls) == ["answerCallbackQuery", "sendMessage"]
    assert callback_data(calls[1])[0] == "v1|deldata-yes"
