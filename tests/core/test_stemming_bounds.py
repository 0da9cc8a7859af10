"""The stemmer can neither grow the process without end nor be made slow by made-up words."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from bot.language import stemming
from bot.language.stemming import cached_words, stem, stemming_budget
from tests.conftest import ROOT, seed_model_cache
from tests.peak_memory import PEAK_RSS_MB_SOURCE

LETTERS = "abcdeghijklmnoprstuwy"


def random_words(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    return ["".join(chooser.choice(LETTERS) for _ in range(chooser.randint(5, 10)))
            for _ in range(count)]


def test_sastrawis_unbounded_cache_is_not_used() -> None:
    assert not hasattr(stemming._stemmer, "cache")
    assert stem("perdagangan") == "dagang"


def test_the_cache_keeps_at_most_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stemming, "CACHE_SIZE", 300)
    for word in random_words(1000, seed=3):
        stem(word)
    assert cached_words() <= 300
    assert stem("perdagangan") == "dagang"  # evicted words are simply stemmed again


@pytest.fixture
def content_roots(monkeypatch: pytest.MonkeyPatch) -> None:
    """The content's words as a built Knowledge leaves them, here just one."""
    monkeypatch.setattr(stemming, "_content_roots", {})
    stemming.learn_content_roots({"perdagangan": "dagang"})


@pytest.mark.usefixtures("content_roots")
def test_a_long_message_of_unknown_words_stems_only_its_budget() -> None:
    words = random_words(600, seed=4)
    before = cached_words()
    with stemming_budget(16):
        roots = [stem(word) for word in [*words, "perdagangan"]]
    assert roots[-1] == "dagang"  # the content's words are still stemmed past the budget
    assert roots[16:-1] == words[16:]  # past the budget unknown words are left as they are
    assert cached_words() - before <= 16


@pytest.mark.usefixtures("content_roots")
def test_a_messages_stems_do_not_depend_on_what_was_cached_before() -> None:
    """Answers must not change with history: words cached by earlier messages still count."""
    message = [*random_words(30, seed=6), "diperdagangkannya", "perdagangan"]

    def stems() -> list[str]:
        with stemming_budget(4):
            return [stem(word) for word in message]

    first = stems()
    for word in message:
        stem(word)  # now every word is in the cache
    assert stems() == first
    assert first[4:-1] == message[4:-1] and first[-1] == "dagang"


def test_100k_random_words_through_the_engine_keep_memory_bounded(tmp_path: Path) -> None:
    """The reviewer's F9 run: 100k never-seen words in 4 kB messages, RSS in a subprocess."""
    models = seed_model_cache(tmp_path)  # loaded, not trained: seconds of CPU
    code = PEAK_RSS_MB_SOURCE + (
        "import random, resource\n"
        "from pathlib import Path\n"
        "from bot.content.loader import load_content\n"
        "from bot.engine.knowledge import Knowledge, UnderstandingSetup\n"
        "from bot.understanding.store import ModelStore\n"
        "from bot.language.stemming import stem, stemming_budget, cached_words\n"
        "from tests.core.test_stemming_bounds import random_words\n"
        f"setup = UnderstandingSetup(store=ModelStore(Path({str(models)!r})))\n"
        f"knowledge = Knowledge.build(load_content(Path({str(ROOT / 'content')!r})).bundle, "
        "setup)\n"
        "start = peak_rss_mb()\n"
        "words = random_words(100_000, seed=5)\n"
        "for first in range(0, len(words), 300):\n"
        "    with stemming_budget():\n"
        "        normalised = knowledge.normaliser.normalise(' '.join(words[first:first + 300]))\n"
        "        {stem(token) for token in normalised.tokens}\n"
        "held = int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() // 2**20\n"
        "print(start, peak_rss_mb(), held, cached_words())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240, check=True)
    start, end, held, cached = (int(value) for value in done.stdout.split())
    assert held < 400  # resident at the end; the peak of training the model is transient
    assert end - start < 15, (start, end)
    assert cached <= stemming.CACHE_SIZE
