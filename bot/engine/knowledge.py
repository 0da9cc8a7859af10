"""Everything derived from one content version, built once and swapped whole on reload."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.content.bundle import ContentBundle
from bot.content.telegram_html import strip_html
from bot.language.emergency import EmergencyDetector
from bot.language.matcher import FaqMatcher
from bot.language.normaliser import Normaliser
from bot.language.spelling import SpellingCorrector
from bot.language.vocabulary import GENERIC_TERMS
from bot.prevention.job_ad_check import JobAdCheck
from bot.prevention.job_offer_check import JobOfferCheck
from bot.stats.answers import StatsAnswers
from bot.stats.query import StatsQueryParser


@dataclass(frozen=True)
class Knowledge:
    content: ContentBundle
    normaliser: Normaliser
    matcher: FaqMatcher
    stats_parser: StatsQueryParser
    stats_answers: StatsAnswers
    emergency: EmergencyDetector
    job_offer_check: JobOfferCheck
    job_ads: JobAdCheck

    @classmethod
    def build(cls, content: ContentBundle) -> Knowledge:
        slang, phrases = content.lexicon.kata, content.lexicon.frasa
        plain = Normaliser(slang, phrases=phrases)
        frequencies: Counter[str] = Counter()
        for text in _domain_texts(content):
            frequencies.update(plain.normalise(text).tokens)
        normaliser = Normaliser(
            slang, SpellingCorrector(frequencies, dict(frequencies)), phrases=phrases
        )
        place_words = {
            token
            for region in content.stats.regions
            for name in (region.name, *region.aliases)
            for token in normaliser.normalise(name).tokens
        }
        matcher = FaqMatcher(
            (
                (entry.id, [normaliser.normalise(t) for t in (entry.question, *entry.examples)])
                for entry in content.faq.faqs
            ),
            generic_terms=GENERIC_TERMS | place_words,
            answers={
                entry.id: normaliser.normalise(strip_html(entry.answer))
                for entry in content.faq.faqs
            },
        )
        return cls(
            content=content,
            normaliser=normaliser,
            matcher=matcher,
            stats_parser=StatsQueryParser(content.stats.regions, normaliser.normalise),
            stats_answers=StatsAnswers(content),
            emergency=EmergencyDetector(),
            job_offer_check=JobOfferCheck(content.job_offer_check, content.channels_by_id),
            job_ads=JobAdCheck(content.job_ads, content.channels_by_id),
        )


def _domain_texts(content: ContentBundle) -> list[str]:
    """Words typos may be repaired towards: the content's own questions, answers and places."""
    texts: list[str] = []
    for entry in content.faq.faqs:
        texts += [entry.question, *entry.examples, strip_html(entry.answer)]
    for region in content.stats.regions:
        texts += [region.name, *region.aliases]
    texts += [c.name for c in content.faq.channels]
    return texts
