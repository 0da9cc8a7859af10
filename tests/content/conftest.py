"""A private copy of content/ per test, and small tools to break it one line at a time."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CONTENT_DIR, ROOT


@dataclass
class ContentCopy:
    folder: Path

    def path(self, file_name: str) -> Path:
        return self.folder / file_name

    def text(self, file_name: str) -> str:
        return self.path(file_name).read_text(encoding="utf-8")

    def line_of(self, file_name: str, pattern: str, *, after: int = 0) -> int:
        """1-based number of the first line at or after line `after` matching `pattern`."""
        for number, line in enumerate(self.text(file_name).splitlines(), 1):
            if number >= after and re.search(pattern, line):
                return number
        raise AssertionError(f"{pattern!r} not found in {file_name}")

    def replace_line(self, file_name: str, pattern: str, new: str, *, after: int = 0) -> int:
        """Replace the first line matching `pattern` with `new` (may be several lines); returns
        the number of the line that was replaced."""
        number = self.line_of(file_name, pattern, after=after)
        lines = self.text(file_name).splitlines()
        lines[number - 1 : number] = new.split("\n") if new else []
        self.path(file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return number

    def insert_after(self, file_name: str, pattern: str, new: str, *, after: int = 0) -> int:
        """Insert `new` below the first line matching `pattern`; returns the new line's number."""
        number = self.line_of(file_name, pattern, after=after)
        lines = self.text(file_name).splitlines()
        lines.insert(number, new)
        self.path(file_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return number + 1

    def item_line(self, item_id: str, file_name: str = "faq_id.yaml") -> int:
        """The `- id: ...` line of a category, channel or FAQ."""
        return self.line_of(file_name, rf'^  - id: "?{re.escape(item_id)}"?\s*$')


@pytest.fixture
def content_copy(tmp_path: Path) -> ContentCopy:
    folder = tmp_path / "content"
    folder.mkdir()
    for path in CONTENT_DIR.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    return ContentCopy(folder)


def run_content_check(folder: Path, *args: str,
                      python_code: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m bot content check` exactly as staff run it, with CONTENT_DIR pointing at
    `folder` (and run outside the project so no .env is read). `python_code`, run first in the
    same process, can sabotage the checker."""
    env = {**os.environ, "CONTENT_DIR": str(folder), "PYTHONPATH": str(ROOT),
           "PYTHONIOENCODING": "utf-8"}
    env.pop("LOG_LEVEL", None)
    command = ["-m", "bot", "content", "check", *args]
    if python_code is not None:
        command = ["-c", f"{python_code}\nfrom bot.cli.main import main\n"
                   f"raise SystemExit(main({['content', 'check', *args]!r}))"]
    return subprocess.run(
        [sys.executable, *command],
        cwd=folder.parent, env=env, capture_output=True, text=True, encoding="utf-8",
        timeout=120, check=False,
    )
