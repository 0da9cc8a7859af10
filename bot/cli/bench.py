"""`bench`: print benchmark figures (see docs/PERFORMANCE.md for recorded runs)."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.cli.common import load_engine, load_settings, understanding_setup
from bot.content.loader import load_content_or_raise

DATA_DIR = Path("tests/data")
"""The labelled question sets (a checkout's; the frozen test set is read when present)."""


def run_bench(part: str, *, questions: int, messages: int, users: int = 2000,
              per_user: int = 10, mode: str = "both", encoder: str | None = None,
              baselines: bool = True, frozen_set: bool = True,
              ads: str = "tests/data/dev_job_ads.yaml", burst_size: int = 500) -> int:
    settings = load_settings()
    if part == "jobads":
        return _job_ads(settings.content_dir, Path(ads))
    if encoder is not None:
        settings = settings.model_copy(update={"sentence_encoder": encoder})
    if part in {"understanding", "all"}:
        from bot.bench.understanding import run_understanding_benchmark

        print(f"== understanding (encoder: {settings.sentence_encoder})", flush=True)
        for line in run_understanding_benchmark(load_engine(settings), DATA_DIR,
                                                baselines=baselines, frozen_set=frozen_set):
            print(line, flush=True)
    if part in {"latency", "all"}:
        from bot.bench.latency import run_latency_benchmark

        content = load_content_or_raise(settings.content_dir)
        print("== reply decision (engine.reply_to, one process)", flush=True)
        figures = run_latency_benchmark(content, understanding_setup(settings),
                                        f"encoder: {settings.sentence_encoder}", DATA_DIR,
                                        questions)
        for line in figures.lines():
            print(line)
    if part in {"understanding", "latency"}:
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


def _job_ads(content_dir: Path, ads: Path) -> int:
    from bot.bench.job_ads import read_labelled_ads, score_job_ads
    from bot.prevention.job_ad import JobAdReader

    content = load_content_or_raise(content_dir)
    sign_ids = [sign.id for sign in content.job_ads.signs]
    print(f"== job advertisements ({ads})")
    scores = score_job_ads(JobAdReader(content.job_ads), read_labelled_ads(ads), sign_ids)
    for line in scores.lines():
        print(line)
    return 0
