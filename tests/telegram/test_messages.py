"""Free text, everything that is not text, and group chats."""

from __future__ import annotations

import logging

import pytest

from bot.content.telegram_html import MAX_MESSAGE_LENGTH, html_problems
from bot.engine.engine import Engine
from bot.engine.reply import Button, Intent, Reply
from bot.telegram.sending import send_reply
from bot.telegram.texts import message_html, with_menu
from tests.fake_bot_api.updates import GROUP_CHAT_ID, MEDIA, PRIVATE_USER_ID
from tests.telegram.conftest import FakeRecorder, RunningBot, buttons

QUESTIONS = {
    Intent.EMERGENCY: "tolong saya disekap majikan, paspor ditahan, tidak boleh pulang",
    Intent.STATS: "berapa kasus tppo di samarinda tahun 2023",
    Intent.FAQ: "apa itu tppo",
    Intent.SMALLTALK: "halo selamat pagi",
    Intent.FALLBACK: "resep nasi goreng kampung yang enak",
}


def sent_texts(calls: list) -> list[str]:
    return [c.params["text"] for c in calls if c.method == "sendMessage"]


@pytest.mark.parametrize("intent", list(QUESTIONS))
async def test_free_text_of_each_intent_gets_the_engine_reply(bot: RunningBot, engine: Engine,
                                                               intent: Intent) -> None:
    expected = engine.reply_to(QUESTIONS[intent])
    assert expected.intent is intent
    calls = await bot.exchange(bot.api.updates.text(QUESTIONS[intent]))
    assert sent_texts(calls) == [expected.html]


async def test_emergency_reply_comes_first_and_carries_the_channel_buttons(
        bot: RunningBot) -> None:
    calls = await bot.exchange(bot.api.updates.text(QUESTIONS[Intent.EMERGENCY]))
    first = calls[0]
    assert first.method == "sendMessage"
    assert first.params["text"].startswith("🚨")
    links = [b["url"] for b in buttons(first) if "url" in b]
    assert any(link.startswith("https://wa.me/") for link in links)
    assert {"v1|exit", "v1|safe"} <= {b.get("callback_data") for b in buttons(first)}


async def test_emergency_and_forwarded_text_never_reach_storage(bot: RunningBot) -> None:
    recorder = bot.use_recorder(FakeRecorder())
    await bot.exchange(bot.api.updates.text(QUESTIONS[Intent.EMERGENCY]))
    await bot.exchange(bot.api.updates.forwarded_text("lowongan kerja ke luar negeri gaji besar"))
    await bot.exchange(bot.api.updates.text(QUESTIONS[Intent.FALLBACK]))
    texts = [r["text"] for r in recorder.named("record_reply")]
    assert texts == ["", "", QUESTIONS[Intent.FALLBACK]]


async def test_forwarded_text_is_answered_like_a_question(bot: RunningBot, engine: Engine) -> None:
    calls = await bot.exchange(bot.api.updates.forwarded_text("apa itu tppo"))
    assert sent_texts(calls) == [engine.reply_to("apa itu tppo").html]


@pytest.mark.parametrize("kind", sorted(MEDIA))
async def test_non_text_gets_a_kind_note_and_the_menu(bot: RunningBot, engine: Engine, kind: str,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    recorder = bot.use_recorder(FakeRecorder())
    caplog.set_level(logging.DEBUG, logger="bot")
    calls = await bot.exchange(bot.api.updates.media(kind))
    expected = with_menu(engine, engine.knowledge.content.messages.non_text)
    [sent] = [c for c in calls if c.method == "sendMessage"]
    assert sent.params["text"] == expected.html
    assert next(b["callback_data"] for b in buttons(sent)) == "v1|faq-categories"
    assert recorder.named("record_reply") == []
    assert "6281200000000" not in caplog.text and "117.15" not in caplog.text


async def test_edited_messages_are_not_answered_again(bot: RunningBot, engine: Engine) -> None:
    calls = await bot.exchange(bot.api.updates.text("apa itu tppo", edited=True))
    expected = message_html(engine, engine.knowledge.content.messages.edited_message)
    assert sent_texts(calls) == [expected]


async def test_very_long_and_html_looking_text_is_answered_safely(bot: RunningBot) -> None:
    long_text = "apakah lowongan kerja di kapal ini aman? " * 110
    tricky = '<b>tolong</b> <script>alert(1)</script> & <a href="javascript:x">klik</a> 5 < 6'
    for text in (long_text, tricky, "&amp; &lt;b&gt; <<>> </i>"):
        assert len(long_text) > 4000
        calls = await bot.exchange(bot.api.updates.text(text))
        [reply] = sent_texts(calls)
        assert html_problems(reply) == []


async def test_a_reply_over_the_limit_is_split_with_buttons_on_the_last_part(
        bot: RunningBot) -> None:
    sentence = "Kalimat panjang tentang <b>perlindungan</b> pekerja migran &amp; keluarga. "
    paragraph = sentence * 20
    reply = Reply(Intent.FAQ, "\n\n".join([paragraph] * 8),
                  ((Button("📋 Menu", action="menu"),),))
    assert len(reply.html) > 2 * MAX_MESSAGE_LENGTH
    sent = await send_reply(bot.application.bot, PRIVATE_USER_ID, reply)
    calls = bot.api.sent_to(PRIVATE_USER_ID)
    assert len(sent) == len(calls) >= 3
    assert all(len(c.params["text"]) <= MAX_MESSAGE_LENGTH for c in calls)
    assert all(html_problems(c.params["text"]) == [] for c in calls)
    assert [bool(buttons(c)) for c in calls] == [False] * (len(calls) - 1) + [True]
    assert "".join(c.params["text"] for c in calls).replace("\n", "") == reply.html.replace(
        "\n", "")


class TestGroups:
    async def test_group_messages_not_for_the_bot_are_ignored(self, bot: RunningBot) -> None:
        updates = bot.api.updates
        for update in (updates.text("apa itu tppo", chat_id=GROUP_CHAT_ID),
                       updates.text("tolong disekap", chat_id=GROUP_CHAT_ID),
                       updates.media("sticker", chat_id=GROUP_CHAT_ID),
                       updates.text("apa itu tppo", chat_id=GROUP_CHAT_ID, edited=True)):
            assert await bot.exchange(update) == []

    async def test_a_mention_is_answered_without_the_mention(self, bot: RunningBot,
                                                             engine: Engine) -> None:
        update = bot.api.updates.text("@TppoKaltimTestBot apa itu tppo?", chat_id=GROUP_CHAT_ID)
        calls = await bot.exchange(update)
        [sent] = calls
        assert sent.params["text"] == engine.reply_to("apa itu tppo?").html
        assert sent.params["reply_parameters"]["message_id"] == update["message"]["message_id"]

    async def test_a_reply_to_the_bot_is_answered(self, bot: RunningBot, engine: Engine) -> None:
        [menu] = await bot.exchange(bot.api.updates.text("/menu", chat_id=GROUP_CHAT_ID))
        calls = await bot.exchange(bot.api.updates.reply_to_bot("cara melapor tppo", menu.result))
        assert sent_texts(calls) == [engine.reply_to("cara melapor tppo").html]

    async def test_a_sticker_replying_to_the_bot_gets_the_note(self, bot: RunningBot,
                                                               engine: Engine) -> None:
        [menu] = await bot.exchange(bot.api.updates.text("/menu", chat_id=GROUP_CHAT_ID))
        update = bot.api.updates.media("sticker", chat_id=GROUP_CHAT_ID)
        update["message"]["reply_to_message"] = menu.result
        calls = await bot.exchange(update)
        non_text = with_menu(engine, engine.knowledge.content.messages.non_text).html
        assert sent_texts(calls) == [non_text]
