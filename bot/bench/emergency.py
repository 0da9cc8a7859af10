"""Emergency recall, false alarms and cost per message on labelled question files.

    python -m bot.bench.emergency tests/data/questions.yaml tests/data/questions_extra.yaml \
        tests/data/dev_emergency.yaml

A file is a YAML list of {text, intent} (intent "emergency" or another label) or
{text, emergency: true/false}. Timing is of `EmergencyDetector.assess` alone, on text already
normalised, so it shows the detector's own cost; on a shared machine figures are inflated.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from bot.cli.common import load_settings
from bot.content.loader import load_content_or_raise
from bot.engine.knowledge import Knowledge
from bot.language.normaliser import NormalisedText

LONG_MESSAGE_CHARS = 4096
TIMING_ROUNDS = 200


@dataclass(frozen=True)
class SetResult:
    name: str
    found: int
    emergencies: int
    false_alarms: int
    others: int
    missed: tuple[str, ...]
    alarmed: tuple[str, ...]

    def line(self) -> str:
        recall = self.found / self.emergencies if self.emergencies else 1.0
        rate = self.false_alarms / self.others if self.others else 0.0
        return (f"{self.name}: recall {self.found}/{self.emergencies} ({recall:.1%}), "
                f"false alarms {self.false_alarms}/{self.others} ({rate:.1%})")


def evaluate(knowledge: Knowledge, path: Path) -> SetResult:
    questions = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    missed: list[str] = []
    alarmed: list[str] = []
    emergencies = 0
    for question in questions:
        expected = question.get("emergency", question.get("intent") == "emergency")
        emergencies += expected
        found = knowledge.emergency.is_emergency(knowledge.normaliser.normalise(question["text"]))
        if expected and not found:
            missed.append(question["text"])
        elif found and not expected:
            alarmed.append(question["text"])
    return SetResult(path.name, emergencies - len(missed), emergencies, len(alarmed),
                     len(questions) - emergencies, tuple(missed), tuple(alarmed))


def _per_call_ms(call: Callable[[], object], rounds: int = TIMING_ROUNDS) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        call()
    return (time.perf_counter() - start) / rounds * 1000


def _long_texts(short: Sequence[str]) -> dict[str, str]:
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    random_words = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))
                            for _ in range(700))
    story = " ".join(rng.choice(short) for _ in range(60))
    return {"4 kB of random words": random_words[:LONG_MESSAGE_CHARS],
            "4 kB story made of the sets' messages": story[:LONG_MESSAGE_CHARS]}


def timing_lines(knowledge: Knowledge, texts: Sequence[str]) -> list[str]:
    """Short messages as the engine sees them; 4 kB ones tokenised whole, past the
    normaliser's 2,000-character cap, to show the detector's work stays bounded."""
    detector = knowledge.emergency
    normalised = [knowledge.normaliser.normalise(text) for text in texts]
    total = _per_call_ms(lambda: [detector.assess(n) for n in normalised], rounds=20)
    lines = [f"short messages ({len(texts)}): {total / len(texts):.3f} ms each on average"]
    for label, text in _long_texts(texts).items():
        tokens = tuple(t for piece in (text[i:i + 1500] for i in range(0, len(text), 1500))
                       for t in knowledge.normaliser.normalise(piece).tokens)
        long_message = NormalisedText(tokens)
        cost = _per_call_ms(lambda m=long_message: detector.assess(m), rounds=50)
        lines.append(f"{label} ({len(tokens)} tokens): {cost:.3f} ms each")
    return lines


def main(arguments: Sequence[str]) -> int:
    content = load_content_or_raise(load_settings().content_dir)
    knowledge = Knowledge.build(content)
    texts: list[str] = []
    for name in arguments:
        result = evaluate(knowledge, Path(name))
        print(result.line())
        for text in result.missed:
            print(f"  missed: {text}")
        for text in result.alarmed:
            print(f"  false alarm: {text}")
        texts += [q["text"] for q in YAML(typ="safe").load(Path(name).read_text("utf-8"))]
    if texts:
        for line in timing_lines(knowledge, texts):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
