"""`bench`: print benchmark figures (see docs/PERFORMANCE.md for recorded runs)."""

from __future__ import annotations

import sys

from bot.cli.common import load_engine, load_settings
from bot.content.loader import load_content_or_raise


def run_bench(part: str, *, questions: int, messages: int, users: int = 2000,
              per_user: int = 10, mode: str = "both", burst_size: int = 500) -> int:
    settings = load_settings()
    if part in {"matcher", "all"}:
        from bot.bench.matcher import run_matcher_benchmark

        content = load_content_or_raise(settings.content_dir)
        print("== matcher (engine.reply_to, one process, one core)")
        for line in run_matcher_benchmark(content, questions).lines():
            print(line)
    if part == "matcher":
        return 0
    from bot.bench.standin import StandinUnavailable

    try:
        if part in {"stack", "all"}:
            from bot.bench.stack import run_stack_benchmark

            print("== full stack (real Application polling a local Bot API stand-in)",
                  flush=True)
            for line in run_stack_benchmark(settings, messages=messages):
                print(line)
        if part == "load":
            from bot.bench.load import MODES, run_load_benchmark

            print("== load with faults (real Application, stand-in refusing sends)", flush=True)
            modes = MODES if mode == "both" else (mode,)
            for line in run_load_benchmark(settings, load_engine(settings), users=users,
                                           per_user=per_user, modes=modes):
                print(line, flush=True)
        if part == "burst":
            from bot.bench.burst import run_burst_benchmark

            print("== burst (one worker, production defaults, stand-in Bot API)", flush=True)
            for line in run_burst_benchmark(settings, load_engine(settings),
                                            messages=burst_size):
                print(line, flush=True)
    except StandinUnavailable as error:
        sys.exit(str(error))
    return 0
