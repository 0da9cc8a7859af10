"""Accuracy per intent on realistic questions written independently of the content's examples."""

from __future__ import annotations

from collections import Counter

import pytest
from ruamel.yaml import YAML

from bot.engine.engine import Engine
from bot.engine.reply import Intent
from tests.conftest import DATA_DIR

QUESTIONS = YAML(typ="safe").load((DATA_DIR / "questions.yaml").read_text(encoding="utf-8"))


def _outcome(engine: Engine, question: dict[str, str]) -> tuple[str, str | None]:
    reply = engine.reply_to(question["text"])
    return reply.intent.value, reply.faq_id if reply.intent is Intent.FAQ else None


def test_question_set_is_large_and_varied() -> None:
    counts = Counter(q["intent"] for q in QUESTIONS)
    assert len(QUESTIONS) >= 200
    assert all(counts[intent.value] >= 10 for intent in Intent)


def test_every_emergency_is_detected(engine: Engine) -> None:
    missed = [q["text"] for q in QUESTIONS
              if q["intent"] == "emergency" and _outcome(engine, q)[0] != "emergency"]
    assert missed == []


def test_no_false_emergency_on_general_questions(engine: Engine) -> None:
    false_alarms = [q["text"] for q in QUESTIONS
                    if q["intent"] != "emergency" and _outcome(engine, q)[0] == "emergency"]
    assert len(false_alarms) <= 2, false_alarms


@pytest.mark.parametrize(("intent", "minimum"), [
    ("stats", 0.95), ("faq", 0.85), ("smalltalk", 0.9), ("fallback", 0.9),
])
def test_accuracy_per_intent(engine: Engine, intent: str, minimum: float) -> None:
    selected = [q for q in QUESTIONS if q["intent"] == intent]
    wrong = [q["text"] for q in selected
             if _outcome(engine, q) != (q["intent"], q.get("faq_id"))]
    accuracy = 1 - len(wrong) / len(selected)
    assert accuracy >= minimum, (accuracy, wrong)


def test_overall_accuracy(engine: Engine) -> None:
    right = sum(_outcome(engine, q) == (q["intent"], q.get("faq_id")) for q in QUESTIONS)
    assert right / len(QUESTIONS) >= 0.9
