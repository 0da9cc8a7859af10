"""Recognise a question about case numbers and pull out its years and regions."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.content.models import Region
from bot.language.normaliser import NormalisedText
from bot.language.stemming import stem

TOPIC_TOKENS = frozenset("tppo trafficking traficking trafiking".split())
TOPIC_PAIRS = {("perdagangan", "orang"), ("perdagangan", "manusia"), ("jual", "orang"),
               ("human", "trafficking")}
STATS_WORDS = frozenset(
    """data statistik statistika angka grafik rekap rekapitulasi tren trend sebaran persebaran
    datanya angkanya""".split()
)
COUNT_CUES = frozenset(
    """berapa jumlah total banyak terbanyak tertinggi terendah naik turun meningkat menurun
    bertambah berkurang pernah ada""".split()
)
CASE_TOKENS = frozenset("kasus perkara".split())
NOT_STATS_CUES = frozenset(
    """kenapa mengapa sebab penyebab faktor rawan cara gimana bagaimana lapor melapor
    hukuman layanan alamat nomor kontak""".split()
)
RANKING_CUES = frozenset("terbanyak tertinggi paling mana".split())
YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class StatsQuery:
    years: tuple[int, ...] = ()
    regions: tuple[str, ...] = ()
    ranking: bool = False


class StatsQueryParser:
    def __init__(self, regions: Sequence[Region], normalise: Callable[[str], NormalisedText]):
        aliases: list[tuple[tuple[str, ...], str]] = []
        for region in regions:
            for name in [region.name, *region.aliases]:
                tokens = normalise(name).tokens
                if tokens:
                    aliases.append((tokens, region.id))
        # Longest first, so "penajam paser utara" wins over "paser".
        self._aliases = sorted(aliases, key=lambda item: -len(item[0]))

    def find_regions(self, tokens: Sequence[str]) -> tuple[str, ...]:
        found: list[str] = []
        used = [False] * len(tokens)
        for alias, region_id in self._aliases:
            size = len(alias)
            for start in range(len(tokens) - size + 1):
                span = range(start, start + size)
                if tuple(tokens[start : start + size]) == alias and not any(used[i] for i in span):
                    for i in span:
                        used[i] = True
                    if region_id not in found:
                        found.append(region_id)
        return tuple(found)

    def parse(self, normalised: NormalisedText) -> StatsQuery | None:
        """A query when the message asks for numbers about TPPO, else None."""
        tokens = normalised.tokens
        token_set = set(tokens)
        pairs = set(zip(tokens, tokens[1:], strict=False))
        about_trafficking = bool(token_set & TOPIC_TOKENS or pairs & TOPIC_PAIRS)
        mentions_cases = bool(token_set & CASE_TOKENS)
        years = tuple(sorted({int(t) for t in tokens if YEAR.match(t)}))
        regions = self.find_regions(tokens)
        stats_words = bool(token_set & STATS_WORDS)
        counting = mentions_cases and bool(token_set & COUNT_CUES | set(years) | set(regions))
        other_question = bool({stem(t) for t in tokens} & NOT_STATS_CUES) and not (
            stats_words or token_set & {"berapa", "jumlah"}
        )
        if other_question:
            return None
        if not about_trafficking and not (mentions_cases and (years or regions)):
            return None
        if not (stats_words or counting):
            return None
        ranking = bool(token_set & RANKING_CUES) and (
            "paling" in token_set or "terbanyak" in token_set or "tertinggi" in token_set
        )
        return StatsQuery(years=years, regions=regions, ranking=ranking)
