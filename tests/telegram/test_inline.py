"""Inline mode: `@bot question` in any chat."""

from __future__ import annotations

from typing import Any

from bot.engine.engine import Engine
from bot.telegram.inline import CACHE_SECONDS, POPULAR_FAQ_IDS
from tests.telegram.conftest import RunningBot


async def inline_answer(bot: RunningBot, query: str) -> dict[str, Any]:
    calls = await bot.exchange(bot.api.updates.inline_query(query))
    [answer] = [c for c in calls if c.method == "answerInlineQuery"]
    return answer.params


def links(result: dict[str, Any]) -> list[str]:
    return [b["url"] for row in result["reply_markup"]["inline_keyboard"] for b in row]


async def test_empty_query_offers_popular_entries(bot: RunningBot) -> None:
    answer = await inline_answer(bot, "")
    assert [r["id"] for r in answer["results"]] == list(POPULAR_FAQ_IDS)
    assert answer["cache_time"] == CACHE_SECONDS <= 60
    first = answer["results"][0]
    assert first["type"] == "article"
    assert links(first)[-1] == "https://t.me/TppoKaltimTestBot?start=faq_apa_itu_tppo"


async def test_a_question_gives_the_best_answer_first(bot: RunningBot, engine: Engine) -> None:
    question = "ciri ciri lowongan kerja palsu"
    best = engine.reply_to(question)
    answer = await inline_answer(bot, question)
    results = answer["results"]
    assert 1 <= len(results) <= 3
    assert results[0]["id"] == best.faq_id
    assert results[0]["input_message_content"]["message_text"] == best.html
    assert results[0]["input_message_content"]["parse_mode"] == "HTML"
    for result in results:
        assert links(result)[-1].startswith("https://t.me/TppoKaltimTestBot?start=faq_")
        assert all("callback_data" not in b
                   for row in result["reply_markup"]["inline_keyboard"] for b in row)


async def test_an_emergency_query_shows_the_emergency_numbers(bot: RunningBot) -> None:
    answer = await inline_answer(bot, "tolong saya disekap")
    [result] = answer["results"]
    assert result["id"] == "emergency"
    assert links(result)[-1] == "https://t.me/TppoKaltimTestBot?start=darurat"
    assert any(link.startswith("https://wa.me/") for link in links(result))


async def test_an_unclear_query_offers_only_the_engine_suggestions(bot: RunningBot,
                                                                    engine: Engine) -> None:
    query = "resep nasi goreng kampung"
    answer = await inline_answer(bot, query)
    assert [r["id"] for r in answer["results"]] == list(engine.reply_to(query).suggestions)


async def test_a_statistics_query_links_to_the_statistics(bot: RunningBot,
                                                          engine: Engine) -> None:
    answer = await inline_answer(bot, "berapa kasus tppo tahun 2023")
    [result] = answer["results"]
    assert result["input_message_content"]["message_text"] == engine.reply_to(
        "berapa kasus tppo tahun 2023").html
    assert links(result)[-1] == "https://t.me/TppoKaltimTestBot?start=statistik"


async def test_the_deep_link_of_a_result_opens_that_answer(bot: RunningBot,
                                                           engine: Engine) -> None:
    answer = await inline_answer(bot, "cara melapor tppo")
    link = links(answer["results"][0])[-1]
    payload = link.split("start=", 1)[1]
    calls = await bot.exchange(bot.api.updates.text(f"/start {payload}"))
    expected = engine.reply_to_action(f"faq:{answer['results'][0]['id']}")
    assert expected is not None
    assert [c.params["text"] for c in calls] == [expected.html]
