"""Shared fixtures: the real content files, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.bundle import ContentBundle
from bot.content.loader import load_content
from bot.engine.engine import Engine
from bot.engine.knowledge import Knowledge
from tests.content_copy import ContentCopy, copy_content

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def content() -> ContentBundle:
    result = load_content(CONTENT_DIR)
    assert result.bundle is not None, "\n".join(str(p) for p in result.errors)
    return result.bundle


@pytest.fixture(scope="session")
def knowledge(content: ContentBundle) -> Knowledge:
    return Knowledge.build(content)


@pytest.fixture(scope="session")
def engine(knowledge: Knowledge) -> Engine:
    return Engine(knowledge)


@pytest.fixture
def content_copy(tmp_path: Path) -> ContentCopy:
    """content/ copied into this test's own folder, to edit or break."""
    return copy_content(CONTENT_DIR, tmp_path / "content")
