"""The full-stack benchmark's harness, tiny: each variant answers every queued question (a
wrong count of expected replies would hang it), and the benchmark fails clearly without the
stand-in."""

from __future__ import annotations

import sys

import pytest

from bot.bench import stack
from bot.bench.standin import StandinUnavailable, realistic_questions, standin_class
from bot.engine.engine import Engine
from bot.settings import Settings
from tests.conftest import CONTENT_DIR


@pytest.mark.parametrize("variant", list(stack.VARIANTS))
async def test_every_variant_answers_the_whole_batch(engine: Engine, variant: str) -> None:
    questions = [q.text for q in realistic_questions(40, seed=1)]
    warm_up, timed = stack.Batch.of(engine, questions[:10]), stack.Batch.of(engine, questions[10:])
    cache: dict[str, object] = {text: engine.reply_to(text) for text in questions}
    settings = Settings(_env_file=None, content_dir=CONTENT_DIR)  # type: ignore[call-arg]
    timing = await stack._in_process_round(variant, settings, engine, cache, warm_up, timed)
    assert timing.per_second > 0 and timing.cpu_ms_per_update > 0


def test_without_a_checkout_the_benchmark_says_what_is_missing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tests.fake_bot_api", None)
    with pytest.raises(StandinUnavailable, match="checkout"):
        standin_class()
