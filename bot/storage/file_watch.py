"""Noticing that the SQLite file was deleted or replaced while the bot runs.

An open SQLite connection keeps writing into a deleted file without any error: every record
(and, in the same folder, the pseudonym key) is then lost when the process ends, silently.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


class DatabaseFileWatch:
    """Remembers which file the database was opened as; `check` compares it with the path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._opened = _identity(path)
        self.problem: str | None = None

    def check(self) -> bool:
        """True while the path still names the file opened; logs loudly once when not."""
        if self.problem is not None:
            return False
        current = _identity(self.path)
        self._opened = self._opened or current
        if current is None or current[2] == 0:
            self.problem = "deleted"
        elif self._opened is not None and current[:2] != self._opened[:2]:
            self.problem = "replaced"
        if self.problem is None:
            return True
        log.critical("The database file %s was %s while the bot runs: nothing written from now "
                     "on is kept. Restore it from a backup (with pseudonym.key) and restart.",
                     self.path, self.problem)
        return False


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino, status.st_nlink
