"""A fresh, migrated database for every test.

By default a temporary SQLite file. Set TEST_DATABASE_URL to a PostgreSQL URL
(postgresql+asyncpg://user:pass@host/db) to run the same tests there: each test then gets its
own schema (the user needs CREATE on that database), dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import pool, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.storage.database import create_engine_for, create_session_factory, upgrade_database
from bot.storage.keys import PseudonymousKeys
from bot.storage.recorder import InteractionRecorder

TEST_SECRET = "test-secret-not-for-production-0123456789"


@dataclass
class TestDatabase:
    """Where a test's database lives and how to open engines on it."""

    __test__ = False
    url: str
    engine_options: dict[str, Any] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path:
        return Path(make_url(self.url).database or "")

    def engine(self, **options: Any) -> AsyncEngine:
        return create_engine_for(self.url, **{**self.engine_options, **options})


class FakeClock:
    """A clock tests can move; the recorder and purge take `now` from it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
async def empty_database(tmp_path: Path) -> AsyncIterator[TestDatabase]:
    base_url = os.environ.get("TEST_DATABASE_URL", "")
    if not base_url or make_url(base_url).get_backend_name() == "sqlite":
        yield TestDatabase(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
        return
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine_for(base_url, poolclass=pool.NullPool)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield TestDatabase(base_url, {"connect_args": {"server_settings": {"search_path": schema}}})
    finally:
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
async def engine(empty_database: TestDatabase) -> AsyncIterator[AsyncEngine]:
    engine = empty_database.engine()
    await upgrade_database(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
def keys() -> PseudonymousKeys:
    return PseudonymousKeys(TEST_SECRET)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def recorder(
    session_factory: async_sessionmaker[AsyncSession], keys: PseudonymousKeys, clock: FakeClock
) -> InteractionRecorder:
    return InteractionRecorder(session_factory, keys, clock=clock)
