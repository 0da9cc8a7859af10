"""Lexical features: stemmed words (meaning survives rephrasing) and character n-grams
(survive typos and words the slang list has not seen)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

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
    """TF-IDF over stems and over character n-grams of the normalised text, side by side."""

    def __init__(self) -> None:
        self._words = TfidfVectorizer(analyzer=_word_features, sublinear_tf=True)
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CLASSIFIER_CHAR_RANGE,
                                      sublinear_tf=True, min_df=2)

    def fit(self, texts: Sequence[NormalisedText]) -> LexicalFeaturiser:
        self._words.fit([_terms_text(t) for t in texts])
        self._chars.fit([_chars_text(t) for t in texts])
        return self

    def transform(self, texts: Sequence[NormalisedText]) -> csr_matrix:
        words = self._words.transform([_terms_text(t) for t in texts])
        chars = self._chars.transform([_chars_text(t) for t in texts])
        return hstack([words, chars], format="csr")


def _terms_text(normalised: NormalisedText) -> str:
    return " ".join(content_terms(normalised))


def _chars_text(normalised: NormalisedText) -> str:
    return " ".join(normalised.tokens[:MAX_FEATURE_TOKENS])
