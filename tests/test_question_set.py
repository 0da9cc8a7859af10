"""Accuracy per intent on realistic questions written independently of the content's examples
(two sets by two different writers; neither saw the content's examples)."""

from __future__ import annotations

from collections import Counter

import pytest
from ruamel.yaml import YAML

from bot.engine.engine import Engine
from bot.engine.reply import Intent
from tests.conftest import DATA_DIR

SETS = {name: YAML(typ="safe").load((DATA_DIR / name).read_text(encoding="utf-8"))
        for name in ("questions.yaml", "questions_extra.yaml")}
MINIMUM_ACCURACY = {"stats": 0.95, "faq": 0.82, "smalltalk": 0.85, "fallback": 0.85}
MINIMUM_OVERALL = 0.88


def _outcome(engine: Engine, question: dict[str, str]) -> tuple[str, str | None]:
    reply = engine.reply_to(question["text"])
    return reply.intent.value, reply.faq_id if reply.intent is Intent.FAQ else None


def _expected(question: dict[str, str]) -> tuple[str, str | None]:
    return question["intent"], question.get("faq_id")


@pytest.mark.parametrize("name", SETS)
def test_question_set_is_large_and_varied(name: str) -> None:
    counts = Counter(q["intent"] for q in SETS[name])
    assert len(SETS[name]) >= 200
    # Job advertisements have a labelled set of their own (tests/data/dev_job_ads.yaml).
    assert all(counts[intent.value] >= 10 for intent in Intent
               if intent not in (Intent.CLARIFY, Intent.JOB_OFFER))


@pytest.mark.parametrize("name", SETS)
def test_every_emergency_is_detected(engine: Engine, name: str) -> None:
    missed = [q["text"] for q in SETS[name]
              if q["intent"] == "emergency" and _outcome(engine, q)[0] != "emergency"]
    assert missed == []


@pytest.mark.parametrize("name", SETS)
def test_few_false_emergencies(engine: Engine, name: str) -> None:
    false_alarms = [q["text"] for q in SETS[name]
                    if q["intent"] != "emergency" and _outcome(engine, q)[0] == "emergency"]
    assert len(false_alarms) <= 2, false_alarms


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("intent", MINIMUM_ACCURACY)
def test_accuracy_per_intent(engine: Engine, name: str, intent: str) -> None:
    selected = [q for q in SETS[name] if q["intent"] == intent]
    wrong = [(q["text"], _outcome(engine, q)) for q in selected
             if _outcome(engine, q) != _expected(q)]
    accuracy = 1 - len(wrong) / len(selected)
    assert accuracy >= MINIMUM_ACCURACY[intent], (accuracy, wrong)


@pytest.mark.parametrize("name", SETS)
def test_overall_accuracy(engine: Engine, name: str) -> None:
    right = sum(_outcome(engine, q) == _expected(q) for q in SETS[name])
    assert right / len(SETS[name]) >= MINIMUM_OVERALL
