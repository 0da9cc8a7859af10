"""Old data goes away on schedule; nothing newer is touched."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from bot.storage.keys import PseudonymousKeys
from bot.storage.models import Erasure
from bot.storage.recorder import InteractionRecorder
from bot.storage.retention import PurgeResult, purge_expired
from tests.storage.conftest import FakeClock
from tests.storage.samples import all_rows, fallback_reply, faq_reply

USER, GONE, GONE_LATELY = 555, 556, 557


async def _one_of_each(recorder: InteractionRecorder, tag: int) -> None:
    await recorder.record_reply(user_id=USER, text=f"kafala {tag}", reply=fallback_reply())
    await recorder.record_reply(user_id=USER, text="apa itu tppo", reply=faq_reply("pengertian"))
    await recorder.record_feedback(user_id=USER, faq_id=f"faq-{tag}", helpful=True)
    await recorder.remember_sent_messages(user_id=USER, message_ids=[tag])
    await recorder.record_job_offer_check(user_id=USER, level="low")
    await recorder.record_job_ad_check(user_id=USER, level="low", sign_ids=[])


async def test_purge_follows_the_retention_settings(
    recorder: InteractionRecorder,
    session_factory: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    keys: PseudonymousKeys,
    tmp_path: Path,
) -> None:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, unanswered_retention_days=90, event_retention_days=365
    )
    await _one_of_each(recorder, 1)  # 400 days old at purge time
    await recorder.delete_user_data(user_id=GONE)
    clock.advance(days=300)
    await _one_of_each(recorder, 2)  # 100 days old
    clock.advance(days=99, hours=23)
    await _one_of_each(recorder, 3)  # 1 hour old
    await recorder.delete_user_data(user_id=GONE_LATELY)
    clock.advance(hours=1)
    await recorder.set_subscribed(user_id=USER, subscribed=True)

    purged = await purge_expired(session_factory, settings, clock.now)

    assert purged == PurgeResult(
        unanswered_questions=2,
        message_events=2,
        feedback=1,
        job_offer_checks=1,
        recent_messages=2,
        job_ad_checks=1,
        erasures=1,
    )
    rows = await all_rows(session_factory)
    assert [r["text_scrubbed"] for r in rows["unanswered_questions"]] == ["kafala 3"]
    assert len(rows["message_events"]) == 4
    assert sorted(r["faq_id"] for r in rows["feedback"]) == ["faq-2", "faq-3"]
    assert [r["message_id"] for r in rows["recent_messages"]] == [3]
    assert len(rows["job_offer_checks"]) == 2
    assert len(rows["job_ad_checks"]) == 2
    assert len(rows["subscriptions"]) == 1  # a choice the user made, not an event
    async with session_factory() as session:  # only the marker an hour old is left
        assert list(await session.scalars(select(Erasure.user_key))) == [keys.key_for(GONE_LATELY)]

    assert (await purge_expired(session_factory, settings, clock.now)).total == 0  # type: ignore[union-attr]


async def test_purge_failure_is_logged_not_raised(tmp_path: Path) -> None:
    def broken() -> AsyncSession:
        raise OSError("disk full")

    settings = Settings(_env_file=None, data_dir=tmp_path)
    assert await purge_expired(broken, settings) is None  # type: ignore[arg-type]
