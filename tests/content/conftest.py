"""A private copy of content/ per test, and small tools to break it one line at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import ROOT


def run_content_check(folder: Path, *args: str,
                      python_code: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m bot content check` exactly as staff run it, with CONTENT_DIR pointing at
    `folder` (and run outside the project so no .env is read). `python_code`, run first in the
    same process, can sabotage the checker."""
    env = {**os.environ, "CONTENT_DIR": str(folder), "PYTHONPATH": str(ROOT),
           "PYTHONIOENCODING": "utf-8",
           "DATA_DIR": tempfile.mkdtemp(prefix="check-data-")}  # no snapshot left in the repo
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
