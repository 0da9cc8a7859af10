"""From a message as people type it to clean standard-Indonesian tokens.

Order matters: slang is expanded *before* stemming, because Sastrawi leaves "gimana" and "gak"
as they are, and spelling repair runs last so it only sees words the slang list did not know.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from bot.content.telegram_html import MAX_MESSAGE_LENGTH
from bot.language.spelling import SpellingCorrector
from bot.language.stemming import stem

MAX_INPUT_CHARS = MAX_MESSAGE_LENGTH
"""All of a Telegram message: danger told at the end of a long story must still be seen."""
MAX_CORRECTED_WORDS = 150
"""Typo repair looks at this many words of a message; past them the rest are kept as written."""
MAX_REPAIRS = 40
"""Distinct unknown words repaired in one message (a real story has a handful), so a pasted
wall of made-up words costs about a millisecond."""
CLITICS = ("nya", "ku", "mu")
MIN_CLITIC_BASE = 2
""""hp" + "nya"; a one-letter base would read "aku" as "a" + "ku"."""
_WORD = re.compile(r"[^\W\d_]+")
_NAME_INSIDE_SENTENCE = re.compile(r"(?<=[a-z0-9,;:)] )([A-Z][a-z]+)\b")
"""A capital right after a word, a comma or a bracket, not after a full stop."""
_URL = re.compile(r"(https?://|www\.)\S+")
_REDUPLICATION = re.compile(r"\b([a-z]+)(?:-\1\b|2\b)")
_REPEATED_LETTER = re.compile(r"([a-z])\1+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@dataclass(frozen=True)
class NormalisedText:
    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @cached_property
    def stems(self) -> tuple[str, ...]:
        """The tokens' roots, made once: the features, the places and the job-offer check all
        read them, and a 4 kB story has some 700 tokens."""
        return tuple(stem(token) for token in self.tokens)


def _fold(text: str) -> str:
    """Lowercase, fold look-alike Unicode (fancy fonts, full-width), drop accents and emoji."""
    lowered = text.lower()
    if lowered.isascii():  # most messages: nothing to fold, and a 4 kB text costs 1 ms less
        return lowered
    folded = unicodedata.normalize("NFKD", lowered)
    return _NON_ASCII.sub(_without_accents, folded)  # only the few non-ASCII runs are walked


def _one_letter_when_stretched(run: re.Match[str]) -> str:
    """"tolooong" and "tolongg" -> "tolong": three or more of a letter, or two that end a
    word, are one ("maaf" and "tinggal" keep theirs). One pass over the text for both."""
    letters = run.group()
    text, end = run.string, run.end()
    ends_word = end == len(text) or not (text[end].isalnum() or text[end] == "_")
    return letters[0] if len(letters) >= 3 or ends_word else letters


def _without_accents(run: re.Match[str]) -> str:
    return "".join(c for c in run.group() if not unicodedata.combining(c))


def _names(text: str) -> frozenset[str]:
    """Words written with a capital inside a sentence ("di bandara Juanda"): names, which typo
    repair only turns into place names ("Juanda" was "janda"). None when most words have
    capitals: in a Title Case Message they say nothing."""
    capitalised = _NAME_INSIDE_SENTENCE.findall(text)
    if not capitalised:  # most messages: one pass, no word list
        return frozenset()
    words = _WORD.findall(text)
    if 2 * sum(w[0].isupper() for w in words) > len(words):
        return frozenset()
    return frozenset(word.lower() for word in capitalised)


class Normaliser:
    def __init__(self, slang: Mapping[str, str], corrector: SpellingCorrector | None = None,
                 phrases: Mapping[str, str] | None = None) -> None:
        self._slang = {key.lower(): value.lower().split() for key, value in slang.items()}
        self._corrector = corrector
        # Longest first, so "tindak pidana perdagangan orang" wins over "perdagangan orang";
        # indexed by first word, so a 4 kB message does not try every phrase at every word.
        self._phrases: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for phrase, replacement in sorted(
            ((tuple(key.lower().split()), tuple(value.lower().split()))
             for key, value in (phrases or {}).items() if key.split()),
            key=lambda item: -len(item[0]),
        ):
            self._phrases.setdefault(phrase[0], []).append((phrase, replacement))

    def normalise(self, text: str) -> NormalisedText:
        folded = _fold(text[:MAX_INPUT_CHARS])
        folded = _URL.sub(" ", folded)
        folded = _REDUPLICATION.sub(r"\1", folded)
        folded = _REPEATED_LETTER.sub(_one_letter_when_stretched, folded)
        slang = self._slang
        tokens: list[str] = []
        for raw in _NOT_WORD.split(folded):
            # "gakbisa", "sy2" and digits glued to words are left to the character n-grams.
            expansion = slang.get(raw) or self._with_clitic(raw)
            if expansion is not None:
                tokens += expansion
            elif raw:
                tokens.append(raw)
        if self._corrector is not None:
            tokens[:MAX_CORRECTED_WORDS] = self._corrector.correct_all(
                tokens[:MAX_CORRECTED_WORDS], MAX_REPAIRS, names=_names(text[:MAX_INPUT_CHARS]))
        return NormalisedText(self._join_phrases(tokens))

    def _with_clitic(self, raw: str) -> list[str] | None:
        """"hpnya" -> "teleponnya", "adingku" -> "adikku": a slang word with -nya, -ku or -mu
        is expanded with the ending kept, before typo repair can turn it into another word
        ("hpnya" was "hanya")."""
        if not raw.endswith(CLITICS):  # most words: one check, no slicing
            return None
        for clitic in CLITICS:
            base = raw[: -len(clitic)]
            if raw.endswith(clitic) and len(base) >= MIN_CLITIC_BASE:
                expansion = self._slang.get(base)
                if expansion is not None:
                    return [*expansion[:-1], expansion[-1] + clitic]
        return None

    def _join_phrases(self, tokens: list[str]) -> tuple[str, ...]:
        """Left to right, each phrase taking its words; only positions where a phrase can
        start are tried (a 4 kB story has some 700 tokens and a few dozen such positions)."""
        phrases = self._phrases
        if phrases.keys().isdisjoint(tokens):
            return tuple(tokens)
        joined: list[str] = []
        position = 0
        for start in [index for index, token in enumerate(tokens) if token in phrases]:
            if start < position:
                continue  # inside a phrase already joined
            for phrase, replacement in phrases[tokens[start]]:
                if tuple(tokens[start : start + len(phrase)]) == phrase:
                    joined += tokens[position:start]
                    joined += replacement
                    position = start + len(phrase)
                    break
        joined += tokens[position:]
        return tuple(joined)
