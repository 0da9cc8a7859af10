"""The trained intent classifier: which FAQ entry (or `offtopic`) a message means, and how sure.

A linear SVM over the lexical features (and sentence embeddings, when an encoder is given)
trains in well under a second on the content's ~1,000 examples. Its scores become
probabilities through a softmax whose temperature is fitted on *cross-validated* scores of the
content itself, so "0.8" means right about 80% of the time on examples the model had not seen.
Those held-out predictions are kept: `content check` routes every example with them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.sparse import csr_matrix, hstack
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from bot.language.normaliser import NormalisedText
from bot.understanding.encoder import EmbeddingCache, SentenceEncoder
from bot.understanding.examples import OFFTOPIC, Example
from bot.understanding.features import LexicalFeaturiser
from bot.understanding.segments import Part, parts_to_score

log = logging.getLogger(__name__)

FOLDS = 5
SVM_C = 0.5
EMBEDDING_WEIGHT = 1.0
"""Scale of the embedding columns beside the lexical TF-IDF block (both have unit rows)."""
SEED = 11

Normalise = Callable[[str], NormalisedText]


@dataclass(frozen=True)
class Scored:
    label: str
    probability: float


@dataclass(frozen=True)
class Ranking:
    """Every label, most probable first; probabilities sum to 1."""

    scores: tuple[Scored, ...]

    def probability(self, label: str) -> float:
        return next((s.probability for s in self.scores if s.label == label), 0.0)

    @property
    def faqs(self) -> tuple[Scored, ...]:
        return tuple(s for s in self.scores if s.label != OFFTOPIC)


class IntentModel:
    def __init__(self, *, featuriser: LexicalFeaturiser, classifier: LinearSVC,
                 temperature: float, normalise: Normalise, question_words: Collection[str],
                 encoder: SentenceEncoder | None, held_out: tuple[Ranking, ...],
                 examples: tuple[Example, ...], seconds: float) -> None:
        self._featuriser = featuriser
        self._classifier = classifier
        self._labels: list[str] = list(classifier.classes_)
        self.temperature = temperature
        self._normalise = normalise
        self._question_words = frozenset(question_words)
        self.encoder = encoder
        self.held_out = held_out
        """Cross-validated ranking of each training example, in `examples` order."""
        self.examples = examples
        self.training_seconds = seconds

    @classmethod
    def train(cls, examples: Sequence[Example], *, normalise: Normalise,
              question_words: Collection[str] = (), encoder: SentenceEncoder | None = None,
              cache: EmbeddingCache | None = None, folds: int = FOLDS) -> IntentModel:
        started = time.perf_counter()
        texts = [normalise(e.text) for e in examples]
        labels = np.array([e.label for e in examples])
        embedded = None
        if encoder is not None:
            embedded = (cache or EmbeddingCache(None)).embed(encoder, [e.text for e in examples])
        scores, classes = _cross_validated_scores(texts, labels, embedded, folds)
        temperature = _fit_temperature(scores, np.searchsorted(classes, labels))
        featuriser = LexicalFeaturiser().fit(texts)
        classifier = _svm().fit(_stack(featuriser.transform(texts), embedded), labels)
        held_out = tuple(_ranking(list(classes), row) for row in _softmax(scores / temperature))
        seconds = time.perf_counter() - started
        log.info("intent model trained: %d examples, %d labels, temperature %.3f, %.2f s%s",
                 len(examples), len(classes), temperature, seconds,
                 f", encoder {encoder.name}" if encoder else "")
        return cls(featuriser=featuriser, classifier=classifier, temperature=temperature,
                   normalise=normalise, question_words=question_words, encoder=encoder,
                   held_out=held_out, examples=tuple(examples), seconds=seconds)

    def rank(self, text: str) -> Ranking:
        """The message scored whole and by sentence (see `segments`), mixed by weight."""
        return self.rank_parts(parts_to_score(text, self._question_words))

    def rank_parts(self, parts: Sequence[Part]) -> Ranking:
        features = self._featuriser.transform([self._normalise(p.text) for p in parts])
        embedded = None
        if self.encoder is not None:
            whole = self.encoder.encode([parts[0].text])
            embedded = np.repeat(whole, len(parts), axis=0)
        scores = self._classifier.decision_function(_stack(features, embedded))
        probabilities = _softmax(np.atleast_2d(scores) / self.temperature)
        weights = np.array([p.weight for p in parts])
        mixed = weights @ probabilities / weights.sum()
        return _ranking(self._labels, mixed)


def _svm() -> LinearSVC:
    return LinearSVC(C=SVM_C, random_state=SEED)


def _stack(lexical: csr_matrix, embedded: np.ndarray | None) -> csr_matrix:
    if embedded is None:
        return lexical
    return hstack([lexical, csr_matrix(embedded * EMBEDDING_WEIGHT)], format="csr")


def _cross_validated_scores(texts: Sequence[NormalisedText], labels: np.ndarray,
                            embedded: np.ndarray | None,
                            folds: int) -> tuple[np.ndarray, np.ndarray]:
    """Each example's SVM scores from a model trained without it (features refitted per fold)."""
    classes = np.unique(labels)
    smallest = min(int((labels == c).sum()) for c in classes)
    splitter = StratifiedKFold(n_splits=max(2, min(folds, smallest)), shuffle=True,
                               random_state=SEED)
    scores = np.full((len(texts), len(classes)), -10.0)
    for train, test in splitter.split(np.zeros(len(labels)), labels):
        featuriser = LexicalFeaturiser().fit([texts[i] for i in train])
        train_rows = _stack(featuriser.transform([texts[i] for i in train]),
                            None if embedded is None else embedded[train])
        test_rows = _stack(featuriser.transform([texts[i] for i in test]),
                           None if embedded is None else embedded[test])
        classifier = _svm().fit(train_rows, labels[train])
        columns = np.searchsorted(classes, classifier.classes_)
        scores[np.ix_(test, columns)] = classifier.decision_function(test_rows)
    return scores, classes


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


def _ranking(labels: Sequence[str], probabilities: np.ndarray) -> Ranking:
    order = np.argsort(-probabilities, kind="stable")
    return Ranking(tuple(Scored(labels[i], float(probabilities[i])) for i in order))
