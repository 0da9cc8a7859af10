"""Normalisation of everyday Indonesian: slang, Banjar, repeated letters, emoji and typos."""

from __future__ import annotations

import pytest

from bot.engine.knowledge import Knowledge
from bot.language.normaliser import MAX_REPAIRS


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


@pytest.mark.parametrize(("raw", "expected"), [
    ("hpnya disita majikan", "teleponnya disita majikan"),  # was "hanya disita majikan"
    ("adingku dibawa orang", "adikku dibawa orang"),
    ("ortunya tidak tahu", "orang tuanya tidak tahu"),
    ("aku dan kamu", "aku dan kamu"),  # "a" + "ku" is not a slang word with an ending
])
def test_slang_keeps_its_ending(knowledge: Knowledge, raw: str, expected: str) -> None:
    assert knowledge.normaliser.normalise(raw).text == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("saya di bandara Juanda", "saya di bandara juanda"),  # a name, not "janda"
    ("saya di bandara juanda", "saya di bandara janda"),  # no capital: repaired as before
    ("Saya Di Bandara Juanda", "saya di bandara janda"),  # Title Case says nothing
    ("kerja di Balikpapn, Samarnda", "kerja di balikpapan samarinda"),  # towards places only
])
def test_a_capitalised_word_is_repaired_only_into_a_place(knowledge: Knowledge, raw: str,
                                                          expected: str) -> None:
    assert knowledge.normaliser.normalise(raw).text == expected


def test_everyday_words_are_not_corrected_into_domain_words(knowledge: Knowledge) -> None:
    # "kapan" (when) is one letter from "kapal" (ship) but is a real word.
    assert knowledge.normaliser.normalise("kapan").text == "kapan"


def test_huge_and_odd_input_is_cheap(knowledge: Knowledge) -> None:
    tokens = knowledge.normaliser.normalise("a" * 100_000 + " \u0000\u202e𝕥𝕡𝕡𝕠").tokens
    assert len(tokens) <= 2


def test_a_wall_of_typos_gets_only_the_first_repairs(knowledge: Knowledge) -> None:
    """Each repair searches the vocabulary: past `MAX_REPAIRS` distinct words the rest are
    kept as written, and a repeated word gets the same repair every time."""
    normalise = knowledge.normaliser.normalise
    words = sorted({w for entry in knowledge.content.faq.faqs
                    for w in normalise(entry.question).tokens if len(w) >= 8})
    typos = [t for t in dict.fromkeys(w[:3] + w[4:] for w in words)
             if t not in knowledge.content.lexicon.kata  # repaired, not slang
             and normalise(t).tokens != (t,)][: MAX_REPAIRS + 10]
    assert len(typos) == MAX_REPAIRS + 10
    tokens = normalise(" ".join([*typos, typos[0]])).tokens
    assert len(tokens) == len(typos) + 1
    assert all(t != typo for t, typo in zip(tokens[:MAX_REPAIRS], typos, strict=False))
    assert tokens[MAX_REPAIRS:-1] == tuple(typos[MAX_REPAIRS:])
    assert tokens[-1] == tokens[0] != typos[0]
