"""Statistics fixtures: the figures read straight from content/stats.yaml, and a content copy
with one more year, to show that data changes need no code changes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bot.content.bundle import ContentBundle
from bot.content.loader import load_content
from bot.engine.engine import Engine
from tests.conftest import CONTENT_DIR, knowledge_of

# Fictitious test data, not a real statistic: a year appended to a copy of content/ only.
ADDED_YEAR = """\
  - year: 2025
    total: 15
    as_of: "2025-12-31"
    counts:
      balikpapan: 9
      samarinda: 2
    unallocated: 4
    source: "Data uji fiktif (bukan angka resmi)"
    note: "Data uji: empat kasus tanpa wilayah."
"""


@pytest.fixture(scope="session")
def stats_yaml() -> dict[str, Any]:
    """The statistics exactly as staff wrote them, read without the bot's loader."""
    return YAML(typ="safe").load((CONTENT_DIR / "stats.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def added_year_yaml() -> dict[str, Any]:
    return YAML(typ="safe").load(ADDED_YEAR)[0]


@pytest.fixture(scope="session")
def extended_content(tmp_path_factory: pytest.TempPathFactory) -> ContentBundle:
    directory = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(CONTENT_DIR, directory)
    add_year(directory / "stats.yaml", ADDED_YEAR)
    result = load_content(directory)
    assert result.bundle is not None, "\n".join(str(p) for p in result.errors)
    return result.bundle


@pytest.fixture(scope="session")
def extended_engine(extended_content: ContentBundle,
                    tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine(knowledge_of(extended_content, tmp_path_factory.mktemp("extended")))


def add_year(stats_file: Path, block: str) -> None:
    """Append a year the way staff would, keeping the file's comments and layout."""
    yaml = YAML()
    data = yaml.load(stats_file.read_text(encoding="utf-8"))
    data["years"].append(yaml.load(block)[0])
    with stats_file.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
