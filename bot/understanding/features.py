"""Lexical features: stemmed words (meaning survives rephrasing) and character n-grams
(survive typos and words the slang list has not seen)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.language.normaliser import NormalisedText
from bot.language.stemming import stem
from bot.language.vocabulary import STOPWORDS

CHAR_NGRAM_SIZES = (3, 4)
"""For `char_ngrams`, the grouping of unanswered questions in the staff report."""
CLASSIFIER_CHAR_RANGE = (2, 5)
MAX_FEATURE_TOKENS = 120
"""Words of one text that are featurised; the rest of a very long message adds cost, not
meaning (its sentences are scored separately, see `segments`)."""
MAX_REMEMBERED_WORDS = 20_000
"""Words outside the content whose character n-gram columns are kept (about 5 MB); past it the
memory starts again."""
MAX_NEW_WORDS = 30
"""Distinct words outside the content given character n-grams in one text, the first ones met:
a pasted wall of made-up words then costs a millisecond, not ten."""


def content_terms(normalised: NormalisedText) -> list[str]:
    """Stems of the words that carry meaning (question words are kept: they tell asks apart)."""
    return [stem(t) for t in normalised.tokens[:MAX_FEATURE_TOKENS]
            if t not in STOPWORDS and not t.isdigit()]


def char_ngrams(normalised: NormalisedText) -> list[str]:
    grams: list[str] = []
    for token in normalised.tokens:
        if token in STOPWORDS:
            continue
        padded = f" {token} "
        for size in CHAR_NGRAM_SIZES:
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


def _word_features(terms: str) -> list[str]:
    """Stems and adjacent pairs of stems ("tahan paspor" is more than its two words)."""
    words = terms.split()
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


class LexicalFeaturiser:
    """TF-IDF over stems and over character n-grams of the normalised text, side by side.

    scikit-learn fits the vocabularies; `transform` then applies them directly, because the
    library's per-call input validation costs ~1 ms, more than the features themselves."""

    def __init__(self) -> None:
        self._words = TfidfVectorizer(analyzer=_word_features, sublinear_tf=True)
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CLASSIFIER_CHAR_RANGE,
                                      sublinear_tf=True, min_df=2)
        self._blocks: list[_Block] = []

    def fit(self, texts: Sequence[NormalisedText]) -> LexicalFeaturiser:
        self._words.fit([_terms_text(t) for t in texts])
        self._chars.fit([_chars_text(t) for t in texts])
        content_words = {word for t in texts for word in _chars_text(t).split()}
        self._blocks = [_Block(self._words, _terms_text),
                        _Block(self._chars, _chars_text, content_words=content_words)]
        return self

    def transform(self, texts: Sequence[NormalisedText]) -> csr_matrix:
        return hstack([block.transform(texts) for block in self._blocks], format="csr")

    def rows(self, texts: Sequence[NormalisedText]) -> list[SparseRow]:
        """The same features as `transform`, as (columns, weights) per text: scoring a few
        texts this way skips building sparse matrices, which costs more than the scoring."""
        rows: list[SparseRow] = []
        for text in texts:
            columns: list[np.ndarray] = []
            weights: list[np.ndarray] = []
            offset = 0
            for block in self._blocks:
                block_columns, block_weights = block.row(text)
                columns.append(block_columns + offset)
                weights.append(block_weights)
                offset += block.width
            rows.append((np.concatenate(columns), np.concatenate(weights)))
        return rows


SparseRow = tuple[np.ndarray, np.ndarray]
"""Column indices and their weights."""


class _Block:
    """One fitted vectoriser's vocabulary and IDF weights, applied without sklearn's checks.

    `content_words`: the analyser reads each word on its own (character n-grams within word
    boundaries), so each word's columns are computed once: for the content's words at fit,
    for others when first met (remembered, and at most `MAX_NEW_WORDS` of them per text). The
    row is the same as from analysing the whole text, columns in the same order."""

    def __init__(self, vectoriser: TfidfVectorizer, text_of: object, *,
                 content_words: set[str] | None = None) -> None:
        self._analyse = vectoriser.build_analyzer()
        self._text_of = text_of
        self._vocabulary: dict[str, int] = vectoriser.vocabulary_
        self._idf: np.ndarray = vectoriser.idf_
        self._by_word = content_words is not None
        self._content_columns = {word: self._columns_of(word) for word in content_words or ()}
        self._other_columns: dict[str, tuple[int, ...]] = {}

    def _columns_of(self, word: str) -> tuple[int, ...]:
        vocabulary = self._vocabulary
        return tuple(vocabulary[g] for g in self._analyse(word) if g in vocabulary)

    @property
    def width(self) -> int:
        return len(self._vocabulary)

    def _columns(self, text: NormalisedText) -> list[int]:
        """The vocabulary's columns of every feature of `text`, repeated as often as found."""
        analysed = self._text_of(text)  # type: ignore[operator]
        if not self._by_word:
            return list(self._columns_of(analysed))
        content, others = self._content_columns, self._other_columns
        new_words: set[str] = set()
        columns: list[int] = []
        for word in analysed.split():
            found = content.get(word)
            if found is None:
                if word not in new_words:
                    if len(new_words) >= MAX_NEW_WORDS:
                        continue
                    new_words.add(word)
                found = others.get(word)
                if found is None:
                    found = self._columns_of(word)
                    if len(others) >= MAX_REMEMBERED_WORDS:
                        others.clear()
                    others[word] = found
            columns += found
        return columns

    def row(self, text: NormalisedText) -> SparseRow:
        """Sublinear TF-IDF, L2-normalised, as TfidfVectorizer computes it (columns sorted)."""
        columns, counts = np.unique(np.array(self._columns(text), dtype=np.intp),
                                    return_counts=True)
        weights = (1 + np.log(counts)) * self._idf[columns]
        norm = float(np.sqrt(weights @ weights)) or 1.0
        return columns, weights / norm

    def transform(self, texts: Sequence[NormalisedText]) -> csr_matrix:
        rows = [self.row(text) for text in texts]
        pointers = np.cumsum([0, *(len(columns) for columns, _ in rows)])
        columns = np.concatenate([c for c, _ in rows]) if rows else np.array([], dtype=np.intp)
        data = np.concatenate([w for _, w in rows]) if rows else np.array([])
        return csr_matrix((data, columns.astype(np.int32), pointers),
                          shape=(len(texts), self.width))


def _terms_text(normalised: NormalisedText) -> str:
    return " ".join(content_terms(normalised))


def _chars_text(normalised: NormalisedText) -> str:
    return " ".join(normalised.tokens[:MAX_FEATURE_TOKENS])
