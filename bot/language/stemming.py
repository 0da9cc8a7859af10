"""Indonesian stemming with PySastrawi, cached because the same words recur in every message."""

from __future__ import annotations

from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

_factory = StemmerFactory()
_stemmer = _factory.create_stemmer()
ROOT_WORDS: frozenset[str] = frozenset(_factory.get_words())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Root of one lowercase word ("perdagangan" -> "dagang")."""
    if not word.isalpha():
        return word
    return _stemmer.stem(word) or word


def is_indonesian_word(word: str) -> bool:
    """True for a dictionary root or a word that stems to one, so it is never 'corrected'."""
    return word in ROOT_WORDS or stem(word) in ROOT_WORDS
