"""The image definition is linted here because no Docker engine is available to build it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

HADOLINT = Path(sys.executable).parent / "hadolint"


def test_hadolint_reports_nothing() -> None:
    result = subprocess.run([str(HADOLINT), "--no-color", str(ROOT / "Dockerfile")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_runs_the_bot_as_non_root_with_volumes_and_health_check() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.count("FROM ") == 2
    assert "USER 10001" in dockerfile
    assert 'VOLUME ["/app/content", "/app/data"]' in dockerfile
    assert "/healthz" in dockerfile
    assert 'CMD ["python", "-m", "bot", "run"]' in dockerfile


def test_lock_file_pins_every_runtime_dependency() -> None:
    lines = [line for line in (ROOT / "requirements.lock").read_text().splitlines() if line]
    assert lines and all("==" in line for line in lines)
    names = {line.split("==")[0].lower() for line in lines}
    assert {"python-telegram-bot", "sqlalchemy", "alembic", "pysastrawi", "asyncpg"} <= names
