"""DATABASE_URL for PostgreSQL may carry libpq's `options` (say, a schema of the bot's own),
which asyncpg does not read itself: they reach the server as asyncpg's server settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.storage.database import _asyncpg_server_settings, create_engine_for
from tests.conftest import isolated_database_url, postgres_test_url

BASE = "postgresql+asyncpg://bot:secret@127.0.0.1/bot"


@pytest.mark.parametrize(("options", "settings"), [
    ("-csearch_path%3Dbot", {"search_path": "bot"}),
    ("-c%20search_path%3Dbot%20-c%20statement_timeout%3D5000",
     {"search_path": "bot", "statement_timeout": "5000"}),
    ("--search-path%3Dbot", {"search_path": "bot"}),
])
def test_libpq_options_become_server_settings(options: str, settings: dict[str, str]) -> None:
    url, server_settings = _asyncpg_server_settings(make_url(f"{BASE}?options={options}"))
    assert server_settings == settings
    assert url == make_url(BASE)


def test_a_url_without_options_is_left_alone() -> None:
    assert _asyncpg_server_settings(make_url(BASE)) == (make_url(BASE), {})


@pytest.mark.parametrize("options", ["search_path%3Dbot", "-c%20search_path", "-x"])
def test_options_that_are_not_settings_stop_start_up(options: str) -> None:
    with pytest.raises(ValueError, match="options"):
        create_engine_for(f"{BASE}?options={options}")


async def test_the_schema_named_in_the_url_holds_the_tables(tmp_path: Path) -> None:
    if postgres_test_url() is None:
        pytest.skip("needs TEST_DATABASE_URL=postgresql+asyncpg://…")
    url = isolated_database_url(tmp_path)
    schema = make_url(url).query["options"].split("=", 1)[1]
    engine = create_engine_for(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE probe (id integer)"))
            # Resolved through the connection's search_path, so other schemas' tables don't count.
            found = await connection.scalar(text(
                "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.oid = 'probe'::regclass"))
    finally:
        await engine.dispose()
    assert found == schema
