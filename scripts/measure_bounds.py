"""Figures for docs/PERFORMANCE.md, section "Bounded content reading and stemming".

    .venv/bin/python scripts/measure_bounds.py hostile   # content check on hostile files
    .venv/bin/python scripts/measure_bounds.py words     # 100k never-seen words: memory
    .venv/bin/python scripts/measure_bounds.py cost      # cost of 4 kB messages of such words
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LETTERS = "abcdeghijklmnoprstuwy"


def max_rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def words(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    return ["".join(chooser.choice(LETTERS) for _ in range(chooser.randint(5, 10)))
            for _ in range(count)]


def hostile() -> None:
    from tests.content.test_bounded_reading import add_alias_bomb, add_special_files
    from tests.content_copy import ContentCopy
    from tests.peak_memory import PEAK_RSS_MB_SOURCE

    folder = Path(tempfile.mkdtemp()) / "content"
    shutil.copytree(ROOT / "content", folder)
    add_alias_bomb(ContentCopy(folder))
    add_special_files(folder)
    code = PEAK_RSS_MB_SOURCE + ("import sys, time\nfrom pathlib import Path\n"
            "from bot.cli.main import main\nfrom bot.content.reloader import fingerprint\n"
            "started = time.monotonic()\nfingerprint(Path(sys.argv[1]))\n"
            "status = main(['content', 'check'])\n"
            "print(f'exit {status}; {time.monotonic() - started:.2f} s; max RSS '\n"
            "      f'{peak_rss_mb()} MB',"
            " file=sys.stderr)\n")
    env = {**os.environ, "CONTENT_DIR": str(folder), "DATA_DIR": str(folder.parent / "data"),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, str(folder)], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=120)
    print("alias bomb + /dev/zero symlink + FIFO + 50 MB file:", done.stderr.strip())


def memory() -> None:
    from bot.language.stemming import cached_words, stem

    start = max_rss_mb()
    for word in words(100_000, seed=2):
        stem(word)
    print(f"100k never-seen words: max RSS {start} -> {max_rss_mb()} MB, "
          f"cache {cached_words()} words")


def cost() -> None:
    from bot.content.loader import load_content
    from bot.engine.engine import Engine
    from bot.engine.knowledge import Knowledge
    from bot.language.stemming import stem, stemming_budget

    bundle = load_content(ROOT / "content").bundle
    assert bundle is not None
    knowledge = Knowledge.build(bundle)
    engine = Engine(knowledge)
    pool = iter(words(200_000, seed=1))

    def message() -> str:
        text = ""
        while len(text) < 4096:
            text += next(pool) + " "
        return text[:4096]

    def language_path(text: str) -> None:
        with stemming_budget():
            {stem(token) for token in knowledge.normaliser.normalise(text).tokens}

    def timed(run, texts: list[str]) -> str:  # type: ignore[no-untyped-def]
        """Wall clock, and the thread's CPU time (what a shared machine does not inflate)."""
        costs, cpu = [], []
        for text in texts:
            started, cpu_started = time.perf_counter(), time.thread_time()
            run(text)
            costs.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - cpu_started)
        costs.sort()
        cpu.sort()
        middle, high = len(costs) // 2, int(len(costs) * 0.95)
        return (f"p50 {costs[middle] * 1000:.1f} ms, p95 {costs[high] * 1000:.1f} ms; "
                f"CPU p50 {cpu[middle] * 1000:.1f} ms, p95 {cpu[high] * 1000:.1f} ms")

    print("4 kB message, normaliser + stemming:", timed(language_path,
                                                         [message() for _ in range(100)]))
    print("4 kB message, whole Engine.reply_to:", timed(engine.reply_to,
                                                         [message() for _ in range(100)]))
    print("short question, whole Engine.reply_to:",
          timed(engine.reply_to, ["gimana cara lapor kalau agen nahan paspor saya"] * 50))


if __name__ == "__main__":
    {"hostile": hostile, "words": memory, "cost": cost}[sys.argv[1]]()
