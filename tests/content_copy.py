"""A private copy of content/ that tests edit one line at a time."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path


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


def copy_content(source: Path, folder: Path) -> ContentCopy:
    folder.mkdir()
    for path in source.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    return ContentCopy(folder)
