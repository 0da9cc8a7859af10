"""The words the bot knows, for scrubbing stored text by allowlist: whatever is not here is
treated as possibly identifying (a name, a place, an employer) and never stored.

Built from one content version (FAQ texts, slang lexicon, region names, `privasi.yaml`) plus
Sastrawi's root-word dictionary. That dictionary holds many given names (Budi, Siti, Dewi,
Agus, …), so a dictionary word alone is not trusted where a name is likely: capitalised in mid
sentence, after a name cue, or listed in `common_names`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.content.bundle import ContentBundle
from bot.content.privacy_models import ScrubbingWords
from bot.content.telegram_html import strip_html
from bot.language.stemming import is_indonesian_word


def fold(word: str) -> str:
    """Lowercase without accents, as the normaliser reads words."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NOT_WORD = re.compile(r"[\W_]+")


def _words(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(word for text in texts for word in _NOT_WORD.split(fold(text)) if word)


@dataclass(frozen=True)
class KnownWords:
    content: frozenset[str]
    """Words of the bot's own texts and lexicon: kept even when capitalised."""
    function_words: frozenset[str]
    regions: frozenset[str]
    name_cues: tuple[tuple[str, ...], ...]
    place_cues: frozenset[str]
    place_nouns: frozenset[str]
    common_names: frozenset[str]
    cue_words: frozenset[str]
    """"pak", "di", "jalan", …: kept themselves, they announce what follows."""

    def is_content_word(self, word: str) -> bool:
        return (word in self.content or word in self.function_words or word in self.regions) \
            and word not in self.common_names

    def is_known(self, word: str) -> bool:
        """In the bot's texts or in the Indonesian dictionary (and not a listed given name)."""
        return self.is_content_word(word) or (
            word not in self.common_names and is_indonesian_word(word))

    @classmethod
    def from_lists(cls, words: ScrubbingWords, *, content: Iterable[str] = (),
                   regions: Iterable[str] = ()) -> KnownWords:
        name_cues = tuple(tuple(fold(cue).split()) for cue in words.name_cues)
        place_cues, place_nouns = _words(words.place_cues), _words(words.place_nouns)
        return cls(
            content=_words(content),
            function_words=_words(words.function_words),
            regions=_words(regions),
            name_cues=name_cues,
            place_cues=place_cues,
            place_nouns=place_nouns,
            common_names=_words(words.common_names),
            cue_words=place_cues | place_nouns | {w for cue in name_cues for w in cue},
        )

    @classmethod
    def for_content(cls, content: ContentBundle) -> KnownWords:
        texts: list[str] = []
        for entry in content.faq.faqs:
            texts += [entry.question, *entry.examples, strip_html(entry.answer)]
        texts += [c.title for c in content.faq.categories]
        lexicon = content.lexicon
        texts += [*lexicon.kata, *lexicon.kata.values(), *lexicon.frasa, *lexicon.frasa.values()]
        regions = [name for r in content.stats.regions for name in (r.name, *r.aliases)]
        return cls.from_lists(content.privacy.scrubbing, content=texts, regions=regions)
