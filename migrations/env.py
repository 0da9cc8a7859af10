"""Alembic environment for the bot's database.

Two ways in: the bot (and `python -m bot db …`) hands over a connection in
`config.attributes["connection"]` from inside its event loop, so nothing here may call
`asyncio.run()`; the `alembic` command line has no loop, so it creates its own engine.
The URL comes from DATABASE_URL / .env via Settings, never from alembic.ini.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, pool

from bot.settings import Settings
from bot.storage.database import create_engine_for
from bot.storage.locks import lock_migrations
from bot.storage.models import Base, UtcDateTime

config = context.config
target_metadata = Base.metadata

# Only the `alembic` tool reads logging from alembic.ini; inside the bot the app's logging
# stays as configured (fileConfig would otherwise disable every existing logger).
if config.config_file_name is not None and "connection" not in config.attributes:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings().database_url


def _render_item(kind: str, item: object, autogen_context: AutogenContext) -> str | bool:
    """Write our UTC column type as the plain type it stores, so migrations need no bot import."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**options: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        render_item=_render_item,
        **options,
    )


def run_migrations_offline() -> None:
    """`alembic upgrade --sql`: print the SQL instead of running it."""
    _configure(url=_database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    """Workers starting together take turns (PostgreSQL advisory lock): without it one of them
    fails halfway with a UniqueViolation on the version table or a table already created."""
    _configure(connection=connection)
    with context.begin_transaction():
        lock_migrations(connection)
        context.run_migrations()


async def run_async_migrations() -> None:
    engine = create_engine_for(_database_url(), poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        asyncio.run(run_async_migrations())
    else:
        do_run_migrations(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
