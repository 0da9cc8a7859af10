"""Everything derived from one content version, built once and swapped whole on reload."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from bot.content.bundle import ContentBundle
from bot.content.telegram_html import strip_html
from bot.language.emergency import EmergencyDetector
from bot.language.known_words import KnownWords
from bot.language.normaliser import Normaliser
from bot.language.places import PlaceFinder
from bot.language.spelling import SpellingCorrector
from bot.prevention.job_ad_check import JobAdCheck
from bot.prevention.job_offer_check import JobOfferCheck
from bot.stats.answers import StatsAnswers
from bot.stats.query import StatsQueryParser
from bot.understanding.encoder import EmbeddingCache, SentenceEncoder
from bot.understanding.examples import training_examples
from bot.understanding.model import IntentModel
from bot.understanding.store import ModelStore


@dataclass(frozen=True)
class UnderstandingSetup:
    """How messages are understood; kept with the knowledge so a reload trains the same way."""

    encoder: SentenceEncoder | None = None
    cache: EmbeddingCache = field(default_factory=lambda: EmbeddingCache(None))
    store: ModelStore = field(default_factory=lambda: ModelStore(None))


@dataclass(frozen=True)
class Knowledge:
    content: ContentBundle
    normaliser: Normaliser
    intents: IntentModel
    stats_parser: StatsQueryParser
    stats_answers: StatsAnswers
    emergency: EmergencyDetector
    places: PlaceFinder
    job_offer_check: JobOfferCheck
    job_ads: JobAdCheck
    setup: UnderstandingSetup

    @cached_property
    def known_words(self) -> KnownWords:
        """What scrubbing may keep of a stored question (`bot.storage.scrub`); built on first
        use, since the routing check builds many knowledges that never store anything."""
        return KnownWords.for_content(self.content)

    @classmethod
    def build(cls, content: ContentBundle, setup: UnderstandingSetup | None = None) -> Knowledge:
        """Seconds of CPU (the classifier trains here): call it from a worker thread."""
        setup = setup or UnderstandingSetup()
        slang, phrases = content.lexicon.kata, content.lexicon.frasa
        plain = Normaliser(slang, phrases=phrases)
        frequencies: Counter[str] = Counter()
        for text in _domain_texts(content):
            frequencies.update(plain.normalise(text).tokens)
        names = {token for text in _place_names(content) for token in plain.normalise(text).tokens}
        normaliser = Normaliser(
            slang, SpellingCorrector(frequencies, dict(frequencies), names=names),
            phrases=phrases,
        )
        intents = IntentModel.train(
            training_examples(content), normalise=normaliser.normalise,
            question_words=content.lexicon.kata_tanya, encoder=setup.encoder, cache=setup.cache,
            store=setup.store)
        return cls(
            content=content,
            normaliser=normaliser,
            intents=intents,
            stats_parser=StatsQueryParser(content.stats.regions, normaliser.normalise),
            stats_answers=StatsAnswers(content),
            emergency=EmergencyDetector(content.emergency_signals, normaliser.normalise),
            places=PlaceFinder(content.stats.regions, content.faq.places, content.faq.channels,
                               normaliser.normalise),
            job_offer_check=JobOfferCheck(content.job_offer_check, content.channels_by_id),
            setup=setup,
            job_ads=JobAdCheck(content.job_ads, content.channels_by_id),
        )

    def rebuilt(self, content: ContentBundle) -> Knowledge:
        """New content understood the same way (same encoder and cache)."""
        return Knowledge.build(content, self.setup)


def _domain_texts(content: ContentBundle) -> list[str]:
    """Words typos may be repaired towards: the content's own questions, answers and places."""
    texts: list[str] = []
    for entry in content.faq.faqs:
        texts += [entry.question, *entry.examples, strip_html(entry.answer)]
    return [*texts, *_place_names(content), *(c.name for c in content.faq.channels)]


def _place_names(content: ContentBundle) -> list[str]:
    """Kaltim's regions and the countries, with their aliases: what a capitalised word that is
    not quite a known word may be repaired towards ("Balikpapn", but not "Juanda" -> "janda")."""
    names: list[str] = []
    for region in content.stats.regions:
        names += [region.name, *region.aliases]
    for country in content.faq.places.countries:
        names += [country.name, *country.aliases]
    return names
