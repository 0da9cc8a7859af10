"""Pseudonymous keys: stable per person, unreadable without the secret, secret kept private."""

from __future__ import annotations

import hashlib
import hmac
import stat
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.settings import Settings
from bot.storage.database import open_storage
from bot.storage.keys import KEY_FILE_NAME, PseudonymousKeys
from tests.storage.samples import faq_reply

SECRET = "a-long-enough-secret-for-tests"


def test_key_is_the_hmac_of_the_decimal_id() -> None:
    keys = PseudonymousKeys(SECRET)
    expected = hmac.new(SECRET.encode(), b"987654321", hashlib.sha256).hexdigest()
    assert keys.key_for(987654321) == expected
    assert len(expected) == 64
    assert keys.key_for(987654321) != keys.key_for(987654322)
    assert PseudonymousKeys(SECRET + "x").key_for(987654321) != expected


def test_secret_from_settings(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, pseudonym_secret=SECRET)
    assert PseudonymousKeys.from_settings(settings).key_for(1) == PseudonymousKeys(SECRET).key_for(
        1
    )
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_generated_key_file_is_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", pseudonym_secret=None)
    first = PseudonymousKeys.from_settings(settings).key_for(42)
    key_file = tmp_path / "data" / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) == 64
    assert PseudonymousKeys.from_settings(settings).key_for(42) == first


def test_an_empty_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE_NAME).write_text("")
    with pytest.raises(ValueError, match="empty"):
        PseudonymousKeys.from_settings(Settings(_env_file=None, data_dir=tmp_path))


async def test_open_storage_migrates_and_records(tmp_path: Path) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=f"sqlite+aiosqlite:///{database}",
        pseudonym_secret=None,
    )
    storage = await open_storage(settings)
    try:
        async with storage.engine.connect() as connection:
            tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
        assert "message_events" in tables
        await storage.recorder.record_reply(user_id=7, text="x", reply=faq_reply("modus"))
        assert await storage.recorder.record_feedback(user_id=7, faq_id="modus", helpful=True)
        assert storage.keys.key_for(7) == PseudonymousKeys.from_settings(settings).key_for(7)
    finally:
        await storage.close()
    assert (tmp_path / "data" / KEY_FILE_NAME).exists()
