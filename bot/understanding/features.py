"""Lexical features: stemmed words (meaning survives rephrasing) and character n-grams
(survive typos and words the slang list has not seen)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.language.normaliser import NormalisedText
from bot.language.vocabulary import STOPWORDS

CHAR_NGRAM_SIZES = (3, 4)
"""For `char_ngrams`, the grouping of unanswered questions in the staff report."""
CLASSIFIER_CHAR_RANGE = (2, 5)
MAX_FEATURE_TOKENS = 80
"""Words of one text that are featurised; the rest of a very long message adds cost, not
meaning (its sentences are scored separately, see `segments`). 120 and 60 scored the dev sets
the same; 80 keeps the whole of most narratives."""
MAX_REMEMBERED_WORDS = 20_000
"""Words outside the content whose character n-gram columns are kept (about 5 MB); past it the
memory starts again."""
MAX_NEW_WORDS = 30
"""Distinct words outside the content given character n-grams in one text, the first ones met:
a pasted wall of made-up words then costs a millisecond, not ten."""


def content_terms(normalised: NormalisedText) -> list[str]:
    """Stems of the words that carry meaning (question words are kept: they tell asks apart)."""
    count = MAX_FEATURE_TOKENS
    return [root for t, root in zip(normalised.tokens[:count], normalised.stems[:count],
                                    strict=True)
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
        self._starts: list[int] = []
        """Each block's first column in a row."""
        self._width = 0
        self._idf = np.array([])

    def fit(self, texts: Sequence[NormalisedText]) -> LexicalFeaturiser:
        self._words.fit([_terms_text(t) for t in texts])
        self._chars.fit([_chars_text(t) for t in texts])
        content_words = {word for t in texts for word in _chars_text(t).split()}
        self._blocks = [_Block(self._words, _terms_text),
                        _Block(self._chars, _chars_text, content_words=content_words)]
        widths = [block.width for block in self._blocks]
        self._starts = [0, *itertools.accumulate(widths)][:-1]
        self._width = sum(widths)
        self._idf = np.concatenate([block.idf for block in self._blocks])
        return self

    def transform(self, texts: Sequence[NormalisedText]) -> csr_matrix:
        features = self._features(texts)
        pointers = np.searchsorted(features.text_index, np.arange(len(texts) + 1))
        return csr_matrix((features.weights, features.columns.astype(np.int32), pointers),
                          shape=(len(texts), self._width))

    def rows(self, texts: Sequence[NormalisedText]) -> list[SparseRow]:
        """The same features as `transform`, as (columns, weights) per text: scoring a few
        texts this way skips building sparse matrices, which costs more than the scoring."""
        features = self._features(texts)
        bounds = np.searchsorted(features.text_index, np.arange(1, len(texts)))
        return list(zip(np.split(features.columns, bounds), np.split(features.weights, bounds),
                        strict=True))

    def _features(self, texts: Sequence[NormalisedText]) -> _Features:
        """Sublinear TF-IDF, each block L2-normalised, as TfidfVectorizer computes it.

        Every text's columns go through one `np.unique`: a long message is scored as seven
        texts (see `segments`), and numpy's fixed cost per call outweighed the counting."""
        width = self._width
        columns: list[int] = []
        lengths: list[int] = []
        for text in texts:
            for block in self._blocks:
                found = block.columns(text)
                columns += found
                lengths.append(len(found))
        # Each (text, block) run of columns is offset by its place in one flat key space.
        bases = (np.arange(len(texts))[:, None] * width + np.array(self._starts)).ravel()
        keys = np.array(columns, dtype=np.int64) + np.repeat(bases, lengths)
        found, counts = np.unique(keys, return_counts=True)
        text_index, columns = np.divmod(found, width)
        block_index = np.searchsorted(self._starts, columns, side="right") - 1
        weights = (1 + np.log(counts)) * self._idf[columns]
        group = text_index * len(self._blocks) + block_index
        norms = np.sqrt(np.bincount(group, weights * weights,
                                    minlength=len(texts) * len(self._blocks)))
        norms[norms == 0] = 1.0
        return _Features(text_index, columns.astype(np.intp), weights / norms[group])


@dataclass(frozen=True)
class _Features:
    """Every text's non-zero features, flat and sorted by text, then column."""

    text_index: np.ndarray
    columns: np.ndarray
    weights: np.ndarray


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
        self.idf: np.ndarray = vectoriser.idf_
        self._by_word = content_words is not None
        self._content_columns = {word: self._columns_of(word) for word in content_words or ()}
        self._other_columns: dict[str, tuple[int, ...]] = {}

    def _columns_of(self, word: str) -> tuple[int, ...]:
        vocabulary = self._vocabulary
        return tuple(vocabulary[g] for g in self._analyse(word) if g in vocabulary)

    @property
    def width(self) -> int:
        return len(self._vocabulary)

    def columns(self, text: NormalisedText) -> list[int]:
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


def _terms_text(normalised: NormalisedText) -> str:
    return " ".join(content_terms(normalised))


def _chars_text(normalised: NormalisedText) -> str:
    return " ".join(normalised.tokens[:MAX_FEATURE_TOKENS])
