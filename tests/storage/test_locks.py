"""Job locks: one holder at a time (advisory lock on PostgreSQL, lease row on SQLite), released
on exit, and a lease left by a crashed worker expires."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.locks import LEASE_TIME, job_lock
from bot.storage.models import utc_now


async def test_one_holder_at_a_time_and_released_on_exit(engine: AsyncEngine) -> None:
    async with (job_lock(engine, "retention") as first, job_lock(engine, "retention") as second,
                job_lock(engine, "tips") as other):
        assert (first, second, other) == (True, False, True)
    async with job_lock(engine, "retention") as again:
        assert again


async def test_a_crashed_holders_lease_expires(engine: AsyncEngine) -> None:
    if engine.dialect.name == "postgresql":
        return  # advisory locks end with the crashed worker's connection
    crashed = job_lock(engine, "tips")
    assert await crashed.__aenter__()  # never exited, as after kill -9
    async with job_lock(engine, "tips") as meanwhile:
        assert not meanwhile
    later = utc_now() + LEASE_TIME + timedelta(seconds=1)
    async with job_lock(engine, "tips", clock=lambda: later) as after_expiry:
        assert after_expiry
