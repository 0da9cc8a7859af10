"""Several workers starting at once on one PostgreSQL database (the usual way to scale a
webhook bot): every one of them ends with storage, on an empty schema, every time.

Each worker is its own process, as in production (Alembic's `context` is process-global, so
migrations in one process cannot even be tried concurrently)."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import pool, text
from sqlalchemy.engine import make_url

from bot.storage.database import PROJECT_ROOT, create_engine_for
from tests.conftest import postgres_test_url

WORKERS = 3
RUNS = 5
SECRET = "one-secret-shared-by-every-worker"
WORKER = """
import asyncio
from bot.settings import Settings
from bot.storage.database import open_storage

async def main():
    storage = await open_storage(Settings(_env_file=None))
    ok = await storage.recorder.set_subscribed(user_id=1, subscribed=False)
    await storage.close()
    print("storage" if ok else "no storage")

asyncio.run(main())
"""


async def _execute(url: str, statement: str) -> None:
    engine = create_engine_for(url, poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("run", range(RUNS))
async def test_workers_started_together_all_get_storage(run: int, tmp_path: Path) -> None:
    base = postgres_test_url()
    if base is None:
        pytest.skip("needs TEST_DATABASE_URL=postgresql+asyncpg://…")
    schema = f"test_start_{uuid.uuid4().hex[:12]}"
    await _execute(base, f'CREATE SCHEMA "{schema}"')
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    environment = {**os.environ, "DATABASE_URL": url.render_as_string(hide_password=False),
                   "PSEUDONYM_SECRET": SECRET}
    try:
        workers = [await asyncio.create_subprocess_exec(
            sys.executable, "-c", WORKER, cwd=PROJECT_ROOT,
            env={**environment, "DATA_DIR": str(tmp_path / f"worker{n}")},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            for n in range(WORKERS)]
        outputs = await asyncio.wait_for(
            asyncio.gather(*(worker.communicate() for worker in workers)), 60)
        results = [(worker.returncode, out.decode().strip(), err.decode()[-300:])
                   for worker, (out, err) in zip(workers, outputs, strict=True)]
        assert [r[:2] for r in results] == [(0, "storage")] * WORKERS, results
    finally:
        await _execute(base, f'DROP SCHEMA "{schema}" CASCADE')
