"""Normalisation of everyday Indonesian: slang, Banjar, repeated letters, emoji and typos."""

from __future__ import annotations

import pytest

from bot.engine.knowledge import Knowledge


@pytest.mark.parametrize(("raw", "expected"), [
    ("gmn cara lapor yg bener", "bagaimana cara lapor yang benar"),
    ("sy gk tau krj dmn", "saya tidak tahu kerja di mana"),
    ("TOLOOONG!!!", "tolong"),
    ("ulun kada kawa bulik", "saya tidak bisa pulang"),
    ("anak2 sy 😭😭", "anak saya"),
    ("info loker ke malaysia", "informasi lowongan kerja ke malaysia"),
    ("kasus di balikpapn", "kasus di balikpapan"),
    ("bontan", "bontang"),
])
def test_normalises_informal_text(knowledge: Knowledge, raw: str, expected: str) -> None:
    assert knowledge.normaliser.normalise(raw).text == expected


def test_everyday_words_are_not_corrected_into_domain_words(knowledge: Knowledge) -> None:
    # "kapan" (when) is one letter from "kapal" (ship) but is a real word.
    assert knowledge.normaliser.normalise("kapan").text == "kapan"


def test_huge_and_odd_input_is_cheap(knowledge: Knowledge) -> None:
    tokens = knowledge.normaliser.normalise("a" * 100_000 + " \u0000\u202e𝕥𝕡𝕡𝕠").tokens
    assert len(tokens) <= 2
