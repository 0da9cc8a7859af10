"""Find the FAQ entry a question means, or admit that none fits.

Each entry is represented by all its phrasings (the canonical question and the staff's
examples). A question is scored against the best phrasing of each entry with two signals:
stemmed words (TF-IDF, catches rephrasing) and character n-grams (survive typos), plus the
entry's pooled words. The decision then applies a confidence threshold and an ambiguity
margin, as Rasa, Dialogflow and QnA Maker do, and a domain-coverage check so that one
topical word ("kerja", "kapal") cannot pull an off-topic message into a topic.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.language.normaliser import NormalisedText
from bot.language.stemming import stem
from bot.language.vocabulary import STOPWORDS

WORD_WEIGHT = 0.4
CHAR_WEIGHT = 0.3
POOLED_WEIGHT = 0.3
ANSWER_WEIGHT = 0.3
"""The answer's own words: weak evidence, but it knows vocabulary no example used."""
CHAR_NGRAM_SIZES = (3, 4)

Vector = dict[str, float]


@dataclass(frozen=True)
class Phrasing:
    faq_id: str
    words: Vector
    chars: Vector


@dataclass(frozen=True)
class Candidate:
    faq_id: str
    score: float
    anchored: bool
    """Shares at least one topic-specific word with the question (not just "kerja", a city)."""


@dataclass(frozen=True)
class MatchResult:
    candidates: tuple[Candidate, ...]
    coverage: float

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def content_terms(normalised: NormalisedText) -> list[str]:
    """Stems of the words that carry meaning."""
    return [stem(t) for t in normalised.tokens if t not in STOPWORDS and not t.isdigit()]


def char_ngrams(normalised: NormalisedText) -> list[str]:
    grams: list[str] = []
    for token in normalised.tokens:
        if token in STOPWORDS:
            continue
        padded = f" {token} "
        for size in CHAR_NGRAM_SIZES:
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


def _weighted(counts: Counter[str], idf: dict[str, float], default_idf: float) -> Vector:
    vector = {
        term: (1 + math.log(count)) * idf.get(term, default_idf) for term, count in counts.items()
    }
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items()} if norm else {}


def _idf(documents: Sequence[set[str]]) -> dict[str, float]:
    """Smoothed IDF over entries (not phrasings), so words shared by many entries weigh little."""
    frequency: Counter[str] = Counter()
    for terms in documents:
        frequency.update(terms)
    total = len(documents)
    return {t: math.log(1 + (total + 1) / (df + 0.5)) for t, df in frequency.items()}


class _InvertedIndex:
    """Sparse cosine similarity by walking only the postings of the query's terms."""

    def __init__(self, vectors: Sequence[Vector]) -> None:
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for position, vector in enumerate(vectors):
            for term, weight in vector.items():
                self._postings[term].append((position, weight))

    def similarities(self, query: Vector) -> dict[int, float]:
        scores: dict[int, float] = defaultdict(float)
        for term, weight in query.items():
            for position, document_weight in self._postings.get(term, ()):
                scores[position] += weight * document_weight
        return scores


class FaqMatcher:
    def __init__(
        self,
        entries: Iterable[tuple[str, Sequence[NormalisedText]]],
        generic_terms: Iterable[str] = (),
        answers: Mapping[str, NormalisedText] | None = None,
    ) -> None:
        entry_list = list(entries)
        answers = answers or {}
        self._generic = frozenset(stem(t) for t in generic_terms) | frozenset(generic_terms)
        self.faq_ids = [faq_id for faq_id, _ in entry_list]
        word_docs = [
            {t for phrasing in phrasings for t in content_terms(phrasing)}
            for _, phrasings in entry_list
        ]
        char_docs = [
            {g for phrasing in phrasings for g in char_ngrams(phrasing)}
            for _, phrasings in entry_list
        ]
        self._word_idf = _idf(word_docs)
        self._char_idf = _idf(char_docs)
        self._unknown_idf = math.log(1 + (len(entry_list) + 1) / 0.5)
        """The weight of a word or n-gram no entry uses: the rarest there could be."""

        phrasings: list[Phrasing] = []
        pooled: list[Vector] = []
        for faq_id, texts in entry_list:
            all_terms: Counter[str] = Counter()
            for text in texts:
                terms = Counter(content_terms(text))
                all_terms.update(terms)
                phrasings.append(
                    Phrasing(
                        faq_id,
                        _weighted(terms, self._word_idf, self._unknown_idf),
                        _weighted(
                            Counter(char_ngrams(text)), self._char_idf, self._unknown_idf
                        ),
                    )
                )
            pooled.append(_weighted(all_terms, self._word_idf, self._unknown_idf))
        self._entry_terms = dict(zip(self.faq_ids, word_docs, strict=True))
        self._phrasings = phrasings
        self._word_index = _InvertedIndex([p.words for p in phrasings])
        self._char_index = _InvertedIndex([p.chars for p in phrasings])
        self._pooled_index = _InvertedIndex(pooled)
        answer_terms = [Counter(content_terms(answers[f])) if f in answers else Counter()
                        for f in self.faq_ids]
        self._answer_idf = _idf([set(terms) for terms in answer_terms])
        self._answer_index = _InvertedIndex(
            [_weighted(terms, self._answer_idf, self._unknown_idf) for terms in answer_terms]
        )

    def match(self, normalised: NormalisedText, limit: int = 5) -> MatchResult:
        terms = content_terms(normalised)
        if not terms:
            return MatchResult((), 0.0)
        word_query = _weighted(Counter(terms), self._word_idf, self._unknown_idf)
        char_query = _weighted(
            Counter(char_ngrams(normalised)), self._char_idf, self._unknown_idf
        )
        best_words: dict[str, float] = defaultdict(float)
        best_chars: dict[str, float] = defaultdict(float)
        for position, score in self._word_index.similarities(word_query).items():
            faq_id = self._phrasings[position].faq_id
            best_words[faq_id] = max(best_words[faq_id], score)
        for position, score in self._char_index.similarities(char_query).items():
            faq_id = self._phrasings[position].faq_id
            best_chars[faq_id] = max(best_chars[faq_id], score)
        pooled = {
            self.faq_ids[position]: score
            for position, score in self._pooled_index.similarities(word_query).items()
        }
        answer_query = _weighted(Counter(terms), self._answer_idf, self._unknown_idf)
        from_answers = {
            self.faq_ids[position]: score
            for position, score in self._answer_index.similarities(answer_query).items()
        }
        combined = {
            faq_id: WORD_WEIGHT * best_words.get(faq_id, 0.0)
            + CHAR_WEIGHT * best_chars.get(faq_id, 0.0)
            + POOLED_WEIGHT * pooled.get(faq_id, 0.0)
            + ANSWER_WEIGHT * from_answers.get(faq_id, 0.0)
            for faq_id in set(best_words) | set(best_chars)
        }
        ranked = sorted(combined.items(), key=lambda item: (-item[1], item[0]))[:limit]
        specific = set(terms) - self._generic
        return MatchResult(
            tuple(
                Candidate(faq_id, min(1.0, score), bool(specific & self._entry_terms[faq_id]))
                for faq_id, score in ranked
            ),
            self.coverage(terms),
        )

    def coverage(self, terms: Sequence[str]) -> float:
        """Share of the question's meaning-bearing weight made of words the content knows."""
        weights = [self._word_idf.get(t, self._unknown_idf) for t in terms]
        known = sum(w for t, w in zip(terms, weights, strict=True) if t in self._word_idf)
        return known / sum(weights) if weights else 0.0
