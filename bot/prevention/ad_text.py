"""Finding content-defined words and patterns in an advertisement, with negation.

Ads are matched as written (lower-cased), not through the FAQ normaliser: amounts, phone numbers,
emoji bullets and line breaks are the evidence, and stemming would erase them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.content.job_ad_models import Matchers

_WORD = re.compile(r"[a-z0-9]+")
_CLAUSE_END = re.compile(r"[.!?;,\n]")
FOLLOWING_CHARS = 40
"""How far after a sign's words `cancel_after` words are looked for (same clause)."""


def ad_text(text: str) -> str:
    """Lower case, with spaces and tabs collapsed; line breaks stay (ads are lists)."""
    lines = (" ".join(line.split()) for line in text.casefold().splitlines())
    return "\n".join(line for line in lines if line)


_WORD_START = r"(?<![a-z0-9])"


def _starts_word(phrase: str) -> bool:
    return re.match(r"[a-z0-9]", phrase.split()[0]) is not None


def _phrase_rest(phrase: str) -> str:
    """A phrase as a regex without its word-start check: whole words, any spacing or
    punctuation between them."""
    words = phrase.split()
    body = r"[\s\-_.,:/]*".join(re.escape(word) for word in words)
    end = r"(?![a-z0-9])" if re.search(r"[a-z0-9]$", words[-1]) else ""
    return body + end


def any_of(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for many phrases, longest first so 'biaya proses' wins over 'biaya'.

    The word-start check is written once before each run of phrases that need it, not once
    per phrase: the regex engine then tests it once per position and skips the phrases by
    their first letter, which makes a 4 kB text ~10 times cheaper to scan; the matches and
    the preference between phrases are the same."""
    ordered = sorted({p.casefold() for p in phrases if p.strip()}, key=len, reverse=True)
    if not ordered:
        return None
    runs = []
    for starts_word, run in itertools.groupby(ordered, key=_starts_word):
        rests = "|".join(_phrase_rest(p) for p in run)
        runs.append(f"{_WORD_START}(?:{rests})" if starts_word else rests)
    return re.compile("|".join(runs))


@dataclass(frozen=True)
class Negation:
    words: frozenset[tuple[str, ...]]
    window: int

    @classmethod
    def of(cls, phrases: Sequence[str], window: int) -> Negation:
        return cls(frozenset(tuple(_WORD.findall(p.casefold())) for p in phrases), window)

    def before(self, text: str, start: int) -> bool:
        """Is one of the negations among the last `window` words before `start`?"""
        clause = _CLAUSE_END.split(text[max(0, start - 200):start])[-1]
        preceding = _WORD.findall(clause)[-self.window:]
        for words in self.words:
            size = len(words)
            if any(tuple(preceding[i : i + size]) == words
                   for i in range(len(preceding) - size + 1)):
                return True
        return False


class CompiledMatchers:
    """`Matchers` from content, compiled once per content version."""

    def __init__(self, matchers: Matchers | None) -> None:
        self._regexes: list[re.Pattern[str]] = []
        if matchers is not None:
            phrases = any_of(matchers.phrases)
            self._regexes = [r for r in (phrases,) if r is not None]
            self._regexes += [re.compile(p) for p in matchers.patterns]

    def __bool__(self) -> bool:
        return bool(self._regexes)

    def spans(self, text: str) -> Iterable[re.Match[str]]:
        for regex in self._regexes:
            yield from regex.finditer(text)

    def found(self, text: str, negation: Negation | None = None,
              cancel_after: CompiledMatchers | None = None) -> bool:
        """A match not cancelled by a negation just before it, nor by `cancel_after` words
        just after it in the same clause ('biaya medical … dipinjami')."""
        for match in self.spans(text):
            if negation is not None and negation.before(text, match.start()):
                continue
            if cancel_after and cancel_after.found(_clause_after(text, match.end())):
                continue
            return True
        return False

    def at_least(self, text: str, needed: int, *, distinct: bool = True) -> bool:
        """`needed` matches or more; with `distinct`, each wording once ('syarat' twice counts
        once). The scan stops at the `needed`-th: a 4 kB story has dozens of story words."""
        if needed <= 0:
            return True
        seen: set[str] = set()
        matched = 0
        for match in self.spans(text):
            wording = match.group(0).strip()
            if distinct and wording in seen:
                continue
            seen.add(wording)
            matched += 1
            if matched >= needed:
                return True
        return False


def _clause_after(text: str, end: int) -> str:
    return _CLAUSE_END.split(text[end : end + FOLLOWING_CHARS])[0]
