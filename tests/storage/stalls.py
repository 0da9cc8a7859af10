"""Another connection that holds the bot's database still, as a backup tool or a long migration
does: on SQLite its write lock, on PostgreSQL an ACCESS EXCLUSIVE lock on every table."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import pool, text

from bot.storage.database import create_engine_for, sqlite_file
from bot.storage.models import Base

HOLD_AT_MOST_SECONDS = 120.0
"""A lock left by a failing test ends on its own."""
TAKE_LOCK_SECONDS = 5.0


@contextmanager
def sqlite_write_lock(path: Path) -> Iterator[threading.Event]:
    """Hold SQLite's write lock from another connection (as a backup tool would) until the
    yielded event is set or the block ends."""
    release, held = threading.Event(), threading.Event()

    def hold() -> None:
        with closing(sqlite3.connect(path, isolation_level=None)) as connection:
            connection.execute("BEGIN EXCLUSIVE")
            held.set()
            release.wait(HOLD_AT_MOST_SECONDS)
            connection.execute("COMMIT")

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert held.wait(TAKE_LOCK_SECONDS)
    try:
        yield release
    finally:
        release.set()
        thread.join(10)


@asynccontextmanager
async def postgres_table_lock(url: str, **engine_options: Any) -> AsyncIterator[asyncio.Event]:
    """Lock every table of the bot's schema in ACCESS EXCLUSIVE mode from another connection
    (as `ALTER TABLE` in a long migration does): every read and write of them waits, none
    fails. Held until the yielded event is set or the block ends. `engine_options` are
    `create_engine_for`'s (the schema, when the URL does not name it)."""
    release, held = asyncio.Event(), asyncio.Event()
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)

    async def hold() -> None:
        engine = create_engine_for(url, poolclass=pool.NullPool, **engine_options)
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    text(f"SET LOCAL lock_timeout = '{TAKE_LOCK_SECONDS:.0f}s'"))
                await connection.execute(text(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE"))
                held.set()
                await asyncio.wait_for(release.wait(), HOLD_AT_MOST_SECONDS)
        finally:
            await engine.dispose()

    holder = asyncio.create_task(hold())
    waiting = asyncio.create_task(held.wait())
    await asyncio.wait({holder, waiting}, return_when=asyncio.FIRST_COMPLETED)
    if holder.done():
        waiting.cancel()
        holder.result()  # raise why the lock could not be taken
    try:
        yield release
    finally:
        release.set()
        await holder


@asynccontextmanager
async def database_locked(url: str, **engine_options: Any) -> AsyncIterator[Callable[[], None]]:
    """The bot's database held still by another connection, whatever the backend; yields
    `release`, which lets it go before the block ends."""
    path = sqlite_file(url)
    if path is not None:
        with sqlite_write_lock(path) as event:
            yield event.set
        return
    async with postgres_table_lock(url, **engine_options) as waiting:
        yield waiting.set
