"""The command line as staff read it: Indonesian help and errors, WITA times, and a report that
says what it does and does not count."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.cli.report import format_json, format_text
from bot.storage.report import UsageReport
from tests.conftest import ROOT, seed_model_cache


def empty_report() -> UsageReport:
    return UsageReport(since=datetime(2026, 11, 1, 16, 0, tzinfo=UTC),
                       until=datetime(2026, 12, 1, 16, 0, tzinfo=UTC), days=30,
                       total_messages=0, distinct_users=0, emergencies=0, intents=(), faqs=(),
                       feedback=(), unanswered=())


def test_the_report_is_in_wita_and_says_what_is_not_recorded() -> None:
    text = format_text(empty_report())
    assert "Periode: 02-11-2026 00.00 s.d. 02-12-2026 00.00 WITA" in text
    assert "UTC" not in text
    assert "Yang tidak dicatat: percakapan di terminal" in text
    assert "Belum ada pesan dari Telegram pada periode ini" in text
    assert '"since": "2026-11-02T00:00:00+08:00"' in format_json(empty_report())


@pytest.mark.parametrize(("argv", "expected"), [
    (["report", "--days", "x"], "argumen --days: nilai 'x' tidak sah (harus bilangan bulat)"),
    (["repot"], "pilihan 'repot' tidak ada (pilih salah satu: 'run'"),
    (["report", "--format", "pdf"], "pilihan 'pdf' tidak ada"),
    (["content", "check", "--verbos", "x"], "argumen tidak dikenal"),
    (["chart"], "argumen berikut wajib diisi: --out"),
])
def test_argument_errors_are_in_indonesian(argv: list[str], expected: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    error = capsys.readouterr().err
    assert stopped.value.code == 2
    assert expected in error and "kesalahan:" in error and "--help" in error
    assert "error:" not in error and "usage:" not in error


def test_help_is_in_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = capsys.readouterr().out
    assert "cara pakai:" in text and "pilihan:" in text and "tampilkan bantuan ini" in text
    assert "jumlah hari terakhir" in text


def test_ask_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOT_TOKEN": "",
           "DATA_DIR": str(seed_model_cache(tmp_path).parent)}
    questions = "\n".join(["apa itu tppo"] * 200) + "\n"
    done = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m bot ask | head -n 1"], input=questions, cwd=ROOT,
        env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.startswith("> apa itu tppo")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
