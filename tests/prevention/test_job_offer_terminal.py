"""The job-offer check works the same in the terminal chat: buttons become numbered choices."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.cli.console import chat
from bot.content.bundle import ContentBundle
from bot.engine.engine import Engine

CHOICE = {"y": "1", "n": "2", "u": "3"}


def _script(content: ContentBundle, pattern: str) -> list[str]:
    questions = content.job_offer_check.questions
    if pattern == "safe":
        codes = ["n" if q.risky_answer == "ya" else "y" for q in questions]
    elif pattern == "dangerous":
        codes = ["y" if q.risky_answer == "ya" else "n" for q in questions]
    else:
        codes = ["n" if q.risky_answer == "ya" else "y" for q in questions]
        codes[0] = codes[1] = "u"
    # The first answer says the job is abroad, so every question follows.
    return ["/cektawaran", CHOICE["y"], *(CHOICE[c] for c in codes), "keluar"]


@pytest.mark.parametrize(("pattern", "level"), [
    ("safe", "low"), ("doubtful", "check"), ("dangerous", "high"),
])
def test_terminal_check_reaches_the_expected_level(engine: Engine, content: ContentBundle,
                                                   pattern: str, level: str,
                                                   tmp_path: Path) -> None:
    lines = iter(_script(content, pattern))
    output = io.StringIO()
    chat(engine, lambda _prompt: next(lines), output, chart_dir=tmp_path)
    title = getattr(content.job_offer_check, level).title
    assert title in output.getvalue()


def test_terminal_back_and_cancel(engine: Engine, content: ContentBundle,
                                  tmp_path: Path) -> None:
    # Answer "Ya", go back (button 4 is "Kembali" after the three answers), then cancel.
    lines = iter(["/cektawaran", "1", "4", "4", "keluar"])
    output = io.StringIO()
    chat(engine, lambda _prompt: next(lines), output, chart_dir=tmp_path)
    text = output.getvalue()
    assert "Pertanyaan 2 dari" in text
    assert text.count("Pertanyaan 1 dari") == 2
    assert content.job_offer_check.cancelled.split(".")[0] in text
