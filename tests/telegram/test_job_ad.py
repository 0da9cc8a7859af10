"""Cek lowongan over the real Telegram stack and real storage: a forwarded or pasted job ad gets
its verdict with buttons, the menu entry and deep link ask for the ad, and the database keeps the
level and sign ids but none of the ad's words."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import select

from bot.settings import Settings
from bot.storage.models import JobAdCheck, MessageEvent
from bot.telegram.botdata import SETTINGS_KEY, STORAGE_KEY
from tests.fake_bot_api import RecordedCall
from tests.telegram.conftest import RunningBot, buttons
from tests.telegram.test_privacy_end_to_end import _database_bytes

AD = ("🔥 LOWONGAN KERJA LUAR NEGERI 🔥\nPosisi: Admin Customer Service\n"
      "Lokasi: Sihanoukville, Kamboja\nGaji USD 1.700 + bonus\nTanpa pengalaman\n"
      "Tiket pesawat ditanggung, mess gratis\nBerangkat minggu depan, kuota terbatas!\n"
      "Minat chat WA 0813-5566-7788 (Kak Melati)")
AD_WORDS = ["Sihanoukville", "Kamboja", "Melati", "0813-5566-7788", "081355667788", "5566",
            "1.700", "Customer Service", "LOWONGAN"]


def _sent(calls: list[RecordedCall]) -> RecordedCall:
    return [c for c in calls if c.method == "sendMessage"][-1]


async def _stored(bot: RunningBot) -> tuple[list[tuple[str, str]], list[str]]:
    storage = bot.application.bot_data[STORAGE_KEY]
    async with storage.session_factory() as session:
        checks = [(c.level, c.sign_ids) for c in await session.scalars(select(JobAdCheck))]
        intents = list(await session.scalars(select(MessageEvent.intent)))
    return checks, intents


async def test_a_forwarded_ad_gets_the_verdict_and_leaves_no_word_behind(
        bot: RunningBot) -> None:
    reply = _sent(await bot.exchange(bot.api.updates.forwarded_text(AD)))
    text = reply.params["text"]
    assert text.startswith("<b>🔴")
    assert "Tujuan yang sering dipakai perdagangan orang" in text
    assert "Gaji jauh di atas wajar" in text
    shown = buttons(reply)
    assert any("siskop2mi" in b.get("url", "") for b in shown)
    assert any(b.get("url", "").startswith("https://wa.me/62") for b in shown)
    assert "v1|jc" in [b.get("callback_data") for b in shown]
    assert any("start%3Dceklowongan" in b.get("url", "") for b in shown)  # share link

    await asyncio.sleep(0.1)
    checks, intents = await _stored(bot)
    [(level, sign_ids)] = checks
    assert level == "high"
    assert {"tujuan-berisiko", "gaji-tidak-wajar", "tiket-gratis"} <= set(sign_ids.split(","))
    assert intents == ["job_offer"]
    settings: Settings = bot.application.bot_data[SETTINGS_KEY]
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("reads the raw SQLite file")
    raw = _database_bytes(settings)
    assert [word for word in AD_WORDS if word.encode() in raw] == []
    assert [word for word in re.findall(r"[a-z]{6,}", AD.lower())
            if word.encode() in raw.lower() and word not in sign_ids] == []


async def test_a_pasted_ad_is_checked_too_and_its_text_is_not_kept(bot: RunningBot) -> None:
    reply = _sent(await bot.exchange(bot.api.updates.text(AD)))
    assert reply.params["text"].startswith("<b>🔴")
    await asyncio.sleep(0.1)
    checks, intents = await _stored(bot)
    assert [level for level, _ in checks] == ["high"] and intents == ["job_offer"]


async def test_the_menu_entry_and_the_deep_link_ask_for_the_ad(bot: RunningBot) -> None:
    menu = _sent(await bot.exchange(bot.api.updates.text("/menu")))
    assert "v1|jobad" in [b.get("callback_data") for b in buttons(menu)]
    prompt = _sent(await bot.exchange(bot.api.updates.callback("v1|jobad",
                                                                message=menu.result)))
    assert "Teruskan (forward) atau tempel iklan" in prompt.params["text"]
    linked = _sent(await bot.exchange(bot.api.updates.text("/start ceklowongan")))
    assert linked.params["text"] == prompt.params["text"]
    command = _sent(await bot.exchange(bot.api.updates.text("/ceklowongan")))
    assert command.params["text"] == prompt.params["text"]


async def test_a_forwarded_question_that_is_no_ad_goes_to_the_faq(bot: RunningBot) -> None:
    reply = _sent(await bot.exchange(bot.api.updates.forwarded_text("apa itu tppo?")))
    assert "<b>🔴" not in reply.params["text"]
    await asyncio.sleep(0.1)
    checks, intents = await _stored(bot)
    assert checks == [] and intents == ["faq"]


async def test_a_forwarded_poster_is_read_from_its_caption(bot: RunningBot) -> None:
    poster = bot.api.updates.media("photo", caption=AD)
    poster["message"]["forward_origin"] = {"type": "hidden_user", "date": 1700000000,
                                           "sender_user_name": "Seseorang"}
    reply = _sent(await bot.exchange(poster))
    assert reply.params["text"].startswith("<b>🔴")
    plain_photo = _sent(await bot.exchange(bot.api.updates.media("photo", caption="kucingku")))
    assert plain_photo.params["text"] != reply.params["text"]
    assert "<b>🔴" not in plain_photo.params["text"]
