"""Shared fixtures: the real content files, loaded once per test session; a database of each
test's own (SQLite by default, PostgreSQL when TEST_DATABASE_URL names one)."""

from __future__ import annotations

import asyncio
import dataclasses
import fcntl
import functools
import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import pool, text
from sqlalchemy.engine import make_url

from bot.content.bundle import ContentBundle
from bot.content.loader import load_content
from bot.engine.engine import Engine
from bot.engine.knowledge import Knowledge, UnderstandingSetup
from bot.storage.database import create_engine_for
from bot.understanding.store import ModelStore
from tests.content_copy import ContentCopy, copy_content

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
DATA_DIR = Path(__file__).resolve().parent / "data"
_created_schemas: list[str] = []


@pytest.fixture(scope="session")
def content() -> ContentBundle:
    result = load_content(CONTENT_DIR)
    assert result.bundle is not None, "\n".join(str(p) for p in result.errors)
    return result.bundle


@pytest.fixture(scope="session")
def knowledge(content: ContentBundle, tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return knowledge_of(content, tmp_path_factory.mktemp("knowledge"))


def with_only_faqs(bundle: ContentBundle, ids: tuple[str, ...]) -> ContentBundle:
    """`bundle` with only the FAQ entries `ids` (and the off-topic examples): a model of it
    trains in a few seconds, for tests about training itself rather than about content/."""
    faqs = [f.model_copy(update={"related": [r for r in f.related if r in ids]})
            for f in bundle.faq.faqs if f.id in ids]
    return dataclasses.replace(bundle, faq=bundle.faq.model_copy(update={"faqs": faqs}))


def knowledge_of(bundle: ContentBundle, data_dir: Path) -> Knowledge:
    """`Knowledge.build` with a model store in `data_dir`/cache seeded by `seed_model_cache`:
    content whose examples are content/'s loads the model instead of training it."""
    return Knowledge.build(bundle, UnderstandingSetup(store=ModelStore(seed_model_cache(data_dir))))


@functools.cache
def _trained_model_folder() -> Path:
    """The intent model for content/ as it is, trained once for every test process of this
    checkout (both xdist workers and the PostgreSQL pass): the first to take the lock trains
    into a shared folder, the others then load it. The store's key covers the examples, the
    settings and the code, so a stale model is never loaded (it is trained again)."""
    checkout = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"tppo-test-model-{checkout}"
    folder.mkdir(exist_ok=True)
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = load_content(CONTENT_DIR)
        assert result.bundle is not None, "\n".join(str(p) for p in result.errors)
        Knowledge.build(result.bundle, UnderstandingSetup(store=ModelStore(folder)))
    return folder


def seed_model_cache(data_dir: Path) -> Path:
    """Put the model trained on content/ into `data_dir`/cache, as a restarted bot finds its
    DATA_DIR in production, and return that folder: a bot under test then loads the model
    instead of training it (many seconds of CPU on every start). Content that differs from
    content/ has another key, so a bot given edited content still trains."""
    return seed_model_store(data_dir / "cache")


def seed_model_store(folder: Path) -> Path:
    """Put the model trained on content/ into the model store `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for stored in _trained_model_folder().glob("intent-model-*.pickle"):
        target = folder / stored.name
        target.unlink(missing_ok=True)
        try:  # a link is enough: the store replaces files, it never writes into one
            os.link(stored, target)
        except OSError:
            shutil.copyfile(stored, target)
    return folder


@pytest.fixture(scope="session")
def engine(knowledge: Knowledge) -> Engine:
    return Engine(knowledge)


@pytest.fixture
def content_copy(tmp_path: Path) -> ContentCopy:
    """content/ copied into this test's own folder, to edit or break."""
    return copy_content(CONTENT_DIR, tmp_path / "content")


def postgres_test_url() -> str | None:
    """TEST_DATABASE_URL when it names a PostgreSQL database (the suite's second pass)."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url and make_url(url).get_backend_name() == "postgresql" else None


def isolated_database_url(data_dir: Path) -> str:
    """A DATABASE_URL no other test uses: a new SQLite file in `data_dir`, or on PostgreSQL a
    new schema (made the default with libpq's `options`, dropped when the session ends)."""
    base = postgres_test_url()
    if base is None:
        return f"sqlite+aiosqlite:///{data_dir}/bot.sqlite3"
    schema = f"test_{uuid.uuid4().hex[:16]}"
    _execute(base, f'CREATE SCHEMA "{schema}"')
    _created_schemas.append(schema)
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def _execute(url: str, *statements: str) -> None:
    """Run SQL from sync code, even inside a running event loop (a thread with its own)."""

    async def run() -> None:
        engine = create_engine_for(url, poolclass=pool.NullPool)
        try:
            async with engine.begin() as connection:
                for statement in statements:
                    await connection.execute(text(statement))
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, run()).result()


@pytest.fixture(scope="session", autouse=True)
def _drop_created_schemas() -> Iterator[None]:
    yield
    base = postgres_test_url()
    if base is not None and _created_schemas:
        _execute(base, *(f'DROP SCHEMA "{schema}" CASCADE' for schema in _created_schemas))
