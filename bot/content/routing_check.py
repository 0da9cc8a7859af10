"""Would each FAQ example still reach its own FAQ if the bot had never seen it?

Examples are how staff teach the classifier; an example that only works because it was trained
on teaches nothing. So each example is held out honestly: the intent model already scores every
training example with a model trained without it (k-fold cross-validation, done once while it
calibrates its probabilities), and the real engine decision (`Engine.reply_to`: emergency,
stats, smalltalk, then the decision policy on those held-out scores) is asked where it lands.

Examples answered as an emergency or as statistics are *not* counted as wrong: danger and
numbers are checked before the FAQ by design ("tolong saya dikurung majikan" must get the
emergency numbers, whatever FAQ it was written under). They are left out of the accuracy and
listed separately, because such an example cannot teach the FAQ matcher anything either.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.content.bundle import ContentBundle
from bot.content.loader import FAQ_FILE
from bot.content.yaml_source import YamlDocument
from bot.engine.reply import Intent
from bot.understanding.examples import Example

if TYPE_CHECKING:
    from bot.engine.knowledge import Knowledge
    from bot.understanding.policy import DecisionPolicy

BY_DESIGN = frozenset({Intent.EMERGENCY, Intent.STATS})


@dataclass(frozen=True)
class RoutedExample:
    faq_id: str
    faq_position: int
    """Index of the FAQ in `faqs`, for its line in the file."""
    example_position: int
    example: str
    intent: Intent
    landed_on: str | None
    """The FAQ the engine answered with, when it answered with one."""
    offered: tuple[str, ...] = ()
    """The entries offered in "Maksud Anda ...?" when the engine asked back."""

    @property
    def correct(self) -> bool:
        return self.intent is Intent.FAQ and self.landed_on == self.faq_id

    def where(self, document: YamlDocument | None) -> str:
        line = None
        if document is not None:
            line = document.line_of(("faqs", self.faq_position, "examples", self.example_position))
        return f"{FAQ_FILE}:{line}" if line else FAQ_FILE

    def describe(self, document: YamlDocument | None) -> str:
        where = self.where(document)
        example = f"contoh '{self.example}' milik '{self.faq_id}'"
        if self.intent is Intent.FAQ:
            return (f"{where}: {example} malah diarahkan ke '{self.landed_on}'; ubah kata-katanya "
                    f"agar lebih khas untuk '{self.faq_id}', atau pindahkan ke "
                    f"'{self.landed_on}' bila memang lebih cocok di sana")
        if self.intent is Intent.CLARIFY:
            return (f"{where}: {example} malah membuat bot bertanya balik (Maksud Anda ...?) "
                    f"antara {', '.join(repr(o) for o in self.offered)}; pakai kata-kata yang "
                    f"lebih khas untuk '{self.faq_id}'")
        if self.intent is Intent.FALLBACK:
            return (f"{where}: {example} malah diarahkan ke 'fallback' (bot menjawab belum "
                    "paham); pakai kata-kata yang lebih khas untuk topik ini, atau tambah contoh "
                    "yang mirip")
        if self.intent is Intent.SMALLTALK:
            return (f"{where}: {example} malah diarahkan ke 'smalltalk' (dianggap sapaan atau "
                    "ucapan terima kasih); tambahkan kata yang menunjukkan topiknya")
        if self.intent is Intent.EMERGENCY:
            return (f"{where}: INFO: {example} dijawab dengan pesan darurat (yang terdengar "
                    "seperti bahaya selalu didahulukan); bila ini pertanyaan umum, ubah "
                    "kata-katanya agar tidak terdengar seperti keadaan darurat")
        return (f"{where}: INFO: {example} dijawab dengan statistik (pertanyaan tentang jumlah "
                "kasus selalu dijawab dari stats.yaml); contoh ini tidak melatih pencocokan")


@dataclass(frozen=True)
class RoutingReport:
    results: tuple[RoutedExample, ...]
    seconds: float

    @property
    def misrouted(self) -> list[RoutedExample]:
        return [r for r in self.results if not r.correct and r.intent not in BY_DESIGN]

    @property
    def by_design(self) -> list[RoutedExample]:
        return [r for r in self.results if r.intent in BY_DESIGN]

    @property
    def counted(self) -> int:
        return len(self.results) - len(self.by_design)

    @property
    def accuracy(self) -> float:
        correct = sum(r.correct for r in self.results)
        return correct / self.counted if self.counted else 1.0

    def summary(self) -> str:
        correct = self.counted - len(self.misrouted)
        text = (f"Uji arah contoh: {correct} dari {self.counted} contoh "
                f"({_percent(self.accuracy)}) tetap sampai ke pertanyaannya sendiri walau "
                f"disembunyikan dari bot; {len(self.misrouted)} salah arah")
        if self.by_design:
            text += (f"; {len(self.by_design)} dijawab sebagai darurat/statistik (tidak dihitung, "
                     "lihat baris INFO)")
        return f"{text}. ({_decimal(self.seconds)} detik)"


def check_routing(bundle: ContentBundle, *, knowledge: Knowledge | None = None,
                  policy: DecisionPolicy | None = None,
                  model_folder: Path | None = None) -> RoutingReport:
    """Route every example with the model's held-out scores of it.

    `knowledge` (built from `bundle`) saves a training when the caller already has one; a
    `model_folder` saves it when the examples are those of an earlier check (the held-out
    scores are kept with the stored model).
    """
    # Imported here: scikit-learn takes seconds to import, and a content check that stops at
    # errors never gets this far.
    from bot.engine.engine import Engine
    from bot.engine.knowledge import Knowledge, UnderstandingSetup
    from bot.understanding.store import ModelStore

    started = time.perf_counter()
    knowledge = knowledge or Knowledge.build(
        bundle, UnderstandingSetup(store=ModelStore(model_folder)))
    engine = Engine(knowledge, policy)
    held_out = dict(zip(knowledge.intents.examples, knowledge.intents.held_out, strict=True))
    results: list[RoutedExample] = []
    for faq_position, entry in enumerate(bundle.faq.faqs):
        for example_position, text in enumerate(entry.examples):
            reply = engine.reply_to(text, ranking=held_out[Example(text, entry.id)])
            results.append(RoutedExample(
                faq_id=entry.id, faq_position=faq_position,
                example_position=example_position, example=text, intent=reply.intent,
                landed_on=reply.faq_id if reply.intent is Intent.FAQ else None,
                offered=reply.suggestions if reply.intent is Intent.CLARIFY else (),
            ))
    return RoutingReport(tuple(results), time.perf_counter() - started)


def routing_self_check(bundle: ContentBundle, document: YamlDocument | None = None, *,
                       knowledge: Knowledge | None = None) -> list[str]:
    """One `faq_id.yaml:LINE: ...` line per misrouted example (empty when all arrive)."""
    return [r.describe(document) for r in check_routing(bundle, knowledge=knowledge).misrouted]


def _percent(value: float) -> str:
    return f"{_decimal(value * 100)}%"


def _decimal(value: float) -> str:
    """Indonesian writes a decimal comma: 96,8."""
    return f"{value:.1f}".replace(".", ",")
