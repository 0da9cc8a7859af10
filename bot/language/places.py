"""Where the writer is: a Kaltim regency/city or a country abroad, so help near them is shown;
and which service they name ("nomor kpai", "kontak kbri kuala lumpur").

Every name comes from content (stats.yaml regions, `places` in faq_id.yaml) and is normalised
the same way as the message, so slang and typo repair treat both alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.content.models import Channel, Places, Region
from bot.language.normaliser import NormalisedText
from bot.language.stemming import stem

Normalise = Callable[[str], NormalisedText]


class AliasFinder:
    """Finds written names (one or more words) in a token sequence; longest name first, so
    "penajam paser utara" wins over "paser", and each token belongs to one name. `word` maps
    the names' tokens (the stemmer, for names matched by root); `find` is given the message's
    tokens mapped the same way."""

    def __init__(self, names: Iterable[tuple[str, str]], normalise: Normalise,
                 word: Callable[[str], str] = str) -> None:
        aliases: list[tuple[tuple[str, ...], str]] = []
        for name, owner in names:
            tokens = tuple(word(t) for t in normalise(name).tokens)
            if tokens:
                aliases.append((tokens, owner))
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        self._owner: dict[tuple[str, ...], str] = {}
        for alias, owner in aliases:
            self._by_first.setdefault(alias[0], []).append(alias)
            self._owner.setdefault(alias, owner)

    def find(self, words: Sequence[str]) -> tuple[str, ...]:
        """Owners in the order their longest names were found, each once."""
        if self._by_first.keys().isdisjoint(words):
            return ()  # most texts: no name starts here, decided in one pass in C
        matches = [  # (longest first, then leftmost): indexed by first word, one pass
            (-len(alias), start, alias)
            for start, first in enumerate(words)
            for alias in self._by_first.get(first, ())
            if tuple(words[start : start + len(alias)]) == alias
        ]
        found: list[str] = []
        used = [False] * len(words)
        for _, start, alias in sorted(matches):
            span = range(start, start + len(alias))
            if not any(used[i] for i in span):
                for i in span:
                    used[i] = True
                if self._owner[alias] not in found:
                    found.append(self._owner[alias])
        return tuple(found)


@dataclass(frozen=True)
class PlaceMention:
    regions: tuple[str, ...] = ()
    """Kaltim region ids (stats.yaml)."""
    countries: tuple[str, ...] = ()
    abroad: bool = False
    """The writer speaks of being abroad, with or without a country."""


NO_PLACE = PlaceMention()


class PlaceFinder:
    def __init__(self, regions: Sequence[Region], places: Places, channels: Sequence[Channel],
                 normalise: Normalise) -> None:
        self._regions = AliasFinder(
            ((name, r.id) for r in regions for name in (r.name, *r.aliases)), normalise)
        self._countries = AliasFinder(
            ((name, c.id) for c in places.countries for name in (c.name, *c.aliases)), normalise)
        self._abroad = AliasFinder(((w, "abroad") for w in places.abroad_words), normalise)
        self._services = AliasFinder(((w, "service") for w in places.service_words), normalise,
                                     word=stem)
        self._other_services = AliasFinder(((w, "other") for w in places.other_services),
                                           normalise)
        # A channel's id is its name as people write it: "kbri-kuala-lumpur", "sapa-129".
        self._channels = AliasFinder(((c.id.replace("-", " "), c.id) for c in channels),
                                     normalise)

    def find(self, normalised: NormalisedText) -> PlaceMention:
        tokens = normalised.tokens
        countries = self._countries.find(tokens)
        return PlaceMention(
            regions=self._regions.find(tokens),
            countries=countries,
            abroad=bool(countries or self._abroad.find(tokens)),
        )

    def asks_for_services(self, normalised: NormalisedText) -> bool:
        """"lapor ke mana", "layanan di …": the writer wants a place to turn to."""
        return bool(self._services.find(normalised.stems))

    def names_other_service(self, normalised: NormalisedText) -> bool:
        """"nomor pln balikpapan", "rumah sakit di bontang": a service the bot does not cover."""
        return bool(self._other_services.find(normalised.tokens))

    def named_channels(self, normalised: NormalisedText) -> tuple[str, ...]:
        """Ids of the channels the writer names, the most specific name first."""
        return self._channels.find(normalised.tokens)
