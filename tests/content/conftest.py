"""A private copy of content/ per test, and small tools to break it one line at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.cli.content_check import ROUTING_MODEL_DIR
from tests.conftest import ROOT, seed_model_store


def run_content_check(folder: Path, *args: str, python_code: str | None = None,
                      data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m bot content check` exactly as staff run it, with CONTENT_DIR pointing at
    `folder` (and run outside the project so no .env is read). `python_code`, run first in the
    same process, can sabotage the checker. DATA_DIR is `data_dir`, or a new folder (no
    snapshot left in the repo); either way it holds the model trained on content/, as after an
    earlier check, so only content with other examples trains."""
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="check-data-"))
    seed_model_store(data_dir / ROUTING_MODEL_DIR)
    env = {**os.environ, "CONTENT_DIR": str(folder), "PYTHONPATH": str(ROOT),
           "PYTHONIOENCODING": "utf-8", "DATA_DIR": str(data_dir)}
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
