"""How well the bot understands, on three sets kept apart (see docs/PERFORMANCE.md):

- training: the content's own examples, each scored by a model trained without it (the
  intent model's cross-validated predictions);
- dev: `DEV_SETS` (tests/data/questions*.yaml, dev_narrative*.yaml), which the pipeline is
  tuned on;
- frozen: tests/data/frozen/test_set.yaml, written by someone who had not seen the content.
  Reported, never tuned on.

Beside the engine, two baselines answer from the same content: BM25 over stemmed words and
rapidfuzz's token-set ratio, each giving the label of the nearest phrasing (an off-topic
message's label refuses). They share the engine's checks before the FAQ (emergency, stats,
smalltalk), so the columns differ only in how the FAQ is chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from bot.engine.engine import Engine
from bot.engine.knowledge import Knowledge
from bot.engine.reply import Intent, Reply
from bot.understanding.examples import OFFTOPIC
from bot.understanding.features import content_terms
from bot.understanding.model import Ranking, Scored

DEV_SETS = ("questions.yaml", "questions_extra.yaml", "dev_narrative.yaml",
            "dev_narrative_2.yaml", "dev_narrative_3.yaml", "dev_narrative_4.yaml",
            "dev_narrative_5.yaml", "dev_offtopic_2.yaml", "dev_short_2.yaml",
            "dev_narrative_6.yaml", "dev_narrative_7.yaml")
"""The development sets under tests/data, in the order they are read."""
NARRATIVE_WORDS = 30
"""Items of the older question sets longer than this count as narratives."""
_INTENT_LABELS = {"fallback": OFFTOPIC}
_ANSWERING = frozenset({Intent.FAQ, Intent.EMERGENCY})


@dataclass(frozen=True)
class Item:
    text: str
    expect: str
    kind: str
    ranking: Ranking | None = None
    """A held-out ranking to use instead of the model's (training examples)."""


@dataclass
class Tally:
    short: list[bool]
    narrative: list[bool]
    clarified: int = 0
    emergencies: int = 0
    emergencies_found: int = 0
    offtopic: int = 0
    offtopic_refused: int = 0
    confidently_wrong: int = 0
    judged: int = 0
    not_emergencies: int = 0
    false_alarms: int = 0
    """Items that are not emergencies but raised the alarm (with or without an answer)."""

    @staticmethod
    def empty() -> Tally:
        return Tally([], [])

    def add(self, item: Item, reply: Reply) -> None:
        """An emergency reply that carries FAQ X after the emergency block answers X."""
        answered = reply.faq_id if reply.intent in _ANSWERING else None
        alarm = reply.intent is Intent.EMERGENCY
        if item.expect == "emergency":
            self.emergencies += 1
            self.emergencies_found += alarm
            return
        self.not_emergencies += 1
        self.false_alarms += alarm
        if item.expect in {"stats", "smalltalk", "job_offer"}:
            return
        self.judged += 1
        if item.expect == OFFTOPIC:
            self.offtopic += 1
            refused = reply.intent is Intent.FALLBACK
            self.offtopic_refused += refused
            self.confidently_wrong += answered is not None
            return
        right = answered == item.expect
        (self.narrative if item.kind == "narrative" else self.short).append(right)
        self.clarified += reply.intent is Intent.CLARIFY
        self.confidently_wrong += answered is not None and not right

    def row(self) -> list[str]:
        return [_share(sum(self.short), len(self.short)),
                _share(sum(self.narrative), len(self.narrative)),
                _share(self.clarified, len(self.short) + len(self.narrative)),
                _share(self.emergencies_found, self.emergencies),
                _share(self.offtopic_refused, self.offtopic),
                _share(self.confidently_wrong, self.judged),
                _share(self.false_alarms, self.not_emergencies)]


COLUMNS = ["short right", "narrative right", "asked back", "emergencies found",
           "off-topic refused", "confidently wrong", "false alarms"]


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part}/{whole})" if whole else "—"


def read_set(path: Path) -> list[Item]:
    """Either format: {text, expect, kind} or the older {text, intent, faq_id}."""
    items = []
    for raw in YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []:
        if "expect" in raw:
            expect, kind = str(raw["expect"]), str(raw.get("kind", "short"))
        else:
            intent = str(raw["intent"])
            expect = str(raw.get("faq_id") or _INTENT_LABELS.get(intent, intent))
            kind = "narrative" if len(str(raw["text"]).split()) > NARRATIVE_WORDS else "short"
        items.append(Item(str(raw["text"]), expect, kind))
    return items


def training_items(knowledge: Knowledge) -> list[Item]:
    model = knowledge.intents
    return [Item(e.text, e.label, "short", ranking)
            for e, ranking in zip(model.examples, model.held_out, strict=True)]


Answerer = Callable[[Item], Reply]


def engine_answerer(engine: Engine) -> Answerer:
    return lambda item: engine.reply_to(item.text, ranking=item.ranking)


def nearest_phrasing_answerer(engine: Engine, label_of: Callable[[str], str]) -> Answerer:
    """A baseline: the engine's checks before the FAQ, then always the nearest label."""
    def answer(item: Item) -> Reply:
        label = label_of(item.text)
        return engine.reply_to(item.text, ranking=Ranking((Scored(label, 1.0),)))  # no gate
    return answer


def bm25_label_of(knowledge: Knowledge) -> Callable[[str], str]:
    from rank_bm25 import BM25Okapi

    examples = knowledge.intents.examples
    normalise = knowledge.normaliser.normalise
    index = BM25Okapi([content_terms(normalise(e.text)) or ["_"] for e in examples])

    def label_of(text: str) -> str:
        scores = index.get_scores(content_terms(normalise(text)))
        best = max(range(len(examples)), key=lambda i: scores[i])
        return examples[best].label if scores[best] > 0 else OFFTOPIC
    return label_of


def fuzzy_label_of(knowledge: Knowledge) -> Callable[[str], str]:
    from rapidfuzz import fuzz, process

    examples = knowledge.intents.examples
    normalise = knowledge.normaliser.normalise
    choices = [normalise(e.text).text for e in examples]

    def label_of(text: str) -> str:
        found = process.extractOne(normalise(text).text, choices, scorer=fuzz.token_set_ratio)
        return examples[found[2]].label if found else OFFTOPIC
    return label_of


def evaluate(answerer: Answerer, items: Sequence[Item]) -> Tally:
    tally = Tally.empty()
    for item in items:
        tally.add(item, answerer(item))
    return tally


def markdown_table(rows: Sequence[tuple[str, Tally]]) -> list[str]:
    lines = ["| | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(tally.row()) + " |" for name, tally in rows]
    return lines


def dev_items(data_dir: Path) -> list[Item]:
    return [item for name in DEV_SETS if (data_dir / name).exists()
            for item in read_set(data_dir / name)]


def run_understanding_benchmark(engine: Engine, data_dir: Path, *, baselines: bool = True,
                                frozen_set: bool = True) -> list[str]:
    """`frozen_set=False` while tuning: the frozen set's score is not even printed."""
    knowledge = engine.knowledge
    sets: dict[str, list[Item]] = {"training (cross-validated)": training_items(knowledge)}
    sets["dev"] = dev_items(data_dir)
    frozen = data_dir / "frozen" / "test_set.yaml"
    if frozen_set and frozen.exists():
        sets["frozen test"] = read_set(frozen)
    answerers: dict[str, Answerer] = {"bot": engine_answerer(engine)}
    if baselines:
        answerers["BM25"] = nearest_phrasing_answerer(engine, bm25_label_of(knowledge))
        answerers["rapidfuzz"] = nearest_phrasing_answerer(engine, fuzzy_label_of(knowledge))
    lines: list[str] = []
    for set_name, items in sets.items():
        lines += ["", f"### {set_name}: {len(items)} messages", ""]
        chosen = answerers if set_name != "training (cross-validated)" else {
            "bot": answerers["bot"]}
        lines += markdown_table([(name, evaluate(answer, items))
                                 for name, answer in chosen.items()])
    return lines
