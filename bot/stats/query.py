"""Recognise a question about case numbers and pull out its years, regions and ranking wish."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from bot.content.models import Region
from bot.language.normaliser import NormalisedText
from bot.language.places import AliasFinder

TOPIC_TOKENS = frozenset({"tppo", "trafficking", "traficking", "trafiking"})
TOPIC_PAIRS = {("perdagangan", "orang"), ("perdagangan", "manusia"), ("jual", "orang"),
               ("human", "trafficking")}
STATS_WORDS = frozenset({
    "data", "statistik", "statistika", "angka", "grafik", "rekap", "rekapitulasi", "tren",
    "trend", "sebaran", "persebaran", "datanya", "angkanya",
})
COUNT_CUES = frozenset({
    "berapa", "jumlah", "total", "terbanyak", "tertinggi", "terendah", "naik", "turun",
    "meningkat", "menurun", "bertambah", "berkurang",
})
NEAR_CASE_CUES = frozenset({"banyak", "pernah", "ada"})
"""Count cues only beside the case word ("ada kasus", "kasusnya banyak"): elsewhere they are
everyday words ("supaya perkara disebut TPPO, unsur apa yang harus ada?")."""
NEAR_CASE_WINDOW = 2
CASE_TOKENS = frozenset({"kasus", "perkara"})
NOT_STATS_CUES = frozenset({
    "kenapa", "mengapa", "sebab", "penyebab", "faktor", "rawan", "cara", "gimana", "bagaimana",
    "lapor", "melapor", "hukuman", "layanan", "alamat", "nomor", "kontak",
})
# "terbanyak" and friends, including typos the spelling repair does not reach.
SUPERLATIVES = frozenset({
    "terbanyak", "trbanyak", "terbnyak", "tertinggi", "trtinggi", "terendah", "tersedikit",
    "peringkat", "ranking", "rangking", "urutan",
})
MOST_WORDS = frozenset({"paling", "plg", "palg", "paleng"})
MOST_OF = frozenset({"banyak", "tinggi", "sedikit", "rendah", "besar", "parah"})
# Words that make a ranking about places, not years ("daerah mana paling banyak").
PLACE_WORDS = frozenset({
    "wilayah", "daerah", "kota", "kabupaten", "kab", "kabupatenkota", "kokab", "lokasi", "tempat",
})
TIME_WORDS = frozenset({"tahun", "kapan"})
RANGE_WORDS = frozenset({"sampai", "hingga", "sd", "smp", "ke", "until", "to"})
YEAR = re.compile(r"^(19|20)\d\d$")
# Dashes and slashes vanish in normalisation, so "2018-2020" is read from the raw text.
YEAR_SPAN = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|–|—|/|s\.?/?d\.?)\s*((?:19|20)\d\d)\b", re.I)
MAX_SPAN = 30

RankBy = Literal["region", "year"]


@dataclass(frozen=True)
class StatsQuery:
    """What a numbers question asks for; empty fields mean "all"."""

    years: tuple[int, ...] = ()
    regions: tuple[str, ...] = ()
    ranking: RankBy | None = None


def _span(first: int, last: int) -> range:
    first, last = min(first, last), max(first, last)
    return range(first, last + 1) if last - first <= MAX_SPAN else range(0)


def _is_year(token: str) -> bool:
    """`isdigit` first: a C call that spares most of a 4 kB story's tokens the regex."""
    return token.isdigit() and YEAR.match(token) is not None


def find_years(tokens: Sequence[str], text: str = "") -> tuple[int, ...]:
    """Years named in the message, with ranges ("2018 sampai 2020", "2018-2020") filled in."""
    years = {int(t) for t in tokens if _is_year(t)}
    for first, last in YEAR_SPAN.findall(text):
        years.update(_span(int(first), int(last)))
    for index, token in enumerate(tokens):
        if not _is_year(token):
            continue
        rest = tokens[index + 1 : index + 4]
        # "2018 sampai 2020", "2018 s d 2020", "antara 2018 dan 2020"
        between = []
        for word in rest:
            if _is_year(word):
                is_range = (
                    bool(between) and (set(between) <= RANGE_WORDS | {"s", "d", "tahun"})
                    and bool(set(between) & (RANGE_WORDS | {"s"}))
                ) or (between == ["dan"] and index > 0 and tokens[index - 1] == "antara")
                if is_range:
                    years.update(_span(int(token), int(word)))
                break
            between.append(word)
    return tuple(sorted(years))


def ranking_wanted(tokens: Sequence[str], *, years: Sequence[int]) -> RankBy | None:
    token_set = set(tokens)
    superlative = bool(token_set & SUPERLATIVES) or any(
        first in MOST_WORDS and second in MOST_OF for first, second in pairwise(tokens)
    )
    if not superlative:
        return None
    if token_set & TIME_WORDS and not years and not token_set & PLACE_WORDS:
        return "year"
    return "region"


def _cue_near_case(tokens: Sequence[str]) -> bool:
    return any(token in CASE_TOKENS and NEAR_CASE_CUES & set(
        tokens[max(0, index - NEAR_CASE_WINDOW): index + NEAR_CASE_WINDOW + 1])
        for index, token in enumerate(tokens))


class StatsQueryParser:
    def __init__(self, regions: Sequence[Region],
                 normalise: Callable[[str], NormalisedText]) -> None:
        self._regions = AliasFinder(
            ((name, r.id) for r in regions for name in (r.name, *r.aliases)), normalise)

    def find_regions(self, tokens: Sequence[str]) -> tuple[str, ...]:
        """Regions in the order their longest names were found; each token belongs to one."""
        return self._regions.find(tokens)

    def parse(self, normalised: NormalisedText, text: str = "") -> StatsQuery | None:
        """A query when the message asks for numbers about TPPO, else None.

        `text` is the message as typed; only year ranges written with a dash are read from it.
        """
        tokens = normalised.tokens
        token_set = set(tokens)
        about_trafficking = bool(token_set & TOPIC_TOKENS or set(pairwise(tokens)) & TOPIC_PAIRS)
        asks_count = bool(token_set & {"berapa", "jumlah"})
        mentions_cases = bool(token_set & CASE_TOKENS) or (asks_count and "korban" in token_set)
        years = find_years(tokens, text)
        regions = self.find_regions(tokens)
        stats_words = bool(token_set & STATS_WORDS)
        counting = mentions_cases and bool(token_set & COUNT_CUES or years or regions
                                           or _cue_near_case(tokens))
        other_question = bool(set(normalised.stems) & NOT_STATS_CUES) and not (
            stats_words or asks_count
        )
        if other_question:
            return None
        if not about_trafficking and not (mentions_cases and (years or regions)):
            return None
        if not (stats_words or counting):
            return None
        return StatsQuery(years=years, regions=regions,
                          ranking=ranking_wanted(tokens, years=years))
