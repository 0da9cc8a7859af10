"""Speed of the whole reply decision (`Engine.reply_to`), with and without the sentence encoder:
time to build the knowledge (training; warm embedding cache), p50/p99 per message, and resident
memory after many messages."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bot.bench.questions import benchmark_questions
from bot.bench.understanding import DEV_SETS, read_set
from bot.content.bundle import ContentBundle
from bot.engine.engine import Engine
from bot.engine.knowledge import Knowledge, UnderstandingSetup

LONG_MESSAGE_CHARS = 4096


@dataclass(frozen=True)
class LatencyFigures:
    label: str
    build_s: float
    messages: int
    p50_ms: float
    p99_ms: float
    long_p99_ms: float
    """4 kB messages only."""
    cpu_p99_ms: float
    """The process's own CPU time per message: on a shared machine the wall clock above also
    counts the time other processes held the core."""
    first_seen_cpu_p99_ms: float
    """CPU time of a text the process meets for the first time, as every real message is: the
    mix above repeats texts, whose new words' stems and columns are then cached."""
    rss_mb: float

    def lines(self) -> list[str]:
        return [
            f"-- {self.label}",
            f"knowledge build (training, warm cache): {self.build_s:.2f} s",
            f"messages timed:          {self.messages}",
            f"reply_to p50:            {self.p50_ms:.2f} ms",
            f"reply_to p99:            {self.p99_ms:.2f} ms",
            f"reply_to p99, 4 kB text: {self.long_p99_ms:.2f} ms",
            f"reply_to p99, CPU time:  {self.cpu_p99_ms:.2f} ms",
            f"  first time a text is met: {self.first_seen_cpu_p99_ms:.2f} ms",
            f"resident memory after:   {self.rss_mb:.0f} MB",
        ]


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))]


def bench_messages(content: ContentBundle, data_dir: Path, count: int, seed: int = 7) -> list[str]:
    """The dev questions and narratives, the content's phrasings with typos, and 4 kB stories."""
    rng = random.Random(seed)
    people = [i.text for name in DEV_SETS if (data_dir / name).exists()
              for i in read_set(data_dir / name)]
    generated = benchmark_questions(content, count, seed)
    long_texts = [_story(rng, people) for _ in range(20)]
    pool = people + generated
    messages = [rng.choice(pool) for _ in range(count)]
    step = max(1, count // 100)
    for number, position in enumerate(range(0, count, step)):  # 1% are 4 kB stories
        messages[position] = long_texts[number % len(long_texts)]
    return messages


def _story(rng: random.Random, texts: list[str]) -> str:
    """Messages strung together until they fill 4 kB: the longest a person could send."""
    story = ""
    while len(story) < LONG_MESSAGE_CHARS:
        story += rng.choice(texts).rstrip(".?!") + ". "
    return story[:LONG_MESSAGE_CHARS]


def run_latency_benchmark(content: ContentBundle, setup: UnderstandingSetup, label: str,
                          data_dir: Path, count: int) -> LatencyFigures:
    Knowledge.build(content, setup)  # fills the embedding cache on a first run
    started = time.perf_counter()
    engine = Engine(Knowledge.build(content, setup))
    build = time.perf_counter() - started
    messages = bench_messages(content, data_dir, count)
    warm_up = list(dict.fromkeys(messages[:200]))
    for text in warm_up:
        engine.reply_to(text)
    seen = set(warm_up)
    timings: list[float] = []
    long_timings: list[float] = []
    cpu_timings: list[float] = []
    first_seen_cpu: list[float] = []
    for text in messages:
        started, cpu_started = time.perf_counter(), time.thread_time()
        engine.reply_to(text)
        elapsed = (time.perf_counter() - started) * 1000
        cpu_timings.append((time.thread_time() - cpu_started) * 1000)
        if text not in seen:
            seen.add(text)
            first_seen_cpu.append(cpu_timings[-1])
        timings.append(elapsed)
        if len(text) == LONG_MESSAGE_CHARS:
            long_timings.append(elapsed)
    timings.sort()
    long_timings.sort()
    cpu_timings.sort()
    first_seen_cpu.sort()
    return LatencyFigures(
        label=label, build_s=build, messages=len(timings),
        p50_ms=statistics.median(timings), p99_ms=_percentile(timings, 0.99),
        long_p99_ms=_percentile(long_timings, 0.99) if long_timings else 0.0,
        cpu_p99_ms=_percentile(cpu_timings, 0.99),
        first_seen_cpu_p99_ms=_percentile(first_seen_cpu, 0.99) if first_seen_cpu else 0.0,
        rss_mb=_resident_mb(),
    )
