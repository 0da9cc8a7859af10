"""`bench`: print benchmark figures (see docs/PERFORMANCE.md for recorded runs)."""

from __future__ import annotations

from bot.cli.common import load_settings
from bot.content.loader import load_content_or_raise


def run_bench(part: str, *, questions: int, messages: int) -> int:
    settings = load_settings()
    content = load_content_or_raise(settings.content_dir)
    if part in {"matcher", "all"}:
        from bot.bench.matcher import run_matcher_benchmark

        print("== matcher (engine.reply_to, one process, one core)")
        for line in run_matcher_benchmark(content, questions).lines():
            print(line)
    if part in {"stack", "all"}:
        from bot.bench.stack import run_stack_benchmark

        print("== full stack (real Application polling a local Bot API stand-in)")
        for line in run_stack_benchmark(settings, messages=messages):
            print(line)
    return 0
