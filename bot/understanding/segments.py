"""Long messages: the parts worth scoring, and which part asks.

People write stories ("Saya berangkat ke Malaysia tahun lalu ... Paspor saya ditahan. Apa yang
harus saya lakukan?"): the whole carries the topic, the sentence that asks carries the need.
So the classifier scores the whole and each sentence, and the policy sees a weighted mix.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

MAX_SEGMENT_CHARS = 600
"""Longer sentences are cut: a run-on paragraph is scored as a whole anyway."""
MAX_SEGMENTS = 4
"""Sentences scored separately, the last ones first: in a long story the ask comes last. Six
scored the dev sets exactly as four do, at half again the cost on a long story."""
MIN_SEGMENT_WORDS = 3
WHOLE_WEIGHT = 1.0
ASKING_WEIGHT = 0.8
OTHER_WEIGHT = 0.4
"""Shared by the sentences that do not ask (each gets OTHER_WEIGHT / their number)."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|(?<=[.!?])(?=[A-Z])")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Part:
    text: str
    weight: float


@lru_cache(maxsize=8)
def split_sentences(text: str) -> tuple[str, ...]:
    """Cached: one message's sentences are wanted for scoring and again for its asking
    sentence."""
    parts = (p.strip() for p in _SENTENCE_END.split(text))
    return tuple(p[:MAX_SEGMENT_CHARS] for p in parts if p)


def asks(sentence: str, question_words: Collection[str]) -> bool:
    """A question mark, or a question word ("bagaimana", "gimana", "bisakah") in it."""
    if "?" in sentence:
        return True
    return any(w in question_words for w in _WORD.findall(sentence.lower()))


def _sentences(text: str) -> list[str]:
    """The last `MAX_SEGMENTS` sentences long enough to score, in order."""
    kept: list[str] = []
    for sentence in reversed(split_sentences(text)):
        if len(_WORD.findall(sentence)) >= MIN_SEGMENT_WORDS:
            kept.append(sentence)
            if len(kept) == MAX_SEGMENTS:
                break
    return kept[::-1]


def _asking(sentences: list[str], question_words: Collection[str]) -> str:
    asking = [s for s in sentences if asks(s, question_words)]
    return asking[-1] if asking else sentences[-1]


def asking_sentence(text: str, question_words: Collection[str]) -> str:
    """The sentence that asks (the last one that does, else the last), or the whole message
    when it is one sentence: "berapa tahun" in a story's middle is not a request for numbers."""
    sentences = _sentences(text)
    return _asking(sentences, question_words) if len(sentences) >= 2 else text


def parts_to_score(text: str, question_words: Collection[str]) -> list[Part]:
    """The whole message, plus its sentences when there are several, each with its weight."""
    whole = Part(text, WHOLE_WEIGHT)
    sentences = _sentences(text)
    if len(sentences) < 2:
        return [whole]
    chosen = _asking(sentences, question_words)
    others = [s for s in sentences if s is not chosen]
    share = OTHER_WEIGHT / len(others) if others else 0.0
    return [whole, Part(chosen, ASKING_WEIGHT), *(Part(s, share) for s in others)]
