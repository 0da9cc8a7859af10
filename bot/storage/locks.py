"""Database locks, so that with several workers on one database only one at a time migrates
or runs a periodic job (the tips round, retention).

PostgreSQL: advisory locks keyed by the schema and the lock's name (two bots in two schemas of
one database do not block each other); they go with the connection, so a crashed worker never
leaves one behind. SQLite has none: a lease row in `job_leases`, renewed while the job runs and
expiring on its own after a crash. Migrations on SQLite need no lock (one writer at a time).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, delete, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import JobLease, utc_now
from bot.storage.transactions import describe_failure, dialect_insert

log = logging.getLogger(__name__)

MIGRATIONS_LOCK = "migrations"
TIPS_LOCK = "tips-round"
RETENTION_LOCK = "retention"
LEASE_TIME = timedelta(minutes=2)
"""How long a SQLite lease lasts without renewal: the wait after a crashed holder."""

_ADVISORY_KEY = "hashtext(current_schema()), hashtext(:name)"


def lock_migrations(connection: Connection) -> None:
    """Inside the migration's transaction: wait until no other worker migrates (PostgreSQL).

    The lock ends with the transaction, after the new schema is committed, so the next worker
    finds it complete and has nothing to do.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({_ADVISORY_KEY})"),
                           {"name": MIGRATIONS_LOCK})


@contextlib.asynccontextmanager
async def job_lock(engine: AsyncEngine, name: str, *,
                   clock: Callable[[], datetime] = utc_now) -> AsyncIterator[bool]:
    """Yield True when this worker may run job `name` now, False when another one is running
    it (do not wait: the other worker does the work). Released on exit."""
    holder = uuid.uuid4().hex  # this run of the job, so two runs in one process exclude too
    if engine.dialect.name == "postgresql":
        async with _advisory_lock(engine, name) as held:
            yield held
        return
    if not await _take_lease(engine, name, holder, clock()):
        yield False
        return
    renewing = asyncio.create_task(_renew_lease(engine, name, holder, clock))
    try:
        yield True
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
        await _release_lease(engine, name, holder)


@contextlib.asynccontextmanager
async def _advisory_lock(engine: AsyncEngine, name: str) -> AsyncIterator[bool]:
    async with engine.connect() as connection:
        held = bool(await connection.scalar(
            text(f"SELECT pg_try_advisory_lock({_ADVISORY_KEY})"), {"name": name}))
        await connection.commit()  # the session-level lock stays; no transaction left open
        try:
            yield held
        finally:
            if held:
                with contextlib.suppress(Exception):  # a lost connection released it already
                    await connection.execute(
                        text(f"SELECT pg_advisory_unlock({_ADVISORY_KEY})"), {"name": name})
                    await connection.commit()


async def _take_lease(engine: AsyncEngine, name: str, holder: str, now: datetime) -> bool:
    """Insert the lease, or take it over when it expired or is ours already."""
    async with engine.begin() as connection:
        insert = dialect_insert(engine.dialect.name, JobLease)
        result = await connection.execute(
            insert.values(name=name, holder=holder, expires_at=now + LEASE_TIME)
            .on_conflict_do_update(
                index_elements=[JobLease.name],
                set_={"holder": insert.excluded.holder, "expires_at": insert.excluded.expires_at},
                where=(JobLease.expires_at < now) | (JobLease.holder == holder),
            ))
        return cast(CursorResult[Any], result).rowcount == 1


async def _renew_lease(engine: AsyncEngine, name: str, holder: str,
                       clock: Callable[[], datetime]) -> None:
    while True:
        await asyncio.sleep(LEASE_TIME.total_seconds() / 3)
        try:
            if not await _take_lease(engine, name, holder, clock()):
                log.warning("Lost the %s lease to another worker", name)
        except Exception as error:
            log.warning("Could not renew the %s lease: %s", name, describe_failure(error))


async def _release_lease(engine: AsyncEngine, name: str, holder: str) -> None:
    try:
        async with engine.begin() as connection:
            await connection.execute(
                delete(JobLease).where(JobLease.name == name, JobLease.holder == holder))
    except Exception as error:  # it expires on its own
        log.warning("Could not release the %s lease: %s", name, describe_failure(error))
