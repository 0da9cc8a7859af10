"""One identity across workers: a secret other than the database's refuses to start, the key
file is never regenerated next to existing data, and a generated one is written atomically."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.settings import Settings
from bot.storage.database import open_storage
from bot.storage.identity import SecretMismatch
from bot.storage.keys import KEY_FILE_NAME, MissingKeyFile, StorageRefused, read_or_create_secret
from tests.storage.conftest import TestDatabase
from tests.storage.samples import faq_reply

SECRET = "the-first-workers-secret-0123"


def _settings(database: TestDatabase, data_dir: Path, secret: str | None) -> Settings:
    url = database.url
    if not database.is_sqlite:  # the test schema, as libpq options (see tests/conftest.py)
        schema = database.engine_options["connect_args"]["server_settings"]["search_path"]
        url = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}
                                              ).render_as_string(hide_password=False)
    return Settings(_env_file=None, database_url=url, data_dir=data_dir,
                    pseudonym_secret=secret)


async def test_a_worker_with_another_secret_refuses_to_start(
    empty_database: TestDatabase, tmp_path: Path,
) -> None:
    first = await open_storage(_settings(empty_database, tmp_path, SECRET))
    await first.close()
    with pytest.raises(SecretMismatch, match="PSEUDONYM_SECRET") as refused:
        await open_storage(_settings(empty_database, tmp_path, SECRET + "-other"))
    assert "\n" not in str(refused.value)  # one clear line for the operator
    again = await open_storage(_settings(empty_database, tmp_path, SECRET))  # the right one
    await again.close()


async def test_the_key_file_is_not_regenerated_next_to_existing_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = Settings(_env_file=None, data_dir=data, pseudonym_secret=None,
                        database_url=f"sqlite+aiosqlite:///{data / 'bot.sqlite3'}")
    storage = await open_storage(settings)
    await storage.recorder.record_reply(user_id=7, text="x", reply=faq_reply("modus"))
    await storage.close()
    (data / KEY_FILE_NAME).unlink()  # lost, e.g. not in the backup
    with pytest.raises(MissingKeyFile, match=KEY_FILE_NAME):
        await open_storage(settings)
    assert not (data / KEY_FILE_NAME).exists()


def test_postgresql_needs_the_secret() -> None:
    settings = Settings(_env_file=None, pseudonym_secret=None,
                        database_url="postgresql+asyncpg://bot@db/bot")
    with pytest.raises(ValueError, match="PSEUDONYM_SECRET wajib"):
        settings.check_storage()


async def test_open_storage_refuses_postgresql_without_the_secret() -> None:
    settings = Settings(_env_file=None, pseudonym_secret=None,
                        database_url="postgresql+asyncpg://bot@127.0.0.1:1/bot")
    with pytest.raises(StorageRefused, match="PSEUDONYM_SECRET"):
        await open_storage(settings)


def test_workers_creating_the_key_file_at_once_share_one_complete_secret(
    tmp_path: Path,
) -> None:
    path = tmp_path / KEY_FILE_NAME
    secrets: list[str] = []
    start = threading.Barrier(8)

    def create() -> None:
        start.wait()
        secrets.append(read_or_create_secret(path))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(secrets) == 8  # none read the file empty (that raises)
    assert len(set(secrets)) == 1 and len(secrets[0]) == 64
    assert path.read_text().strip() == secrets[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == [KEY_FILE_NAME]  # no temporary file left behind
