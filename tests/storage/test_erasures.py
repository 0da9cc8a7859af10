"""/hapusdata also covers what another worker writes late about the user, and nothing after."""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.erasures import handling
from bot.storage.keys import PseudonymousKeys
from bot.storage.recorder import InteractionRecorder
from bot.storage.write_behind import WriteBehind
from tests.storage.conftest import FakeClock
from tests.storage.samples import all_rows, faq_reply

USER, OTHER_USER = 7001, 7002


async def _everything(recorder: InteractionRecorder, user: int) -> bool:
    """Every write the recorder makes about a user; whether the subscription was confirmed."""
    await recorder.record_reply(user_id=user, text="apa itu tppo", reply=faq_reply("pengertian"))
    await recorder.record_feedback(user_id=user, faq_id="pengertian", helpful=True)
    await recorder.remember_sent_messages(user_id=user, message_ids=[41, 42])
    await recorder.record_job_offer_check(user_id=user, level="high")
    await recorder.record_job_ad_check(user_id=user, level="high", sign_ids=["gaji"])
    return await recorder.set_subscribed(user_id=user, subscribed=True, chat_id=user)


async def _keys_stored(session_factory: async_sessionmaker[AsyncSession]) -> set[str]:
    return {row["user_key"] for table in (await all_rows(session_factory)).values()
            for row in table}


async def test_what_was_caused_before_the_erasure_is_not_written_after_it(
    recorder: InteractionRecorder, session_factory: async_sessionmaker[AsyncSession],
    keys: PseudonymousKeys, clock: FakeClock,
) -> None:
    """A worker began handling an update, the user's data was deleted on another worker, and
    only then does the first worker write: none of it may stay, for that user only."""
    began: datetime = clock.now
    clock.advance(seconds=1)
    assert await recorder.delete_user_data(user_id=USER) == 0
    clock.advance(seconds=1)
    with handling(began):
        assert await _everything(recorder, USER)  # as one worker: subscribed, then deleted
        await _everything(recorder, OTHER_USER)
    assert await _keys_stored(session_factory) == {keys.key_for(OTHER_USER)}


async def test_what_the_user_does_after_the_erasure_is_kept(
    recorder: InteractionRecorder, session_factory: async_sessionmaker[AsyncSession],
    keys: PseudonymousKeys, clock: FakeClock,
) -> None:
    await recorder.delete_user_data(user_id=USER)
    clock.advance(seconds=1)
    with handling(clock.now):
        await recorder.record_reply(user_id=USER, text="halo", reply=faq_reply("pengertian"))
    await recorder.remember_sent_messages(user_id=USER, message_ids=[43])  # no update: now
    rows = await all_rows(session_factory)
    assert len(rows["message_events"]) == 1
    assert [r["message_id"] for r in rows["recent_messages"]] == [43]
    assert await _keys_stored(session_factory) == {keys.key_for(USER)}


async def test_a_late_write_in_the_deletions_own_batch_is_skipped(
    session_factory: async_sessionmaker[AsyncSession], keys: PseudonymousKeys, clock: FakeClock,
) -> None:
    """One transaction reads the markers once: a deletion in it must update what it read."""
    writer = WriteBehind(session_factory)  # started below, so all three share one batch
    recorder = InteractionRecorder(session_factory, keys, clock=clock, writer=writer)
    began = clock.now
    clock.advance(seconds=1)
    with handling(began):
        await recorder.record_reply(user_id=OTHER_USER, text="x", reply=faq_reply("modus"))
        deletion = asyncio.create_task(recorder.delete_user_data(user_id=USER))
        await asyncio.sleep(0)  # the deletion is queued
        await recorder.record_reply(user_id=USER, text="x", reply=faq_reply("modus"))
    writer.start()
    try:
        assert await deletion == 0
        assert await writer.flush()
    finally:
        await writer.close()
    assert await _keys_stored(session_factory) == {keys.key_for(OTHER_USER)}
