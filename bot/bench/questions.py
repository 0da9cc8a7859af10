"""A few thousand realistic questions for timing: the content's phrasings, plus typo'd and
run-on variants, generated with a fixed seed so runs are comparable."""

from __future__ import annotations

import random

from bot.content.bundle import ContentBundle

OFF_TOPIC = [
    "jual hp bekas murah", "cuaca di samarinda hari ini", "resep ikan bakar", "asdfgh", "😂",
    "jadwal kapal ke balikpapan", "cara daftar cpns", "berapa kasus tppo di bontang 2019",
    "tolong saya disekap di mess tidak bisa pulang", "halo min", "makasih ya",
]


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    position = rng.randrange(1, len(text) - 1)
    operation = rng.choice(("drop", "swap", "double"))
    if operation == "drop":
        return text[:position] + text[position + 1 :]
    if operation == "swap":
        return text[: position - 1] + text[position] + text[position - 1] + text[position + 1 :]
    return text[:position] + text[position] + text[position:]


def benchmark_questions(content: ContentBundle, count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    base = [t for entry in content.faq.faqs for t in (entry.question, *entry.examples)]
    base += OFF_TOPIC
    questions: list[str] = []
    while len(questions) < count:
        text = rng.choice(base)
        variant = rng.random()
        if variant < 0.4:
            text = _typo(text, rng)
        elif variant < 0.5:
            text = f"{text} {rng.choice(base)}"
        questions.append(text)
    return questions
