"""Would each FAQ example still reach its own FAQ if the bot had never seen it?

Examples are how staff teach the matcher; an example that only works because it is in the index
teaches nothing. So each example is held out honestly: the FAQ index is rebuilt without it and
the real engine decision (`Engine.reply_to`: emergency, stats, smalltalk, FAQ, fallback) is
asked where it lands. To keep this to seconds, k-fold: fold i removes every FAQ's examples
number i, i+k, i+2k... at once, so there are only k rebuilds of `Knowledge`.

Examples answered as an emergency or as statistics are *not* counted as wrong: danger and
numbers are checked before the FAQ by design ("tolong saya dikurung majikan" must get the
emergency numbers, whatever FAQ it was written under). They are left out of the accuracy and
listed separately, because such an example cannot teach the FAQ matcher anything either.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from bot.content.bundle import ContentBundle
from bot.content.loader import FAQ_FILE
from bot.content.yaml_source import YamlDocument
from bot.engine.engine import Engine, MatchPolicy
from bot.engine.knowledge import Knowledge
from bot.engine.reply import Intent

FOLDS = 10
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


def check_routing(bundle: ContentBundle, *, folds: int = FOLDS,
                  policy: MatchPolicy | None = None) -> RoutingReport:
    """Route every example with an engine whose index was built without it."""
    started = time.perf_counter()
    entries = bundle.faq.faqs
    k = max(1, min(folds, max((len(e.examples) for e in entries), default=1)))
    results: list[RoutedExample] = []
    for fold in range(k):
        held_out = [[(i, text) for i, text in enumerate(e.examples) if i % k == fold]
                    for e in entries]
        if not any(held_out):
            continue
        kept = [e.model_copy(update={"examples": [t for i, t in enumerate(e.examples)
                                                  if i % k != fold]}) for e in entries]
        fold_bundle = dataclasses.replace(bundle, faq=bundle.faq.model_copy(update={"faqs": kept}))
        engine = Engine(Knowledge.build(fold_bundle), policy)
        for faq_position, (entry, examples) in enumerate(zip(entries, held_out, strict=True)):
            for example_position, text in examples:
                reply = engine.reply_to(text)
                results.append(RoutedExample(
                    faq_id=entry.id, faq_position=faq_position,
                    example_position=example_position, example=text, intent=reply.intent,
                    landed_on=reply.faq_id if reply.intent is Intent.FAQ else None,
                ))
    results.sort(key=lambda r: (r.faq_position, r.example_position))
    return RoutingReport(tuple(results), time.perf_counter() - started)


def routing_self_check(bundle: ContentBundle, document: YamlDocument | None = None) -> list[str]:
    """One `faq_id.yaml:LINE: ...` line per misrouted example (empty when all arrive)."""
    return [r.describe(document) for r in check_routing(bundle).misrouted]


def _percent(value: float) -> str:
    return f"{_decimal(value * 100)}%"


def _decimal(value: float) -> str:
    """Indonesian writes a decimal comma: 96,8."""
    return f"{value:.1f}".replace(".", ",")
