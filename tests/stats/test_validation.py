"""`content check` on stats.yaml: the rules staff rely on when they add a year."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.problems import ContentProblem, Severity
from tests.conftest import CONTENT_DIR
from tests.stats.conftest import ADDED_YEAR, add_year


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CONTENT_DIR, tmp_path / "content"))


def _stats_errors(content_dir: Path) -> list[ContentProblem]:
    result = load_content(content_dir)
    return [p for p in result.errors if p.file == "stats.yaml"]


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _add(content_dir: Path, block: str) -> Path:
    stats = content_dir / "stats.yaml"
    add_year(stats, block)
    return stats


def test_the_real_file_is_valid() -> None:
    assert _stats_errors(CONTENT_DIR) == []


def test_a_new_year_needs_no_code(content_copy: Path) -> None:
    _add(content_copy, ADDED_YEAR)
    result = load_content(content_copy)
    assert result.bundle is not None, [str(p) for p in result.errors]
    assert 2025 in result.bundle.years_by_number


def test_unknown_region_is_reported_with_its_line(content_copy: Path) -> None:
    stats = _add(content_copy, ADDED_YEAR.replace("samarinda: 2", "samarindah: 2"))
    errors = _stats_errors(content_copy)
    assert any("samarindah" in p.message and p.line == _line_of(stats, "samarindah")
               for p in errors), [str(p) for p in errors]


@pytest.mark.parametrize("bad", ["-2", '"2"', "2.5", "dua"])
def test_counts_must_be_non_negative_integers(content_copy: Path, bad: str) -> None:
    stats = _add(content_copy, ADDED_YEAR.replace("samarinda: 2", f"samarinda: {bad}"))
    errors = _stats_errors(content_copy)
    line = max(n for n, text in enumerate(stats.read_text().splitlines(), 1)
               if "samarinda: " in text)
    assert any(p.line == line for p in errors), [str(p) for p in errors]


def test_counts_that_do_not_add_up_must_say_so(content_copy: Path) -> None:
    stats = _add(content_copy, ADDED_YEAR.replace("    unallocated: 4\n", ""))
    errors = _stats_errors(content_copy)
    total_line = _line_of(stats, "total: 15")
    assert any(p.line == total_line and "2025" in p.message and "unallocated" in p.message
               for p in errors), [str(p) for p in errors]


def test_unallocated_makes_the_sum_right(content_copy: Path) -> None:
    _add(content_copy, ADDED_YEAR)
    assert _stats_errors(content_copy) == []
    warnings = [p for p in load_content(content_copy).problems
                if p.file == "stats.yaml" and p.severity is Severity.WARNING]
    assert warnings == []


def test_a_year_written_twice_is_reported(content_copy: Path) -> None:
    _add(content_copy, ADDED_YEAR)
    _add(content_copy, ADDED_YEAR)
    errors = _stats_errors(content_copy)
    assert any("2025" in p.message and p.line for p in errors), [str(p) for p in errors]
