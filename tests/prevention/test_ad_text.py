"""Phrase matching in advertisements: whole words, longest phrase first, any punctuation between
words, whether or not a phrase starts with a letter."""

from __future__ import annotations

import time

from bot.prevention.ad_text import any_of


def spans(phrases: list[str], text: str) -> list[str]:
    regex = any_of(phrases)
    assert regex is not None
    return [m.group(0) for m in regex.finditer(text)]


def test_longest_phrase_wins_and_words_stay_whole() -> None:
    phrases = ["biaya", "biaya proses", "proses"]
    assert spans(phrases, "biaya-proses 2 juta, prosesnya cepat, tanpabiaya") == ["biaya-proses"]


def test_phrases_not_starting_with_a_letter_keep_their_place_in_the_order() -> None:
    phrases = ["@admin", "admin", "+62", "wa"]
    text = "hub @admin atau wa +62 812, admin kami, wa.me"
    assert spans(phrases, text) == ["@admin", "wa", "+62", "admin", "wa"]


def test_a_long_text_is_scanned_in_milliseconds() -> None:
    regex = any_of([f"kata{i} lain" for i in range(200)] + ["@kontak", "gaji"])
    assert regex is not None
    text = "saya kerja di kebun sawit dan gajinya kecil sekali " * 80  # 4 kB
    started = time.perf_counter()
    assert [m.group(0) for m in regex.finditer(text)] == []
    assert time.perf_counter() - started < 0.05  # one lookbehind per phrase: ~0.3 s
