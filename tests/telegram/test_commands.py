"""Commands, the command menu and /start deep links, through the real Application."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine.engine import Engine
from bot.telegram.commands import ALL_COMMANDS
from bot.telegram.statistics import without_chart_buttons
from tests.fake_bot_api.updates import GROUP_CHAT_ID, PRIVATE_USER_ID
from tests.telegram.conftest import FakeRecorder, RunningBot, buttons

COMMAND_ACTIONS = [
    ("/start", "start"),
    ("/menu", "menu"),
    ("/faq", "faq-categories"),
    ("/statistik", "stats"),
    ("/lapor", "channels"),
    ("/darurat", "emergency"),
    ("/privasi", "privacy"),
    ("/tentang", "about"),
    ("/bantuan", "help"),
]
DEEP_LINKS = [
    ("faq_apa_itu_tppo", "faq:apa-itu-tppo"),
    ("faq_cara-melapor", "faq:cara-melapor"),
    ("statistik", "stats"),
    ("lapor", "channels"),
    ("darurat", "emergency"),
    ("faq_tidak_ada", "start"),
    ("sesuatu-yang-lain", "start"),
]


async def test_command_menu_is_published_in_indonesian(bot: RunningBot) -> None:
    [call] = bot.api.calls_to("setMyCommands")
    published = {c["command"]: c["description"] for c in call.params["commands"]}
    assert list(published) == [spec.name for spec in ALL_COMMANDS]
    assert published["darurat"] == "Nomor darurat bila Anda dalam bahaya"
    assert all(0 < len(description) <= 256 for description in published.values())


@pytest.mark.parametrize(("command", "action"), COMMAND_ACTIONS)
async def test_each_command_shows_its_engine_page(bot: RunningBot, engine: Engine, command: str,
                                                  action: str) -> None:
    calls = await bot.exchange(bot.api.updates.text(command))
    expected = engine.reply_to_action(action)
    assert expected is not None
    if action == "stats":  # the chart went out first as a photo, so its button is not repeated
        expected = replace(expected, buttons=without_chart_buttons(expected.buttons))
    [sent] = [c for c in calls if c.method == "sendMessage"]
    assert sent.params["text"] == expected.html
    assert sent.params["parse_mode"] == "HTML"
    assert len(buttons(sent)) == sum(len(row) for row in expected.buttons)


@pytest.mark.parametrize(("payload", "action"), DEEP_LINKS)
async def test_deep_links_open_their_item(bot: RunningBot, engine: Engine, payload: str,
                                          action: str) -> None:
    calls = await bot.exchange(bot.api.updates.text(f"/start {payload}"))
    expected = engine.reply_to_action(action)
    assert expected is not None
    assert [c.params["text"] for c in calls if c.method == "sendMessage"] == [expected.html]


async def test_command_addressed_to_this_bot_by_name_works(bot: RunningBot,
                                                           engine: Engine) -> None:
    calls = await bot.exchange(bot.api.updates.text("/Lapor@TppoKaltimTestBot"))
    assert [c.params["text"] for c in calls] == [engine.reply_to_action("channels").html]


async def test_unknown_command_in_private_explains_usage(bot: RunningBot,
                                                         engine: Engine) -> None:
    calls = await bot.exchange(bot.api.updates.text("/tidakada"))
    assert [c.params["text"] for c in calls] == [engine.reply_to_action("help").html]


async def test_commands_work_in_groups_without_mention(bot: RunningBot, engine: Engine) -> None:
    calls = await bot.exchange(bot.api.updates.text("/darurat", chat_id=GROUP_CHAT_ID))
    [sent] = calls
    assert sent.params["text"] == engine.reply_to_action("emergency").html
    assert sent.params["reply_parameters"]["allow_sending_without_reply"] is True


async def test_commands_for_another_bot_are_ignored_in_groups(bot: RunningBot) -> None:
    calls = await bot.exchange(bot.api.updates.text("/faq@BotLain", chat_id=GROUP_CHAT_ID))
    assert calls == []


async def test_commands_and_buttons_are_counted_without_text(bot: RunningBot) -> None:
    recorder = bot.use_recorder(FakeRecorder())
    await bot.exchange(bot.api.updates.text("/start statistik"))
    [recorded] = recorder.named("record_reply")
    assert recorded["user_id"] == PRIVATE_USER_ID
    assert recorded["text"] == ""
    assert recorded["reply"].intent.value == "stats"
