"""Matcher benchmark: index build time, per-question latency (p50/p99), peak memory."""

from __future__ import annotations

import resource
import statistics
import time
from dataclasses import dataclass

from bot.bench.questions import benchmark_questions
from bot.content.bundle import ContentBundle
from bot.engine.engine import Engine
from bot.engine.knowledge import Knowledge


@dataclass(frozen=True)
class MatcherFigures:
    questions: int
    build_ms: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    peak_rss_mb: float

    def lines(self) -> list[str]:
        return [
            f"questions timed:        {self.questions}",
            f"index build (Knowledge): {self.build_ms:.1f} ms",
            f"reply_to p50:           {self.p50_ms:.3f} ms",
            f"reply_to p99:           {self.p99_ms:.3f} ms",
            f"reply_to max:           {self.max_ms:.3f} ms",
            f"peak resident memory:   {self.peak_rss_mb:.1f} MB",
        ]


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def run_matcher_benchmark(content: ContentBundle, count: int) -> MatcherFigures:
    builds = []
    for _ in range(5):
        started = time.perf_counter()
        knowledge = Knowledge.build(content)
        builds.append(time.perf_counter() - started)
    engine = Engine(knowledge)
    questions = benchmark_questions(content, count)
    for text in questions[:200]:  # warm the stemmer cache as a running bot would be
        engine.reply_to(text)
    timings: list[float] = []
    for text in questions:
        started = time.perf_counter()
        engine.reply_to(text)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return MatcherFigures(
        questions=len(timings),
        build_ms=statistics.median(builds) * 1000,
        p50_ms=_percentile(timings, 0.50),
        p99_ms=_percentile(timings, 0.99),
        max_ms=timings[-1],
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
