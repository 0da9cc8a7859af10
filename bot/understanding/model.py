"""The trained intent classifier: which FAQ entry (or `offtopic`) a message means, and how sure.

A linear SVM over the lexical features trains in well under a second on the content's ~1,500
examples. Its scores become probabilities through a softmax whose temperature is fitted on
*cross-validated* scores of the content itself, so "0.8" means right about 80% of the time on
examples the model had not seen. Those held-out predictions are kept: `content check` routes
every example with them, and the evaluation reports them.

With an encoder, a second SVM of the same kind reads the sentence embeddings, and the two
calibrated probability vectors are mixed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from bot.language.normaliser import NormalisedText
from bot.language.stemming import learn_content_roots, stem
from bot.understanding.encoder import EmbeddingCache, SentenceEncoder
from bot.understanding.examples import OFFTOPIC, Example
from bot.understanding.features import (
    MAX_FEATURE_TOKENS,
    LexicalFeaturiser,
    SparseRow,
    content_terms,
)
from bot.understanding.segments import Part, asking_sentence, asks, parts_to_score
from bot.understanding.store import ModelStore

log = logging.getLogger(__name__)

FOLDS = 5
LEXICAL_C = 0.5
EMBEDDING_C = 5.0
"""Regularisation of each SVM, chosen by cross-validated accuracy on the content."""
EMBEDDING_SHARE = 0.5
"""The embedding SVM's share of the mixed probabilities (the lexical SVM has the rest)."""
OFFTOPIC_WEIGHT = 2.0
"""Mistakes on off-topic examples cost twice as much in training: a topic answer to an
off-topic message (a loan app, an ETLE fine) is the bot's most visible error. Measured on the
dev sets: refusals 137 -> 138 of 148, confidently wrong 24 -> 23 of 652, the rest unchanged."""
SEED = 11

Normalise = Callable[[str], NormalisedText]
Rows = Any
"""A feature matrix (sparse for words and n-grams, dense for embeddings)."""
RowsFor = Callable[[np.ndarray, np.ndarray], tuple[Rows, Rows]]


@dataclass(frozen=True)
class Scored:
    label: str
    probability: float


@dataclass(frozen=True)
class Ranking:
    """Every label, most probable first; probabilities sum to 1."""

    scores: tuple[Scored, ...]
    words: int | None = None
    """Meaning-bearing words in the message: one word ("kapal") is too little to answer."""

    def probability(self, label: str) -> float:
        return next((s.probability for s in self.scores if s.label == label), 0.0)

    @property
    def faqs(self) -> tuple[Scored, ...]:
        return tuple(s for s in self.scores if s.label != OFFTOPIC)


@dataclass(frozen=True)
class Trained:
    """What training produces, apart from the callables it is used with (kept on disk)."""

    featuriser: LexicalFeaturiser
    lexical: CalibratedSvm
    embedded: CalibratedSvm | None
    held_out: tuple[Ranking, ...]
    content_roots: dict[str, str]
    """Every word of the examples and its root: a message's features then never depend on
    which of its words earlier messages left in the stemmer's cache (see `stemming`)."""


@dataclass(frozen=True)
class CalibratedSvm:
    """A linear SVM and the softmax temperature that turns its scores into probabilities."""

    classifier: LinearSVC
    temperature: float

    @classmethod
    def train(cls, rows: Rows, rows_for: RowsFor, labels: np.ndarray, c: float,
              folds: int) -> tuple[CalibratedSvm, np.ndarray]:
        """The SVM on all rows, and every example's probabilities from a fold without it."""
        classes = np.unique(labels)
        scores = _cross_validated_scores(rows_for, labels, classes, c, folds)
        temperature = _fit_temperature(scores, np.searchsorted(classes, labels))
        classifier = _svm(c, labels).fit(rows, labels)
        return cls(classifier, temperature), _softmax(scores / temperature)

    def probabilities(self, rows: Rows) -> np.ndarray:
        """The SVM's linear scores computed directly (sklearn's checks cost more than this)."""
        scores = np.asarray(rows @ self.classifier.coef_.T) + self.classifier.intercept_
        return _softmax(np.atleast_2d(scores) / self.temperature)

    def probabilities_of_rows(self, rows: Sequence[SparseRow]) -> np.ndarray:
        coefficients = self.classifier.coef_
        scores = np.array([coefficients[:, columns] @ weights for columns, weights in rows])
        return _softmax((scores + self.classifier.intercept_) / self.temperature)


class IntentModel:
    def __init__(self, trained: Trained, *, normalise: Normalise,
                 question_words: Collection[str], encoder: SentenceEncoder | None,
                 examples: tuple[Example, ...]) -> None:
        learn_content_roots(trained.content_roots)
        self._featuriser = trained.featuriser
        self._lexical = trained.lexical
        self._labels: list[str] = [str(c) for c in trained.lexical.classifier.classes_]
        self._normalise = normalise
        self._question_words = frozenset(question_words)
        self.encoder = encoder
        self._embedded = trained.embedded if encoder is not None else None
        self.held_out = trained.held_out
        """Cross-validated ranking of each training example, in `examples` order."""
        self.examples = examples

    @classmethod
    def train(cls, examples: Sequence[Example], *, normalise: Normalise,
              question_words: Collection[str] = (), encoder: SentenceEncoder | None = None,
              cache: EmbeddingCache | None = None, store: ModelStore | None = None,
              folds: int = FOLDS) -> IntentModel:
        """Seconds of CPU: call it from a worker thread (the reloader and start-up do)."""
        started = time.perf_counter()
        texts = [normalise(e.text) for e in examples]
        store = store or ModelStore(None)
        key = store.key([encoder.name if encoder else "lexical",
                         f"{folds} {LEXICAL_C} {EMBEDDING_C} {EMBEDDING_SHARE} "
                         f"{OFFTOPIC_WEIGHT} {SEED} {MAX_FEATURE_TOKENS}",
                         *(f"{e.label}\t{e.text}\t{t.text}"
                           for e, t in zip(examples, texts, strict=True))])
        trained = store.load(key)
        if not isinstance(trained, Trained):
            trained = cls._fit(examples, texts, encoder, cache, folds)
            store.save(key, trained)
        seconds = time.perf_counter() - started
        log.info("intent model ready: %d examples, %.2f s%s", len(examples), seconds,
                 f", encoder {encoder.name}" if encoder else "")
        return cls(trained, normalise=normalise, question_words=question_words,
                   encoder=encoder, examples=tuple(examples))

    @staticmethod
    def _fit(examples: Sequence[Example], texts: Sequence[NormalisedText],
             encoder: SentenceEncoder | None, cache: EmbeddingCache | None,
             folds: int) -> Trained:
        labels = np.array([e.label for e in examples])

        def lexical_rows(train: np.ndarray, test: np.ndarray) -> tuple[Rows, Rows]:
            fold = LexicalFeaturiser().fit([texts[i] for i in train])
            return (fold.transform([texts[i] for i in train]),
                    fold.transform([texts[i] for i in test]))

        featuriser = LexicalFeaturiser().fit(texts)
        lexical, probabilities = CalibratedSvm.train(
            featuriser.transform(texts), lexical_rows, labels, LEXICAL_C, folds)
        embedded = None
        if encoder is not None:
            vectors = (cache or EmbeddingCache(None)).embed(encoder, [e.text for e in examples])
            embedded, from_vectors = CalibratedSvm.train(
                vectors, lambda train, test: (vectors[train], vectors[test]), labels,
                EMBEDDING_C, folds)
            probabilities = _mix(probabilities, from_vectors)
        classes = [str(c) for c in np.unique(labels)]
        held_out = tuple(_ranking(classes, row, len(content_terms(text)))
                         for row, text in zip(probabilities, texts, strict=True))
        roots = {token: stem(token) for text in texts for token in text.tokens}
        return Trained(featuriser, lexical, embedded, held_out, roots)

    def rank(self, text: str, normalised: NormalisedText | None = None) -> Ranking:
        """The message scored whole and by sentence (see `segments`), mixed by weight.
        `normalised`: the whole text, when the caller has already normalised it."""
        return self.rank_parts(parts_to_score(text, self._question_words), normalised)

    def asks(self, text: str) -> bool:
        """The message asks (a question mark or a question word): a cry for help alone
        ("tolong saya disekap") asks nothing an FAQ answer should follow."""
        return asks(text, self._question_words)

    def asking_sentence(self, text: str) -> str:
        return asking_sentence(text, self._question_words)

    def rank_parts(self, parts: Sequence[Part], whole: NormalisedText | None = None) -> Ranking:
        """Parts are scored lexically; the encoder (one call) reads the whole, `parts[0]`."""
        normalised = [whole if i == 0 and whole is not None else self._normalise(p.text)
                      for i, p in enumerate(parts)]
        rows = self._featuriser.rows(normalised)
        weights = np.array([p.weight for p in parts])
        probabilities = weights @ self._lexical.probabilities_of_rows(rows) / weights.sum()
        if self.encoder is not None and self._embedded is not None:
            vector = self.encoder.encode([parts[0].text])
            probabilities = _mix(probabilities, self._embedded.probabilities(vector)[0])
        return _ranking(self._labels, probabilities, len(content_terms(normalised[0])))


def _svm(c: float, labels: np.ndarray) -> LinearSVC:
    """scikit-learn refuses a weight for a class missing from `labels` (content without an
    off-topic file)."""
    weights = {OFFTOPIC: OFFTOPIC_WEIGHT} if OFFTOPIC in labels else None
    return LinearSVC(C=c, class_weight=weights, random_state=SEED)


def _mix(lexical: np.ndarray, embedded: np.ndarray) -> np.ndarray:
    return (1 - EMBEDDING_SHARE) * lexical + EMBEDDING_SHARE * embedded


def _cross_validated_scores(rows_for: RowsFor, labels: np.ndarray, classes: np.ndarray,
                            c: float, folds: int) -> np.ndarray:
    """Each example's SVM scores from a model trained on the other folds."""
    smallest = min(int((labels == label).sum()) for label in classes)
    splitter = StratifiedKFold(n_splits=max(2, min(folds, smallest)), shuffle=True,
                               random_state=SEED)
    scores = np.full((len(labels), len(classes)), -10.0)
    for train, test in splitter.split(np.zeros(len(labels)), labels):
        train_rows, test_rows = rows_for(train, test)
        classifier = _svm(c, labels[train]).fit(train_rows, labels[train])
        columns = np.searchsorted(classes, classifier.classes_)
        scores[np.ix_(test, columns)] = classifier.decision_function(test_rows)
    return scores


def _fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature that makes held-out scores honest probabilities (least NLL)."""

    def negative_log_likelihood(log_temperature: float) -> float:
        probabilities = _softmax(scores / np.exp(log_temperature))
        return float(-np.log(probabilities[np.arange(len(truth)), truth] + 1e-12).mean())

    found = minimize_scalar(negative_log_likelihood, bounds=(-5.0, 3.0), method="bounded")
    return float(np.exp(found.x))


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _ranking(labels: Sequence[str], probabilities: np.ndarray, words: int) -> Ranking:
    order = np.argsort(-probabilities, kind="stable")
    ordered = probabilities[order].tolist()
    scores = tuple(Scored(labels[i], p) for i, p in zip(order, ordered, strict=True))
    return Ranking(scores, words)
