"""Answer, ask back, or admit not knowing: decided from the model's probabilities, apart from
the model (as Rasa's fallback classifier is), so thresholds can change without retraining."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.understanding.examples import OFFTOPIC
from bot.understanding.model import Ranking, Scored


class Outcome(StrEnum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"
    OFFTOPIC = "offtopic"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    candidates: tuple[str, ...]
    """ANSWER: the one FAQ id; CLARIFY: the 2-3 to choose from; FALLBACK: suggestions."""
    score: float
    """Probability of the best FAQ entry."""


@dataclass(frozen=True)
class DecisionPolicy:
    """Thresholds on calibrated probabilities, chosen on the development questions
    (tests/data/questions*.yaml, dev_narrative*.yaml), never on the frozen test set."""

    answer_threshold: float = 0.4
    answer_margin: float = 0.2
    """The best entry must lead the runner-up by this much, or the bot asks."""
    clarify_floor: float = 0.2
    """A candidate offered in "Maksud Anda ...?" needs at least this probability ..."""
    clarify_total: float = 0.6
    """... and the candidates together at least this much, or it is a plain fallback."""
    min_answer_words: int = 2
    """A one-word message ("kapal", "kerja") is not a question: suggest, never answer."""
    suggestion_threshold: float = 0.08
    max_candidates: int = 3
    max_suggestions: int = 3

    def decide(self, ranking: Ranking) -> Decision:
        faqs = ranking.faqs
        best = faqs[0].probability if faqs else 0.0
        offtopic = ranking.probability(OFFTOPIC)
        # A story split between two or three entries is on the topic even when off-topic is
        # the single likeliest label: it gets suggestions, not the bare off-topic reply.
        if offtopic >= sum(s.probability for s in faqs[: self.max_suggestions]):
            return Decision(Outcome.OFFTOPIC, (), best)
        runner_up = faqs[1].probability if len(faqs) > 1 else 0.0
        enough_words = ranking.words is None or ranking.words >= self.min_answer_words
        if not enough_words:
            return self._fallback(faqs, best)
        if (best > offtopic and best >= self.answer_threshold
                and best - runner_up >= self.answer_margin):
            return Decision(Outcome.ANSWER, (faqs[0].label,), best)
        close = [s for s in faqs[: self.max_candidates] if s.probability >= self.clarify_floor]
        if len(close) >= 2 and sum(s.probability for s in close) >= self.clarify_total:
            return Decision(Outcome.CLARIFY, tuple(s.label for s in close), best)
        return self._fallback(faqs, best)

    def _fallback(self, faqs: tuple[Scored, ...], best: float) -> Decision:
        suggestions = tuple(s.label for s in faqs[: self.max_suggestions]
                            if s.probability >= self.suggestion_threshold)
        return Decision(Outcome.FALLBACK, suggestions, best)
