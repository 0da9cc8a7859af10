"""`ask`: a stable, scriptable interface to the engine (one JSON object per question)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence

from bot.cli.common import load_engine, load_settings
from bot.engine.engine import Engine
from bot.engine.reply import Intent, Reply
from bot.prevention.job_ad_check import OFFER_LEVEL, OFFER_SIGNS, SIGN_SEPARATOR

_ANSWERING = frozenset({Intent.FAQ, Intent.EMERGENCY})
"""An emergency reply may carry an FAQ answer after the emergency block (then faq_id is set)."""


def reply_as_json(text: str, reply: Reply) -> dict[str, object]:
    """`offer_level` and `offer_signs` are null and [] unless the text was a job ad."""
    signs = reply.extra.get(OFFER_SIGNS, "")
    return {
        "text": text,
        "intent": reply.intent.value,
        "faq_id": reply.faq_id if reply.intent in _ANSWERING else None,
        "score": round(max(0.0, min(1.0, reply.score)), 4),
        "suggestions": list(reply.suggestions),
        "reply": reply.plain_text,
        "offer_level": reply.extra.get(OFFER_LEVEL),
        "offer_signs": signs.split(SIGN_SEPARATOR) if signs else [],
    }


def _questions(texts: Sequence[str]) -> Iterable[str]:
    if texts:
        yield from texts
        return
    for line in sys.stdin:
        yield line.rstrip("\n").rstrip("\r")


def answer_all(engine: Engine, texts: Iterable[str], *, as_json: bool) -> None:
    for text in texts:
        reply = engine.reply_to(text)
        if as_json:
            print(json.dumps(reply_as_json(text, reply), ensure_ascii=False), flush=True)
        else:
            print(f"> {text}\n[{reply.intent.value}] {reply.plain_text}\n", flush=True)


def run_ask(texts: Sequence[str], *, as_json: bool) -> int:
    engine = load_engine(load_settings())
    answer_all(engine, _questions(texts), as_json=as_json)
    return 0
