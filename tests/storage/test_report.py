"""The staff report: counts per intent and FAQ, feedback, emergencies, grouped unanswered."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.main import main
from bot.cli.report import format_csv, format_json, format_text
from bot.engine.knowledge import Knowledge
from bot.engine.reply import Intent
from bot.language.normaliser import Normaliser
from bot.storage.database import create_engine_for, create_session_factory, upgrade_database
from bot.storage.keys import PseudonymousKeys
from bot.storage.recorder import InteractionRecorder
from bot.storage.report import UsageReport, group_similar, ngram_vector, usage_report
from tests.conftest import CONTENT_DIR, seed_model_cache
from tests.storage.conftest import TEST_SECRET, FakeClock
from tests.storage.samples import emergency_reply, fallback_reply, faq_reply, other_reply

PASSPORT = (
    "berapa biaya bikin paspor di samarinda",
    "biaya bikin paspor di samarinda berapa?",
    "berapa biaya buat paspor di samarinda",
)
WAGES = ("gaji saya belum dibayar 3 bulan di kebun sawit", "gaji belum dibayar 3 bulan di sawit")
WEATHER = "cuaca hari ini gimana"


async def populate(recorder: InteractionRecorder, clock: FakeClock) -> None:
    """A month of use by a handful of people, plus one old message outside the period."""
    clock.advance(days=-60)
    await recorder.record_reply(user_id=99, text="lama sekali", reply=fallback_reply())
    await recorder.record_reply(user_id=99, text="x", reply=faq_reply("modus"))
    await recorder.record_job_ad_check(user_id=99, level="low", sign_ids=["visa-turis"])
    clock.advance(days=55)
    for user, level, signs in ((1, "high", ["tujuan-berisiko", "tiket-gratis"]),
                               (2, "high", ["tujuan-berisiko"]), (3, "medium", ["terburu-buru"])):
        await recorder.record_job_ad_check(user_id=user, level=level, sign_ids=signs)
    for user in range(1, 5):
        await recorder.record_reply(user_id=user, text="modus tppo", reply=faq_reply("modus"))
        await recorder.record_feedback(user_id=user, faq_id="modus", helpful=user != 4)
    await recorder.record_reply(user_id=1, text="cara lapor", reply=faq_reply("melapor"))
    await recorder.record_feedback(user_id=1, faq_id="melapor", helpful=False)
    await recorder.record_reply(user_id=2, text="tolong disekap", reply=emergency_reply())
    await recorder.record_reply(user_id=3, text="tolong dikurung", reply=emergency_reply())
    await recorder.record_reply(user_id=3, text="halo", reply=other_reply(Intent.SMALLTALK))
    await recorder.record_reply(user_id=4, text="kasus 2023", reply=other_reply(Intent.STATS))
    for user, text in enumerate((*PASSPORT, *WAGES, WEATHER), start=1):
        await recorder.record_reply(user_id=user, text=text, reply=fallback_reply(0.2))
    clock.advance(days=5)


@pytest.fixture
async def report(
    recorder: InteractionRecorder,
    session_factory: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    knowledge: Knowledge,
) -> UsageReport:
    await populate(recorder, clock)
    return await usage_report(session_factory, knowledge, days=30, now=clock.now)


def _nearest(knowledge: Knowledge, text: str) -> str | None:
    faqs = knowledge.intents.rank(text).faqs
    return faqs[0].label if faqs else None


async def test_report_sections(report: UsageReport, knowledge: Knowledge) -> None:
    assert report.days == 30
    assert {c.key: c.count for c in report.intents} == {
        "fallback": 6,
        "faq": 5,
        "emergency": 2,
        "smalltalk": 1,
        "stats": 1,
    }
    assert report.total_messages == 15
    assert report.distinct_users == 6
    assert report.emergencies == 2
    assert [(c.key, c.count) for c in report.faqs] == [("modus", 4), ("melapor", 1)]
    assert [(f.faq_id, f.helpful, f.not_helpful) for f in report.feedback] == [
        ("modus", 3, 1),
        ("melapor", 0, 1),
    ]

    passport, wages, weather = report.unanswered
    assert passport.count == 3
    assert set(passport.examples) == set(PASSPORT)
    assert passport.nearest_faq_id == _nearest(knowledge, passport.examples[0])
    assert (
        passport.nearest_question == knowledge.content.faqs_by_id[passport.nearest_faq_id].question
    )
    assert (wages.count, set(wages.examples)) == (2, set(WAGES))
    assert (weather.count, weather.examples) == (1, (WEATHER,))


async def test_report_formats(report: UsageReport) -> None:
    text = format_text(report)
    for heading in (
        "LAPORAN PENGGUNAAN BOT — 30 hari terakhir",
        "Pesan darurat: 2",
        "Pertanyaan per jenis",
        "Pertanyaan per FAQ",
        "Umpan balik per FAQ",
        "Pertanyaan yang belum terjawab",
        "FAQ terdekat:",
        "3×",
    ):
        assert heading in text

    rows = list(csv.DictReader(io.StringIO(format_csv(report))))
    sections = {row["section"] for row in rows}
    assert sections == {"summary", "intent", "faq", "feedback", "unanswered", "job_ad_level",
                        "job_ad_sign"}
    feedback = {
        r["key"]: (r["helpful"], r["not_helpful"]) for r in rows if r["section"] == "feedback"
    }
    assert feedback == {"modus": ("3", "1"), "melapor": ("0", "1")}
    unanswered = [r for r in rows if r["section"] == "unanswered"]
    assert [r["value"] for r in unanswered] == ["3", "2", "1"]

    document = json.loads(format_json(report))
    assert set(document) == {"period", "summary", "intents", "faqs", "feedback", "unanswered",
                             "job_ads"}
    assert document["job_ads"] == {
        "levels": {"high": 2, "medium": 1},
        "signs": [{"sign_id": "tujuan-berisiko", "count": 2},
                  {"sign_id": "terburu-buru", "count": 1}, {"sign_id": "tiket-gratis", "count": 1}],
    }
    assert document["summary"]["emergencies"] == 2
    assert document["intents"]["faq"] == 5
    assert document["unanswered"][0]["count"] == 3


def test_csv_cells_never_start_a_spreadsheet_formula(report_with_formula: UsageReport) -> None:
    rows = list(csv.DictReader(io.StringIO(format_csv(report_with_formula))))
    [unanswered] = [r for r in rows if r["section"] == "unanswered"]
    assert unanswered["key"].startswith("'=")


@pytest.fixture
async def report_with_formula(
    recorder: InteractionRecorder,
    session_factory: async_sessionmaker[AsyncSession],
    clock: FakeClock,
) -> UsageReport:
    await recorder.record_reply(user_id=1, text="=HYPERLINK(1)", reply=fallback_reply())
    return await usage_report(session_factory, None, days=1, now=clock.now + timedelta(seconds=1))


async def test_empty_report_says_so(session_factory: async_sessionmaker[AsyncSession]) -> None:
    report = await usage_report(session_factory, None, days=7)
    assert report.total_messages == 0
    assert "(tidak ada)" in format_text(report)


def test_grouping_by_similarity() -> None:
    normaliser = Normaliser({})
    texts = [*PASSPORT, WEATHER, PASSPORT[0], *WAGES]
    groups = group_similar(texts, lambda t: ngram_vector(normaliser, t), threshold=0.5)
    assert [len(g) for g in groups] == [4, 2, 1]
    assert groups[0][0] == PASSPORT[0]  # the most frequent wording leads its group
    assert group_similar(texts, lambda t: ngram_vector(normaliser, t), threshold=1.01)[0] == [
        PASSPORT[0],
        PASSPORT[0],
    ]


def test_report_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CONTENT_DIR", str(CONTENT_DIR))
    monkeypatch.setenv("DATA_DIR", str(seed_model_cache(tmp_path).parent))

    async def prepare() -> None:
        engine = create_engine_for(url)
        await upgrade_database(engine)
        recorder = InteractionRecorder(
            create_session_factory(engine),
            PseudonymousKeys(TEST_SECRET),
            clock=FakeClock(datetime.now(UTC) - timedelta(days=1)),
        )
        await recorder.record_reply(user_id=1, text=PASSPORT[0], reply=fallback_reply())
        await recorder.record_reply(user_id=1, text="tolong", reply=emergency_reply())
        await engine.dispose()

    asyncio.run(prepare())
    assert main(["report", "--days", "7", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["summary"]["emergencies"] == 1
    assert document["unanswered"][0]["examples"] == [PASSPORT[0]]
    assert document["unanswered"][0]["nearest_faq_id"]

    assert main(["report", "--format", "text"]) == 0
    assert "Pertanyaan yang belum terjawab" in capsys.readouterr().out
    assert main(["report", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("section,")


def test_report_command_without_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}")
    monkeypatch.setenv("CONTENT_DIR", str(CONTENT_DIR))
    monkeypatch.setenv("DATA_DIR", str(seed_model_cache(tmp_path).parent))
    assert main(["report"]) == 1
    assert "db upgrade" in capsys.readouterr().err
