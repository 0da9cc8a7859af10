"""What the welcome tells a person in danger to type, typed back on Telegram, gets the
emergency numbers (the reliability review found `darurat` answered with the 'about' FAQ)."""

from __future__ import annotations

from bot.content.bundle import ContentBundle
from bot.content.emergency_check import danger_vocabulary, emergency_instructions
from bot.engine.engine import Engine
from tests.telegram.conftest import RunningBot


async def test_the_word_the_welcome_says_to_type_gets_the_emergency_reply(
        bot: RunningBot, engine: Engine, content: ContentBundle) -> None:
    calls = await bot.exchange(bot.api.updates.text("/start"))
    [welcome] = [c.params["text"] for c in calls if c.method == "sendMessage"]
    vocabulary = danger_vocabulary(content.emergency_signals.model_dump())
    words = [word for _, _, word in emergency_instructions({"welcome": welcome}, vocabulary)]
    assert words, welcome
    emergency = engine.reply_to_action("emergency")
    assert emergency is not None
    for word in words:
        for typed in (word, word.upper() + "!", f"tolong {word}"):
            calls = await bot.exchange(bot.api.updates.text(typed))
            sent = [c.params["text"] for c in calls if c.method == "sendMessage"]
            assert sent == [emergency.html], typed
