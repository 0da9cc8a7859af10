"""The recorder keeps counts and scrubbed unanswered questions, nothing that names a person."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from contextlib import closing
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.engine.reply import Intent
from bot.storage.database import create_session_factory, upgrade_database
from bot.storage.keys import PseudonymousKeys
from bot.storage.models import USER_TABLES, Feedback
from bot.storage.recorder import (
    DELETE_FAILED,
    InteractionRecorder,
    ScoreBand,
    fitting_sign_ids,
    score_band,
)
from bot.storage.safe_mode import SafeModeStore
from bot.storage.tips import claim_delivery
from bot.understanding.policy import DecisionPolicy
from tests.storage.conftest import FakeClock, TestDatabase
from tests.storage.samples import (
    all_rows,
    all_values,
    emergency_reply,
    fallback_reply,
    faq_reply,
    other_reply,
)

USER = 987654321
OTHER_USER = 123456789
EMERGENCY_TEXT = "tolong saya disekap majikan di Tawau sekarang"


async def test_faq_reply_is_counted_under_a_pseudonymous_key(
    recorder: InteractionRecorder,
    session_factory: async_sessionmaker[AsyncSession],
    keys: PseudonymousKeys,
) -> None:
    await recorder.record_reply(user_id=USER, text="apa itu tppo", reply=faq_reply("pengertian"))
    rows = await all_rows(session_factory)
    [event] = rows["message_events"]
    assert event["user_key"] == keys.key_for(USER)
    assert (event["intent"], event["faq_id"], event["score_band"]) == ("faq", "pengertian", "high")
    assert rows["unanswered_questions"] == []
    values = " ".join(all_values(rows))
    assert str(USER) not in values
    assert "tppo" not in values


async def test_emergency_text_is_never_stored(
    recorder: InteractionRecorder, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await recorder.record_reply(user_id=USER, text=EMERGENCY_TEXT, reply=emergency_reply())
    rows = await all_rows(session_factory)
    [event] = rows["message_events"]
    assert (event["intent"], event["faq_id"], event["score_band"]) == ("emergency", None, "none")
    assert rows["unanswered_questions"] == []
    values = " ".join(all_values(rows))
    assert "disekap" not in values
    assert "Tawau" not in values


@pytest.mark.parametrize("intent", [Intent.STATS, Intent.SMALLTALK])
async def test_stats_and_smalltalk_text_is_not_stored(
    recorder: InteractionRecorder,
    session_factory: async_sessionmaker[AsyncSession],
    intent: Intent,
) -> None:
    await recorder.record_reply(user_id=USER, text="halo kak rahasia", reply=other_reply(intent))
    rows = await all_rows(session_factory)
    assert [e["intent"] for e in rows["message_events"]] == [intent.value]
    assert rows["unanswered_questions"] == []
    assert "rahasia" not in " ".join(all_values(rows))


async def test_unanswered_question_is_kept_scrubbed_with_its_nearest_faq(
    recorder: InteractionRecorder, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    text = "agen minta transfer ke 1234567890, wa saya 0812-3456-7890 gimana?"
    await recorder.record_reply(
        user_id=USER, text=text, reply=fallback_reply(0.18, suggestions=("modus", "melapor"))
    )
    await recorder.record_reply(
        user_id=USER, text="apa itu kafala", reply=fallback_reply(), nearest_faq_id="pengertian"
    )
    rows = await all_rows(session_factory)
    first, second = rows["unanswered_questions"]
    assert first["text_scrubbed"] == "agen minta transfer ke [angka], wa saya [nomor] gimana?"
    assert (first["intent"], first["nearest_faq_id"], first["score"]) == ("fallback", "modus", 0.18)
    assert second["nearest_faq_id"] == "pengertian"
    assert [e["score_band"] for e in rows["message_events"]] == ["low", "none"]


def test_score_bands_follow_the_engine_thresholds() -> None:
    policy = DecisionPolicy()
    cases = {
        0.95: ScoreBand.HIGH,
        policy.answer_threshold + policy.answer_margin: ScoreBand.HIGH,
        policy.answer_threshold: ScoreBand.MEDIUM,
        policy.answer_threshold - 0.01: ScoreBand.LOW,
        policy.suggestion_threshold: ScoreBand.LOW,
        policy.suggestion_threshold - 0.01: ScoreBand.NONE,
        0.0: ScoreBand.NONE,
    }
    assert {score: score_band(score) for score in cases} == cases


async def test_database_file_holds_no_raw_id_contact_or_emergency_text(
    empty_database: TestDatabase, keys: PseudonymousKeys, clock: FakeClock
) -> None:
    if not empty_database.is_sqlite:
        pytest.skip("reads the SQLite file itself")
    engine = empty_database.engine()
    await upgrade_database(engine)
    recorder = InteractionRecorder(create_session_factory(engine), keys, clock=clock)
    fallback_text = "lowongan dari 0812-3456-7890 atau siti.agen@example.com asli?"
    await recorder.record_reply(user_id=USER, text=fallback_text, reply=fallback_reply())
    await recorder.record_reply(user_id=USER, text=EMERGENCY_TEXT, reply=emergency_reply())
    await recorder.record_feedback(user_id=USER, faq_id="modus", helpful=True)
    await recorder.remember_sent_messages(user_id=USER, message_ids=[41, 42])
    await recorder.set_subscribed(user_id=USER, subscribed=True)
    await engine.dispose()

    files = sorted(empty_database.sqlite_path.parent.glob(empty_database.sqlite_path.name + "*"))
    raw = b"".join(path.read_bytes() for path in files)
    assert b"lowongan dari [nomor] atau [email] asli?" in raw  # the scrubbed question is there
    for secret in (
        str(USER),
        "0812-3456-7890",
        "081234567890",
        "3456",
        "siti.agen",
        "example.com",
        "disekap",
        "majikan",
        "Tawau",
    ):
        assert secret.encode() not in raw, secret
    assert USER.to_bytes(4, "big") not in raw


async def test_later_feedback_replaces_the_earlier_vote(
    recorder: InteractionRecorder,
    session_factory: async_sessionmaker[AsyncSession],
    clock: FakeClock,
) -> None:
    assert await recorder.record_feedback(user_id=USER, faq_id="modus", helpful=True)
    clock.advance(minutes=1)
    assert await recorder.record_feedback(user_id=USER, faq_id="modus", helpful=False)
    await recorder.record_feedback(user_id=OTHER_USER, faq_id="modus", helpful=True)
    rows = (await all_rows(session_factory))["feedback"]
    votes = sorted((r["faq_id"], r["helpful"]) for r in rows)
    assert votes == [("modus", False), ("modus", True)]


async def test_an_older_vote_arriving_late_does_not_win(
    recorder: InteractionRecorder,
    session_factory: async_sessionmaker[AsyncSession],
    clock: FakeClock,
) -> None:
    clock.advance(minutes=5)
    await recorder.record_feedback(user_id=USER, faq_id="modus", helpful=False)
    clock.advance(minutes=-5)
    await recorder.record_feedback(user_id=USER, faq_id="modus", helpful=True)
    [row] = (await all_rows(session_factory))["feedback"]
    assert row["helpful"] is False


async def test_200_concurrent_feedback_votes_are_all_kept(
    recorder: InteractionRecorder, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    votes = [(user, faq) for user in range(100) for faq in ("modus", "melapor")]
    results = await asyncio.gather(
        *(
            recorder.record_feedback(user_id=user, faq_id=faq, helpful=user % 3 != 0)
            for user, faq in votes
        )
    )
    assert all(results)
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Feedback)) == 200


async def test_concurrent_votes_of_one_user_leave_one_row(
    recorder: InteractionRecorder, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    results = await asyncio.gather(
        *(
            recorder.record_feedback(user_id=USER, faq_id="modus", helpful=i % 2 == 0)
            for i in range(50)
        )
    )
    assert all(results)
    assert len((await all_rows(session_factory))["feedback"]) == 1


async def test_recent_messages_for_hapus_jejak(
    recorder: InteractionRecorder, clock: FakeClock
) -> None:
    await recorder.remember_sent_messages(user_id=USER, message_ids=[10, 11])
    await recorder.remember_sent_messages(user_id=USER, message_ids=[11, 12, 12])
    await recorder.remember_sent_messages(user_id=USER, message_ids=[])
    await recorder.remember_sent_messages(user_id=OTHER_USER, message_ids=[10])
    assert await recorder.recent_message_ids(user_id=USER) == [10, 11, 12]

    clock.advance(hours=47)
    await recorder.remember_sent_messages(user_id=USER, message_ids=[13])
    clock.advance(hours=2)  # 10–12 are now 49 hours old: Telegram would refuse to delete them
    assert await recorder.recent_message_ids(user_id=USER) == [13]

    await recorder.remember_sent_messages(user_id=USER, message_ids=[14])  # another worker's
    await recorder.mark_messages_deleted(user_id=USER, message_ids=[13])  # what an erase read
    assert await recorder.recent_message_ids(user_id=USER) == [14]
    await recorder.mark_messages_deleted(user_id=USER, message_ids=[])
    assert await recorder.recent_message_ids(user_id=USER) == [14]
    await recorder.remember_sent_messages(user_id=USER, message_ids=[13])  # a late write
    assert await recorder.recent_message_ids(user_id=USER) == [14]  # 13 stays deleted
    assert await recorder.recent_message_ids(user_id=OTHER_USER) == []  # also too old now


async def test_delete_user_data_removes_every_row_of_that_user_only(
    recorder: InteractionRecorder,
    session_factory: async_sessionmaker[AsyncSession],
    keys: PseudonymousKeys,
) -> None:
    for user in (USER, OTHER_USER):
        await recorder.record_reply(
            user_id=user, text="apa itu tppo", reply=faq_reply("pengertian")
        )
        await recorder.record_reply(user_id=user, text="kafala itu apa", reply=fallback_reply())
        await recorder.record_feedback(user_id=user, faq_id="pengertian", helpful=True)
        await recorder.remember_sent_messages(user_id=user, message_ids=[1, 2])
        await recorder.set_subscribed(user_id=user, subscribed=True, chat_id=user)
        await recorder.record_job_offer_check(user_id=user, level="high")
        await recorder.record_job_ad_check(user_id=user, level="high",
                                           sign_ids=["tujuan-berisiko"])
        await claim_delivery(session_factory, user_key=keys.key_for(user), round_key="2026-W49",
                             tip_id="cek-izin-agen")
        assert await SafeModeStore(session_factory, keys, delay=timedelta(minutes=15)).switch_on(
            user_id=user, chat_id=user)
    before = await all_rows(session_factory)
    assert all(before[model.__tablename__] for model in USER_TABLES)  # every table has rows
    assert sum(len(rows) for rows in before.values()) == 22

    deleted = await recorder.delete_user_data(user_id=USER)

    after = await all_rows(session_factory)
    assert deleted == 11
    assert sum(len(rows) for rows in after.values()) == 11
    assert keys.key_for(USER) not in all_values(after)
    assert keys.key_for(OTHER_USER) in all_values(after)
    assert await recorder.delete_user_data(user_id=USER) == 0


async def test_subscription_is_one_row_per_user(
    recorder: InteractionRecorder, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    assert not await recorder.is_subscribed(user_id=USER)
    await recorder.set_subscribed(user_id=USER, subscribed=True)
    assert await recorder.is_subscribed(user_id=USER)
    await recorder.set_subscribed(user_id=USER, subscribed=False)
    assert not await recorder.is_subscribed(user_id=USER)
    [row] = (await all_rows(session_factory))["subscriptions"]
    assert row["chat_ref"] is None


async def test_job_offer_checks_are_counted(
    recorder: InteractionRecorder, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await recorder.record_job_offer_check(user_id=USER, level="high")
    [row] = (await all_rows(session_factory))["job_offer_checks"]
    assert row["level"] == "high"


async def test_job_ad_checks_keep_the_level_and_sign_ids_only(
    recorder: InteractionRecorder, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await recorder.record_job_ad_check(user_id=USER, level="medium",
                                       sign_ids=["biaya-di-muka", "terburu-buru"])
    [row] = (await all_rows(session_factory))["job_ad_checks"]
    assert (row["level"], row["sign_ids"]) == ("medium", "biaya-di-muka,terburu-buru")
    assert set(row) == {"id", "user_key", "created_at", "level", "sign_ids"}


def test_sign_ids_are_cut_at_whole_ids() -> None:
    assert fitting_sign_ids(["aaaa", "bbbb", "cccc"], limit=10) == "aaaa,bbbb"


class _BrokenSessions:
    """A session factory whose database is gone."""

    def __call__(self) -> AsyncSession:
        raise ConnectionRefusedError("could not connect to 10.0.0.5:5432")


async def test_a_broken_database_is_logged_never_raised(
    keys: PseudonymousKeys, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = InteractionRecorder(_BrokenSessions(), keys)  # type: ignore[arg-type]
    secret_text = "nomor saya 081234567890"
    with caplog.at_level(logging.WARNING, logger="bot.storage"):
        await recorder.record_reply(user_id=USER, text=secret_text, reply=fallback_reply())
        assert await recorder.record_feedback(user_id=USER, faq_id="modus", helpful=True) is False
        await recorder.remember_sent_messages(user_id=USER, message_ids=[1])
        assert await recorder.recent_message_ids(user_id=USER) is None  # unknown, not "none"
        await recorder.mark_messages_deleted(user_id=USER, message_ids=[1])
        assert await recorder.delete_user_data(user_id=USER) == DELETE_FAILED
        await recorder.set_subscribed(user_id=USER, subscribed=True)
        assert await recorder.is_subscribed(user_id=USER) is False
        await recorder.record_job_offer_check(user_id=USER, level="high")
    assert len(caplog.records) == 9
    assert all("ConnectionRefusedError" in r.getMessage() for r in caplog.records)
    _assert_nothing_personal_logged(caplog, keys, secret_text)


async def test_a_locked_sqlite_database_is_logged_never_raised(
    empty_database: TestDatabase, keys: PseudonymousKeys, caplog: pytest.LogCaptureFixture
) -> None:
    if not empty_database.is_sqlite:
        pytest.skip("holds SQLite's file lock")
    engine = empty_database.engine(sqlite_busy_timeout_ms=50)
    await upgrade_database(engine)
    recorder = InteractionRecorder(create_session_factory(engine), keys)
    secret_text = "kafala itu apa, wa 081234567890"
    try:
        with closing(sqlite3.connect(empty_database.sqlite_path, isolation_level=None)) as other:
            other.execute("BEGIN EXCLUSIVE")
            with caplog.at_level(logging.WARNING, logger="bot.storage"):
                await recorder.record_reply(user_id=USER, text=secret_text, reply=fallback_reply())
                assert not await recorder.record_feedback(user_id=USER, faq_id="a", helpful=True)
                assert await recorder.delete_user_data(user_id=USER) == DELETE_FAILED
            other.execute("ROLLBACK")
        assert await recorder.record_feedback(user_id=USER, faq_id="a", helpful=True)
    finally:
        await engine.dispose()
    assert len(caplog.records) == 3
    assert all("SQLITE_BUSY" in r.getMessage() for r in caplog.records)
    _assert_nothing_personal_logged(caplog, keys, secret_text)


def _assert_nothing_personal_logged(
    caplog: pytest.LogCaptureFixture, keys: PseudonymousKeys, text: str
) -> None:
    for record in caplog.records:
        logged = record.getMessage() + str(record.exc_info or "")
        for secret in (str(USER), keys.key_for(USER), text, "081234567890"):
            assert secret not in logged


def test_repr_hides_the_secret(keys: PseudonymousKeys) -> None:
    assert "test-secret" not in repr(keys)
