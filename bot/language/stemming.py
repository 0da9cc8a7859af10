"""Indonesian stemming with PySastrawi, bounded in memory and in work per message.

Sastrawi's own `CachedStemmer` keeps every word it has ever seen in a plain dict, so messages of
made-up words grow the process for ever; its uncached `Stemmer` is used here under a bounded
LRU cache instead. Stemming a word costs about 0.1-0.3 ms, so a long message of unknown words
is also given a budget: past it, unknown words are left as they are.

The budget counts the message's words that are not the content's own (`learn_content_roots`),
in the order they are met, whether or not the cache happens to hold them: the cache only saves
time, so a message gets the same stems, and the same answer, whatever came before it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

CACHE_SIZE = 32768
"""Distinct words remembered: the content's vocabulary plus everyday words, a few MB at most."""
NEW_WORDS_PER_MESSAGE = 4
"""Distinct words outside the content stemmed while one message is answered; a real question
has a handful."""
CONTENT_WORDS_LIMIT = 200_000
"""Content words whose roots are kept for good: the content is bounded in size, and so is this
after many reloads."""

_factory = StemmerFactory()
_stemmer = _factory.create_stemmer().delegatedStemmer
ROOT_WORDS: frozenset[str] = frozenset(_factory.get_words())

_cache: OrderedDict[str, str] = OrderedDict()
_cache_lock = threading.Lock()
_content_roots: dict[str, str] = {}


class _Budget:
    """The words outside the content that one message may have stemmed, first come first."""

    def __init__(self, new_words: int) -> None:
        self._left = new_words
        self._granted: set[str] = set()

    def allows(self, word: str) -> bool:
        if word in self._granted:
            return True
        if self._left <= 0:
            return False
        self._left -= 1
        self._granted.add(word)
        return True


_budget: ContextVar[_Budget | None] = ContextVar("stemming_budget", default=None)


@contextmanager
def stemming_budget(new_words: int = NEW_WORDS_PER_MESSAGE) -> Iterator[None]:
    """Within this block at most `new_words` distinct words outside the content are stemmed."""
    token = _budget.set(_Budget(new_words))
    try:
        yield
    finally:
        _budget.reset(token)


def learn_content_roots(roots: Mapping[str, str]) -> None:
    """Words of the content and their roots: never counted against a message's budget."""
    room = CONTENT_WORDS_LIMIT - len(_content_roots)
    for word, root in roots.items():
        if word not in _content_roots:
            if room <= 0:
                return
            _content_roots[word] = root
            room -= 1


def stem(word: str) -> str:
    """Root of one lowercase word ("perdagangan" -> "dagang")."""
    if not word.isalpha():
        return word
    root = _content_roots.get(word)
    if root is not None:
        return root
    budget = _budget.get()
    if budget is not None and not budget.allows(word):
        return word
    with _cache_lock:
        root = _cache.get(word)
        if root is not None:
            _cache.move_to_end(word)
            return root
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
