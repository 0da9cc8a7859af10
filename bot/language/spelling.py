"""Typo repair towards the domain's vocabulary ("balikpapn" -> "balikpapan").

Symmetric-delete lookup (the SymSpell idea): each vocabulary word is indexed by the strings one
deletion away, so candidates within one edit are found without scanning the vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from bot.language.stemming import is_indonesian_word

MIN_LENGTH = 4
MIN_CORRECTED_LENGTH = 5


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (adjacent transpositions count once)."""
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        previous_previous, previous = previous, current
    return previous[-1]


class SpellingCorrector:
    """Maps an unknown word to the one domain word within edit distance 1 (2 for long words)."""

    def __init__(self, vocabulary: Iterable[str], frequencies: dict[str, int] | None = None,
                 *, names: Iterable[str] = ()) -> None:
        self._vocabulary = frozenset(w for w in vocabulary if len(w) >= MIN_LENGTH)
        self._frequencies = frequencies or {}
        self._names = frozenset(names)
        """Place names: the only repairs allowed for a word written as a name."""
        self._index: dict[str, set[str]] = defaultdict(set)
        for word in self._vocabulary:
            self._index[word].add(word)
            for deleted in _deletes(word):
                self._index[deleted].add(word)

    def correct_all(self, words: Sequence[str], limit: int,
                    names: frozenset[str] = frozenset()) -> list[str]:
        """`words` with at most `limit` distinct unknown words repaired, the first ones met:
        a pasted wall of made-up words costs a millisecond, and the same message always gets
        the same repairs. Words in `names` (written with a capital) are only repaired towards
        place names: "Balikpapn" is Balikpapan, "Juanda" is not "janda"."""
        repaired: dict[str, str] = {}
        corrected = []
        for word in words:
            if word not in repaired:
                if len(repaired) >= limit or not self._needs_repair(word):
                    corrected.append(word)
                    continue
                repair = self._repair(word)
                repaired[word] = repair if word not in names or repair in self._names else word
            corrected.append(repaired[word])
        return corrected

    def _needs_repair(self, word: str) -> bool:
        return (len(word) >= MIN_CORRECTED_LENGTH and word not in self._vocabulary
                and word.isalpha() and not is_indonesian_word(word))

    def _repair(self, word: str) -> str:
        candidates = set(self._index.get(word, ()))
        for deleted in _deletes(word):
            candidates |= self._index.get(deleted, set())
        max_distance = 2 if len(word) >= 8 else 1
        scored = [
            (distance, -self._frequencies.get(candidate, 0), candidate)
            for candidate in candidates
            if (distance := _edit_distance(word, candidate)) <= max_distance
        ]
        if not scored:
            return word
        return min(scored)[2]
