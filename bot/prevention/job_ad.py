"""Is this message a job advertisement, and which warning signs does it show?

Everything the decision uses (words, patterns, weights, thresholds) comes from
`content/tanda_lowongan.yaml`; this module only applies it. The verdict never reassures: official
features that an ad names are reported, but they never lower its level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.content.job_ad_models import JobAdContent, OfficialFeature, WarningSign
from bot.prevention.ad_text import CompiledMatchers, Negation, ad_text, any_of
from bot.prevention.pay import PayReader


class OfferLevel(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class JobAdAssessment:
    """The verdict on one ad; `official` lists what it names of official programmes, which
    never lowers `level`."""

    level: OfferLevel
    score: int
    signs: tuple[WarningSign, ...]
    official: tuple[OfficialFeature, ...]

    @property
    def sign_ids(self) -> tuple[str, ...]:
        return tuple(sign.id for sign in self.signs)


@dataclass(frozen=True)
class _CompiledSign:
    sign: WarningSign
    words: CompiledMatchers
    cancel_after: CompiledMatchers
    unless: CompiledMatchers
    when_absent: CompiledMatchers


class JobAdReader:
    """Applies `content/tanda_lowongan.yaml` to a text: is it an ad, and which signs it shows.
    The content's words and patterns are compiled once, here."""

    def __init__(self, content: JobAdContent) -> None:
        self._content = content
        recognition = content.recognition
        self._requests = any_of(recognition.request_phrases)
        self._markers = CompiledMatchers(recognition.ad_markers)
        self._story = CompiledMatchers(recognition.story_markers)
        features = recognition.features
        self._features = [CompiledMatchers(m) for m in
                          (features.job, features.pay, features.place, features.contact)]
        self._negation = Negation.of(content.negations, content.negation_window)
        self._signs = [_CompiledSign(s, CompiledMatchers(s), CompiledMatchers(s.cancel_after),
                                     CompiledMatchers(s.unless), CompiledMatchers(s.when_absent))
                       for s in content.signs]
        self._official = [(f, CompiledMatchers(f)) for f in content.official_features]
        self._pay = PayReader(content.pay)

    def is_job_ad(self, text: str, *, forwarded: bool = False) -> bool:
        """Forwarded, asked for ('cek lowongan ini …') or a long pasted vacancy."""
        recognition = self._content.recognition
        lowered = ad_text(text)
        requested = self._requests is not None and self._requests.search(lowered) is not None
        long_enough = len(lowered) >= recognition.min_length_pasted
        if not (forwarded or requested or long_enough):
            return False  # most messages: a short question, decided without the features
        features = sum(1 for matchers in self._features if matchers.found(lowered))
        if forwarded:
            return features >= recognition.min_features_forwarded
        if requested and features >= recognition.min_features_requested:
            return True
        return (long_enough
                and features >= recognition.min_features_pasted
                and self._markers.at_least(lowered, recognition.min_markers_pasted)
                and not self._tells_a_story(lowered))

    def _tells_a_story(self, lowered: str) -> bool:
        """A pasted ad followed by a short question ('Ini aman ga kak?') is still an ad: the
        question's words count only when the text before it tells a story too."""
        if not self._story.at_least(_without_trailing_ask(lowered), 1, distinct=False):
            return False
        return self._story.at_least(lowered, self._content.recognition.min_story_markers,
                                    distinct=False)

    def assess(self, text: str) -> JobAdAssessment:
        lowered = ad_text(text)
        signs = [c.sign for c in self._signs if self._shows(c, lowered)]
        pay_sign = self._content.pay.sign
        if pay_sign not in {s.id for s in signs} and self._pay.far_above_normal(lowered):
            signs += [c.sign for c in self._signs if c.sign.id == pay_sign]
        official = tuple(f for f, matchers in self._official if matchers.found(lowered))
        score = sum(s.weight for s in signs)
        content = self._content
        if any(s.critical for s in signs) or score >= content.high_min_score:
            level = OfferLevel.HIGH
        elif score >= content.medium_min_score:
            level = OfferLevel.MEDIUM
        else:
            level = OfferLevel.LOW
        ordered = tuple(sorted(signs, key=lambda s: (-s.critical, -s.weight)))
        return JobAdAssessment(level, score, ordered, official)

    def _shows(self, compiled: _CompiledSign, lowered: str) -> bool:
        negation = self._negation if compiled.sign.negatable else None
        if compiled.unless and compiled.unless.found(lowered):
            return False
        if compiled.words.found(lowered, negation, compiled.cancel_after):
            return True
        return bool(compiled.when_absent) and not compiled.when_absent.found(lowered)


TRAILING_ASK_WORDS = 8
"""'Ini aman ga kak?' after a pasted ad asks to check it: its own words are not the ad's."""
_LAST_SENTENCE = re.compile(r"(?<=[.!?\n])\s*([^.!?\n]+[.!?]*)\s*$")
TRAILING_ASK_CHARS = 400
"""A sentence of `TRAILING_ASK_WORDS` words fits in this tail, so only the tail is searched: the
search tries every position, which cost half a millisecond on a 4 kB story."""


def _without_trailing_ask(lowered: str) -> str:
    """The text without a short last sentence that asks ('ini aman ga kak?')."""
    match = _LAST_SENTENCE.search(lowered, max(0, len(lowered) - TRAILING_ASK_CHARS))
    if match is None or "?" not in match.group(1):
        return lowered
    if len(match.group(1).split()) > TRAILING_ASK_WORDS:
        return lowered
    return lowered[: match.start()]
