"""Indonesian stemming with PySastrawi, bounded in memory and in work per message.

Sastrawi's own `CachedStemmer` keeps every word it has ever seen in a plain dict, so messages of
made-up words grow the process for ever; its uncached `Stemmer` is used here under a bounded
LRU cache instead. Stemming a word the cache does not know costs about 0.1-0.3 ms, so a long
message of unknown words is also given a budget: past it, unknown words are left as they are.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

CACHE_SIZE = 32768
"""Distinct words remembered: the content's vocabulary plus everyday words, a few MB at most."""
NEW_WORDS_PER_MESSAGE = 8
"""Uncached words stemmed while one message is answered; a real question has a handful."""

_factory = StemmerFactory()
_stemmer = _factory.create_stemmer().delegatedStemmer
ROOT_WORDS: frozenset[str] = frozenset(_factory.get_words())

_cache: OrderedDict[str, str] = OrderedDict()
_cache_lock = threading.Lock()
_budget: ContextVar[list[int] | None] = ContextVar("stemming_budget", default=None)


@contextmanager
def stemming_budget(new_words: int = NEW_WORDS_PER_MESSAGE) -> Iterator[None]:
    """Within this block at most `new_words` words outside the cache are stemmed."""
    token = _budget.set([new_words])
    try:
        yield
    finally:
        _budget.reset(token)


def stem(word: str) -> str:
    """Root of one lowercase word ("perdagangan" -> "dagang")."""
    if not word.isalpha():
        return word
    with _cache_lock:
        root = _cache.get(word)
        if root is not None:
            _cache.move_to_end(word)
            return root
    budget = _budget.get()
    if budget is not None:
        if budget[0] <= 0:
            return word
        budget[0] -= 1
    root = _stemmer.stem(word) or word
    with _cache_lock:
        _cache[word] = root
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return root


def cached_words() -> int:
    """How many words the cache holds now (for tests and measurements)."""
    return len(_cache)


def is_indonesian_word(word: str) -> bool:
    """True for a dictionary root or a word that stems to one, so it is never 'corrected'."""
    return word in ROOT_WORDS or stem(word) in ROOT_WORDS
