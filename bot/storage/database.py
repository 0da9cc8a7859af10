"""Engines, sessions and migrations; `open_storage` wires them for the bot.

SQLite (aiosqlite) is the default and PostgreSQL (asyncpg) works by changing DATABASE_URL.
Migrations run from inside the bot's event loop by handing Alembic a connection (the
"connection sharing with asyncio" recipe in Alembic's cookbook), so no nested `asyncio.run()`.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.settings import Settings
from bot.storage.identity import keys_for_database
from bot.storage.keys import PseudonymousKeys, StorageRefused
from bot.storage.recorder import InteractionRecorder
from bot.storage.threaded import ThreadedTransactions
from bot.storage.write_behind import WriteBehind

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_POOL: dict[str, Any] = {"pool_size": 1, "max_overflow": 0}
"""One connection: SQLite has one writer at a time anyway, and connections waiting for its lock
poll it with growing sleeps (up to 100 ms each), so under load the lock sat idle between writers
and writes failed with SQLITE_BUSY (docs/PERFORMANCE.md). Waiting for the pool is an asyncio
queue instead."""
POSTGRES_CONNECT_TIMEOUT_SECONDS = 10
"""asyncpg waits 60 s by default; an unreachable server should fail a write sooner."""


def create_engine_for(
    url: str | URL, *, sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, **options: Any
) -> AsyncEngine:
    """An async engine; SQLite files get WAL, a busy timeout and foreign keys on every connect."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _create_sqlite_folder(parsed)
        if "poolclass" not in options:
            options = {**SQLITE_POOL, **options}
        engine = create_async_engine(parsed, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(sqlite_busy_timeout_ms))
        return engine
    if parsed.get_driver_name() == "asyncpg":
        parsed, server_settings = _asyncpg_server_settings(parsed)
        connect_args = options.pop("connect_args", {})
        if server_settings:
            connect_args = {**connect_args, "server_settings": {
                **server_settings, **connect_args.get("server_settings", {})}}
        options["connect_args"] = {"timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS, **connect_args}
    options.setdefault("pool_pre_ping", True)
    return create_async_engine(parsed, **options)


def create_threaded_sqlite(url: str | URL, *,
                           sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
                           ) -> ThreadedTransactions | None:
    """For a SQLite file, a sync engine (sqlite3, one connection) whose transactions run in a
    thread of their own (`bot.storage.threaded`); None for other databases and in-memory
    SQLite (a second connection would see another database)."""
    if sqlite_file(url) is None:
        return None
    parsed = make_url(url).set(drivername="sqlite+pysqlite")
    engine: Engine = create_engine(parsed, **SQLITE_POOL)
    event.listen(engine, "connect", _sqlite_pragmas(sqlite_busy_timeout_ms))
    return ThreadedTransactions(engine)


def _asyncpg_server_settings(url: URL) -> tuple[URL, dict[str, str]]:
    """libpq's `options` URL parameter (`?options=-csearch_path%3Dbot`), which asyncpg does not
    take, as asyncpg's `server_settings`; e.g. to keep the bot's tables in their own schema."""
    raw = url.query.get("options")
    if raw is None:
        return url, {}
    settings: dict[str, str] = {}
    words = iter(shlex.split(raw if isinstance(raw, str) else " ".join(raw)))
    for word in words:
        if word == "-c":
            word = "-c" + next(words, "")
        setting = word[2:] if word.startswith(("-c", "--")) else ""
        name, equals, value = setting.partition("=")
        if not name or not equals:
            raise ValueError(f"cannot read {word!r} in the database URL's options "
                             "(expected -c name=value)")
        settings[name.replace("-", "_")] = value
    return url.difference_update_query(["options"]), settings


def _create_sqlite_folder(url: URL) -> None:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    return on_connect


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    """Alembic's configuration without reading alembic.ini (which is for the `alembic` tool)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


async def upgrade_database(engine_or_url: AsyncEngine | str, revision: str = "head") -> None:
    """Bring the schema to `revision`; safe to call from inside a running event loop."""
    await _migrate(engine_or_url, command.upgrade, revision)


async def downgrade_database(engine_or_url: AsyncEngine | str, revision: str = "base") -> None:
    """Undo migrations down to `revision` ("base" drops every table the bot made)."""
    await _migrate(engine_or_url, command.downgrade, revision)


async def _migrate(
    engine_or_url: AsyncEngine | str, action: Callable[[Config, str], None], revision: str
) -> None:
    owned = not isinstance(engine_or_url, AsyncEngine)
    engine = create_engine_for(engine_or_url) if owned else engine_or_url
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run_alembic, action, revision)
    finally:
        if owned:
            await engine.dispose()


def _run_alembic(
    connection: Connection, action: Callable[[Config, str], None], revision: str
) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    action(config, revision)


def sqlite_file(url: str | URL) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL and in-memory databases."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or (
            database.startswith("file:")):
        return None
    return Path(database)


@dataclass
class Storage:
    """Everything the Telegram adapter needs from storage; close it in `post_shutdown`."""

    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    keys: PseudonymousKeys
    recorder: InteractionRecorder
    writer: WriteBehind
    replies_wait: ThreadedTransactions | None = None
    """SQLite files: a connection in a thread of its own for what a reply waits for (the
    safe-mode lookup), so it does not queue behind the write-behind batches."""

    async def close(self) -> None:
        """Write what is queued (bounded, see `WriteBehind.close`), then close connections."""
        try:
            await self.writer.close()
        finally:
            for threaded in (self.writer.threaded, self.replies_wait):
                if threaded is not None:
                    await threaded.close()
            await self.engine.dispose()


async def open_storage(settings: Settings, *, upgrade: bool = True) -> Storage:
    """Engine, sessions, keys, the write-behind queue and the recorder from settings; migrates
    to head unless told not to. Raises `StorageRefused` for a secret that does not match."""
    try:
        settings.check_storage()
    except ValueError as error:
        raise StorageRefused(str(error)) from None
    engine = create_engine_for(settings.database_url)
    try:
        if upgrade:
            await upgrade_database(engine)
        session_factory = create_session_factory(engine)
        keys = await keys_for_database(settings, session_factory)
    except BaseException:
        await engine.dispose()
        raise
    writer = WriteBehind(session_factory, threaded=create_threaded_sqlite(settings.database_url))
    writer.start()
    recorder = InteractionRecorder(session_factory, keys, writer=writer)
    return Storage(engine, session_factory, keys, recorder, writer,
                   replies_wait=create_threaded_sqlite(settings.database_url))
