"""Remove contact details and identifying numbers from a question before it is stored.

Only unanswered questions are stored, for staff to turn into new FAQ examples. What staff need
is the wording; what a trafficker (or a leak) could use is a phone number, an e-mail address,
an ID or account number, a social-media handle or a link. Those become neutral tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.storage.models import MAX_UNANSWERED_CHARS

PHONE = "[nomor]"
EMAIL = "[email]"
NUMBER = "[angka]"
HANDLE = "[akun]"
LINK = "[tautan]"

MAX_SCAN_CHARS = 4096
"""Telegram's own message limit; longer input is cut before scanning, never after."""
LONG_DIGIT_RUN = 6
"""NIK (16), bank accounts (10–16), passport and card numbers; years and prices stay."""
MIN_GROUPED_DIGITS = 10
"""Digits in "6471 0203 ..." style groups; below this "2020-2023" or "5.000.000" stay."""
PHONE_DIGITS = range(9, 16)

# Short-link and common top-level domains seen in recruitment scams; a word.word typo
# without a space ("saya.kerja") must not become a link, so the list is explicit.
_TLDS = (
    "com|net|org|id|co|io|me|ly|info|biz|xyz|site|online|top|link|club|shop|store|app|dev"
    "|ee|gl|gd|cc|tk|ml|ga|cf|gq|my|sg|asia|live|vip|icu|fun|space|website|tech|ws|sh|gg"
)
_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.I)
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,24}/\S*",
    re.I,
)
_BARE_DOMAIN = re.compile(rf"\b(?:[a-z0-9-]+\.)+(?:{_TLDS})\b(?![.\w])", re.I)
_PHONE = re.compile(r"(?<![\w+])(?<!\d[ .-])(?:\(0\d{2,4}\)|\+\s?62|62|0)[\d\s().\-]{6,}\d")
_MOBILE_WITHOUT_PREFIX = re.compile(r"(?<![\w+])8\d{2}[\s.-]\d{3,4}[\s.-]\d{3,5}(?!\d)")
_GROUPED_DIGITS = re.compile(r"(?<![\w])\d+(?:[ .\-]\d+)+")
_DIGIT_RUN = re.compile(rf"\d{{{LONG_DIGIT_RUN},}}")
_HANDLE = re.compile(r"(?<![\w.@])@[a-z0-9_](?:[a-z0-9_.]*[a-z0-9_])?", re.I)
_SPACES = re.compile(r"\s+")


def _digit_count(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _phone(match: re.Match[str]) -> str:
    digits = _digit_count(match.group())
    if digits in PHONE_DIGITS:
        return PHONE
    return NUMBER if digits >= LONG_DIGIT_RUN else match.group()


def _grouped(match: re.Match[str]) -> str:
    return NUMBER if _digit_count(match.group()) >= MIN_GROUPED_DIGITS else match.group()


# Order matters: e-mails before links (gmail.com), links before phones (wa.me/62812…),
# phones before bare digit runs, handles last (so "user@mail.com" is an e-mail).
_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (_EMAIL, EMAIL),
    (_URL, LINK),
    (_BARE_DOMAIN, LINK),
    (_PHONE, _phone),
    (_MOBILE_WITHOUT_PREFIX, PHONE),
    (_GROUPED_DIGITS, _grouped),
    (_DIGIT_RUN, NUMBER),
    (_HANDLE, HANDLE),
)


def scrub(text: str, *, limit: int = MAX_UNANSWERED_CHARS) -> str:
    """The text with contact details replaced, whitespace collapsed, at most `limit` chars."""
    cleaned = text[:MAX_SCAN_CHARS]
    for pattern, replacement in _RULES:
        cleaned = pattern.sub(replacement, cleaned)
    cleaned = _SPACES.sub(" ", cleaned).strip()
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned
