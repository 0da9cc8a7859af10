"""Migrations build exactly the schema the models describe, and undo it."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from bot.cli.main import main
from bot.storage.database import alembic_config, downgrade_database, upgrade_database
from bot.storage.models import USER_TABLES, Base
from tests.storage.conftest import TestDatabase

OUR_TABLES = {model.__table__.name for model in USER_TABLES}


def _differences(connection: Connection) -> list[object]:
    return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def test_upgrade_matches_models_and_downgrade_removes_everything(
    empty_database: TestDatabase,
) -> None:
    engine = empty_database.engine()
    try:
        async with engine.connect() as connection:
            assert OUR_TABLES.isdisjoint(await connection.run_sync(_table_names))

        await upgrade_database(engine)
        async with engine.connect() as connection:
            assert set(await connection.run_sync(_table_names)) >= OUR_TABLES
            assert await connection.run_sync(_differences) == []
            head = ScriptDirectory.from_config(alembic_config()).get_current_head()
            assert await connection.run_sync(_revision) == head

        await upgrade_database(engine)  # a second start-up changes nothing

        await downgrade_database(engine)
        async with engine.connect() as connection:
            assert OUR_TABLES.isdisjoint(await connection.run_sync(_table_names))
            assert await connection.run_sync(_revision) is None
    finally:
        await engine.dispose()


def _table_names(connection: Connection) -> list[str]:
    return inspect(connection).get_table_names()


async def test_migrating_keeps_the_application_loggers(empty_database: TestDatabase) -> None:
    app_logger = logging.getLogger("bot.telegram.example")
    engine = empty_database.engine()
    try:
        await upgrade_database(engine)
    finally:
        await engine.dispose()
    assert not app_logger.disabled


async def test_sqlite_uses_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'folder' / 'bot.sqlite3'}"
    await upgrade_database(url)  # creates the missing folders
    engine = TestDatabase(url).engine()
    try:
        async with engine.connect() as connection:
            assert (await connection.scalar(text("PRAGMA journal_mode"))) == "wal"
            assert (await connection.scalar(text("PRAGMA busy_timeout"))) == 5000
            assert (await connection.scalar(text("PRAGMA foreign_keys"))) == 1
    finally:
        await engine.dispose()


def test_db_commands_upgrade_and_downgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")

    assert main(["db", "upgrade"]) == 0
    assert _sqlite_tables(database) >= OUR_TABLES

    assert main(["db", "downgrade"]) == 0
    assert _sqlite_tables(database).isdisjoint(OUR_TABLES)


def _sqlite_tables(database: Path) -> set[str]:
    with closing(sqlite3.connect(database)) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
