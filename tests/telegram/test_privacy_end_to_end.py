"""Issue "storage and privacy", end to end: a scripted conversation through the real Telegram
stack and real storage, then the raw database file is searched for anything identifying."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.settings import Settings
from bot.storage.models import USER_TABLES, UpdateRecord
from bot.storage.report import usage_report
from bot.telegram.botdata import SETTINGS_KEY, STORAGE_KEY
from tests.fake_bot_api.updates import PRIVATE_USER_ID
from tests.telegram.conftest import RunningBot

PHONE = "0812-3456-7890"
EMAIL = "siti.aminah@contoh.id"
EMERGENCY = "tolong saya disekap majikan di gang mawar tidak bisa keluar"
CONTACT_PHONE = "6281200000000"


async def _press(bot: RunningBot, data: str, message: dict) -> None:
    await bot.exchange(bot.api.updates.callback(data, message=message))


async def _converse(bot: RunningBot) -> None:
    updates = bot.api.updates
    faq = await bot.exchange(updates.text("apa itu tppo"))
    await _press(bot, "v1|fb:apa-itu-tppo:1", faq[-1].result)
    await bot.exchange(updates.text(f"nomor saya {PHONE}, email {EMAIL}, cara menanam cabai?"))
    await bot.exchange(updates.text(EMERGENCY))
    await bot.exchange(updates.media("contact"))
    await bot.exchange(updates.media("location"))


IDENTIFYING_CONVERSATION = [
    "nama saya Siti Aminah, tinggal di gang Mawar dekat Sungai Pinang, bagaimana cara menanam "
    "cabai di pot?",
    "nama saya Budi Santoso dari Muara Badak, bagaimana cara menanam cabai di pot?",
    # The recipe question is its own sentence: run on after the employer and agency in one
    # sentence, the intent model reads it as a question about agencies (a known miss).
    "majikan saya Pak Hendra di PT Sinar Abadi, akunnya @agen_kaltim, nomornya 0812-3456-7890. "
    "resep rendang apa ya",
    "NIK saya 6471020304050001 dan rekening BRI 1234567890 atas nama Dewi Lestari, alamat "
    "Jl. Cendana no 12 mess Karya Utama, cara bikin kue?",
]
IDENTIFYING_WORDS = ["Siti", "Aminah", "Mawar", "Pinang", "Budi", "Santoso", "Badak", "Hendra",
                     "Sinar Abadi", "agen_kaltim", "0812-3456-7890", "081234567890",
                     "6471020304050001", "1234567890", "Dewi", "Lestari", "Cendana", "Karya"]


def _whole_word_in(raw: bytes, word: str) -> bool:
    """Lowercased, as a whole word: the encrypted update payloads are base64 text, in which a
    four-letter run such as 'siti' turns up by chance (it made this test fail now and then)."""
    pattern = rb"(?<![a-z0-9])" + re.escape(word.lower().encode()) + rb"(?![a-z0-9])"
    return re.search(pattern, raw) is not None


def _database_bytes(settings: Settings) -> bytes:
    path = Path(settings.database_url.split("///", 1)[1])
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


async def _rows_per_table(bot: RunningBot) -> dict[str, int]:
    """Rows tied to a user, per table, once the write-behind queue has written everything."""
    storage = bot.application.bot_data[STORAGE_KEY]
    assert await storage.writer.flush()
    counts = {}
    async with storage.session_factory() as session:
        for model in USER_TABLES:
            table = model.__table__
            counts[table.name] = await session.scalar(select(func.count()).select_from(table))
    return counts


async def _ledger_payloads(bot: RunningBot) -> int:
    """Updates whose text the ledger still holds, once the last handled marks are written."""
    storage = bot.application.bot_data[STORAGE_KEY]
    for _ in range(100):
        async with storage.session_factory() as session:
            held = await session.scalar(select(func.count()).select_from(UpdateRecord)
                                        .where(UpdateRecord.payload.is_not(None)))
        if not held:
            return 0
        await asyncio.sleep(0.02)
    return int(held or 0)


async def test_database_keeps_nothing_identifying(bot: RunningBot) -> None:
    settings: Settings = bot.application.bot_data[SETTINGS_KEY]
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("reads the raw SQLite file")
    await _converse(bot)
    assert await bot.application.bot_data[STORAGE_KEY].writer.flush()
    raw = _database_bytes(settings)
    forbidden = [str(PRIVATE_USER_ID), "Warga", PHONE, PHONE.replace("-", ""), "3456-7890",
                 EMAIL, "siti.aminah", "contoh.id", "disekap", "gang mawar", CONTACT_PHONE]
    assert [word for word in forbidden if word.encode() in raw] == []
    counts = await _rows_per_table(bot)
    assert counts["message_events"] >= 3
    assert counts["feedback"] == 1
    assert counts["unanswered_questions"] == 1
    assert b"[nomor]" in raw and b"[email]" in raw


async def test_hapusdata_leaves_no_row(bot: RunningBot) -> None:
    await _converse(bot)
    before = await _rows_per_table(bot)
    assert sum(before.values()) > 0
    prompt = (await bot.exchange(bot.api.updates.text("/hapusdata")))[-1]
    await _press(bot, "v1|deldata-yes", prompt.result)
    after = await _rows_per_table(bot)
    assert after == dict.fromkeys(after, 0)
    assert await _ledger_payloads(bot) == 0


async def test_hapus_jejak_deletes_the_recent_messages(bot: RunningBot) -> None:
    first = bot.api.updates.text("apa itu tppo")
    await bot.exchange(first)
    question = bot.api.updates.text(EMERGENCY)
    calls = await bot.exchange(question)
    emergency = next(c for c in calls if c.method == "sendMessage")
    calls = await bot.exchange(bot.api.updates.callback("v1|erase", message=emergency.result))
    deleted = next(c for c in calls if c.method == "deleteMessages").params["message_ids"]
    assert first["message"]["message_id"] in deleted
    assert question["message"]["message_id"] in deleted
    assert emergency.result["message_id"] in deleted


async def test_names_and_places_never_reach_the_database_yet_the_report_groups(
        bot: RunningBot) -> None:
    settings: Settings = bot.application.bot_data[SETTINGS_KEY]
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("reads the raw SQLite file")
    for text in IDENTIFYING_CONVERSATION:
        await bot.exchange(bot.api.updates.text(text))
    raw = _database_bytes(settings).lower()  # the main file, -wal and -shm
    assert [word for word in IDENTIFYING_WORDS if _whole_word_in(raw, word)] == []
    storage = bot.application.bot_data[STORAGE_KEY]
    report = await usage_report(storage.session_factory, bot.application.bot_data["engine"]
                                .knowledge, days=1)
    sizes = sorted((group.count for group in report.unanswered), reverse=True)
    assert sizes == [2, 1, 1]
    assert "[nama]" in report.unanswered[0].examples[0]
    assert "cabai" in report.unanswered[0].examples[0]
