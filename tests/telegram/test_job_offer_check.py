"""Cek Tawaran Kerja over the real Telegram stack: levels, back, cancel, expiry, deep link,
share button, and only the level (never the answers) in the database."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from bot.content.bundle import ContentBundle
from bot.engine.engine import Engine
from bot.storage.models import Base, JobOfferCheck, Subscription
from bot.telegram.botdata import STORAGE_KEY
from bot.telegram.texts import toast
from tests.fake_bot_api import RecordedCall
from tests.telegram.conftest import RunningBot, buttons

LABELS = {"y": "Ya", "n": "Tidak", "u": "Tidak tahu"}


def _data(call: RecordedCall, label: str) -> str:
    return next(b["callback_data"] for b in buttons(call) if b["text"] == label)


def _last_sent(calls: list[RecordedCall]) -> RecordedCall:
    return [c for c in calls if c.method == "sendMessage"][-1]


async def _answer_all(bot: RunningBot, first: RecordedCall, codes: str) -> RecordedCall:
    return (await _answer_all_parts(bot, first, codes))[-1]


async def _answer_all_parts(bot: RunningBot, first: RecordedCall,
                            codes: str) -> list[RecordedCall]:
    """Every message sent for the last answer (a long result arrives in several parts)."""
    sent = [first]
    for code in codes:
        current = sent[-1]
        calls = await bot.exchange(bot.api.updates.callback(_data(current, LABELS[code]),
                                                            message=current.result))
        sent = [c for c in calls if c.method == "sendMessage"]
    return sent


def _codes(content: ContentBundle, pattern: str) -> str:
    questions = content.job_offer_check.questions
    safe = ["n" if q.risky_answer == "ya" else "y" for q in questions]
    abroad = "y"  # the first question: the job is abroad, so every question follows
    if pattern == "dangerous":
        return abroad + "".join("y" if q.risky_answer == "ya" else "n" for q in questions)
    if pattern == "doubtful":
        safe[0] = safe[2] = "u"
    return abroad + "".join(safe)


async def _levels_in_database(bot: RunningBot) -> list[str]:
    storage = bot.application.bot_data[STORAGE_KEY]
    async with storage.session_factory() as session:
        return list(await session.scalars(select(JobOfferCheck.level)))


@pytest.mark.parametrize(("pattern", "level"), [
    ("safe", "low"), ("doubtful", "check"), ("dangerous", "high"),
])
async def test_scripted_checks_reach_the_expected_level(bot: RunningBot, content: ContentBundle,
                                                        pattern: str, level: str) -> None:
    start = _last_sent(await bot.exchange(bot.api.updates.text("/cektawaran")))
    parts = await _answer_all_parts(bot, start, _codes(content, pattern))
    result = parts[-1]
    text = "".join(part.params["text"] for part in parts)
    assert getattr(content.job_offer_check, level).title in text
    share = next(b for b in buttons(result) if b.get("url", "").startswith("https://t.me/share"))
    shared = parse_qs(urlsplit(share["url"]).query)
    assert shared["url"][0].endswith("?start=cektawaran")
    assert await _levels_in_database(bot) == [level]


async def test_nothing_of_the_answers_is_stored(bot: RunningBot, content: ContentBundle) -> None:
    codes = _codes(content, "dangerous")
    start = _last_sent(await bot.exchange(bot.api.updates.text("/cektawaran")))
    await _answer_all(bot, start, codes)
    storage = bot.application.bot_data[STORAGE_KEY]
    async with storage.session_factory() as session:
        rows = list(await session.scalars(select(JobOfferCheck)))
        assert list(await session.scalars(select(Subscription))) == []
        values = []
        for table in Base.metadata.sorted_tables:
            values += [str(v) for row in (await session.execute(select(table))).all() for v in row]
    stored = " ".join(values)
    assert [row.level for row in rows] == ["high"]
    questions = content.job_offer_check.questions
    for text in [q.reason for q in questions] + [q.text for q in questions]:
        assert text not in stored
    assert f":{codes}" not in stored and "jc:" not in stored


async def test_back_and_cancel(bot: RunningBot, content: ContentBundle) -> None:
    start = _last_sent(await bot.exchange(bot.api.updates.text("/start cektawaran")))
    assert "Pertanyaan 1 dari" in start.params["text"]
    second = await _answer_all(bot, start, "y")
    assert "Pertanyaan 2 dari" in second.params["text"]
    calls = await bot.exchange(bot.api.updates.callback(_data(second, "⬅️ Kembali"),
                                                        message=second.result))
    again = _last_sent(calls)
    assert "Pertanyaan 1 dari" in again.params["text"]
    calls = await bot.exchange(bot.api.updates.callback(_data(again, "✖️ Batal"),
                                                        message=again.result))
    assert content.job_offer_check.cancelled.split(".")[0] in _last_sent(calls).params["text"]
    assert await _levels_in_database(bot) == []


async def test_an_abandoned_check_expires_quietly(bot: RunningBot, engine: Engine) -> None:
    start = _last_sent(await bot.exchange(bot.api.updates.text("/cektawaran")))
    calls = await bot.exchange(bot.api.updates.callback("v1|jc:1:y", message=start.result))
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert [a.params.get("text") for a in answers] == [
        toast(engine, engine.knowledge.content.messages.stale_button)]
    assert [c for c in calls if c.method == "sendMessage"] == []


async def test_job_offer_questions_offer_the_check(bot: RunningBot) -> None:
    calls = await bot.exchange(bot.api.updates.text(
        "adik saya ditawari kerja di malaysia gaji 15 juta tanpa biaya, aman gak?"))
    assert "v1|jc" in [b.get("callback_data") for b in buttons(_last_sent(calls))]
