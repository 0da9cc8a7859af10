"""Remove everything identifying from a question before it is stored.

Only unanswered questions are stored, for staff to turn into new FAQ examples. What staff need
is the wording; what a trafficker (or a leak) could use is a phone number, an e-mail address,
an ID or account number, a social-media handle, a link — and names, places and employers.
Numbers and addresses are found by pattern. Names cannot be: so, given the bot's `KnownWords`,
only words the bot knows are kept (an allowlist) and every other word becomes [nama], [tempat]
or [kata]. `/privasi` states these rules (content/privasi.yaml); keep the two in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.language.known_words import KnownWords, fold
from bot.storage.models import MAX_UNANSWERED_CHARS

PHONE = "[nomor]"
EMAIL = "[email]"
NUMBER = "[angka]"
HANDLE = "[akun]"
LINK = "[tautan]"
NAME = "[nama]"
PLACE = "[tempat]"
WORD = "[kata]"
MAX_CUED_WORDS = 4
"""Words after "nama saya" / "di" that may still belong to the name or place."""

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
_TOKEN = re.compile(r"\[[a-z]+\]|[^\W\d_]+|\d+")
_SENTENCE_END = frozenset(".!?\n")
_REPEATED_PLACEHOLDER = re.compile(r"(\[(?:nama|tempat|kata)\])(?:\s+\1)+")
_PLACEHOLDER = re.compile(r"\[(?:nama|tempat|kata|nomor|email|angka|akun|tautan)\]")


def without_placeholders(text: str) -> str:
    """The scrubbed text's own words: two questions alike only in what was removed are not."""
    return _PLACEHOLDER.sub(" ", text)


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


@dataclass
class _Cue:
    """What the last words announced: a name or a place follows."""

    placeholder: str
    strict: bool
    left: int = MAX_CUED_WORDS


def _cued_replacement(word: str, capitalised: bool, cue: _Cue, known: KnownWords) -> bool:
    """Whether a word right after a cue is part of the name or place (else the cue ends)."""
    if word in known.function_words or word in known.cue_words or (
            cue.placeholder == PLACE and word in known.regions):
        return False
    if capitalised or word in known.common_names:
        # A capitalised place outside Kaltim's regions goes too, even when content names it
        # ("ke Tawau"): the regions are all the geography a report needs.
        return cue.placeholder in (NAME, PLACE) or cue.strict or not known.is_content_word(word)
    if cue.placeholder == NAME or cue.strict:
        return not known.is_content_word(word)
    return not known.is_known(word)


def _uncued_replacement(word: str, capitalised: bool, sentence_start: bool,
                        known: KnownWords) -> str | None:
    if word in known.cue_words:
        return None
    if capitalised and not sentence_start:
        return None if known.is_content_word(word) else NAME
    if word in known.common_names:
        return NAME
    if known.is_known(word):
        return None
    return NAME if capitalised else WORD


def _next_cue(recent: list[str], known: KnownWords) -> _Cue | None:
    if any(tuple(recent[-len(cue):]) == cue for cue in known.name_cues):
        return _Cue(NAME, strict=True)
    if recent[-1] in known.place_nouns:
        return _Cue(PLACE, strict=True)
    if recent[-1] in known.place_cues:
        return _Cue(PLACE, strict=False)
    return None


def keep_known_words(text: str, known: KnownWords) -> str:
    """Every word the bot does not know replaced by [nama], [tempat] or [kata]."""
    parts: list[str] = []
    recent: list[str] = []
    cue: _Cue | None = None
    end = 0
    for match in _TOKEN.finditer(text):
        between, token = text[end:match.start()], match.group()
        parts.append(between)
        marks = between.replace(" ", "").replace("\t", "")
        sentence_start = (end == 0 and not marks) or marks[-1:] in _SENTENCE_END
        end = match.end()
        abbreviated = marks == "." and bool(recent) and recent[-1] in known.cue_words  # "jl."
        kept_as_is = token.startswith("[") or token.isdigit() or len(token) == 1
        if (marks and not abbreviated) or kept_as_is:
            cue = None  # punctuation, a placeholder or a number ends a name or a place
        if kept_as_is:
            parts.append(token)
            continue
        word, capitalised = fold(token), token[0].isupper()
        if cue is not None and cue.left > 0 and _cued_replacement(word, capitalised, cue, known):
            replacement: str | None = cue.placeholder
            cue.left -= 1
        else:
            replacement = _uncued_replacement(word, capitalised, sentence_start, known)
            cue = None
        parts.append(replacement or token)
        recent = [*recent[-3:], word]
        cue = _next_cue(recent, known) or cue
    parts.append(text[end:])
    return _REPEATED_PLACEHOLDER.sub(r"\1", "".join(parts))


def scrub(text: str, *, limit: int = MAX_UNANSWERED_CHARS, known: KnownWords | None = None) -> str:
    """The text with contact details replaced (and, given `known`, every unknown word),
    whitespace collapsed, at most `limit` chars."""
    cleaned = text[:MAX_SCAN_CHARS]
    for pattern, replacement in _RULES:
        cleaned = pattern.sub(replacement, cleaned)
    if known is not None:
        cleaned = keep_known_words(cleaned, known)
    cleaned = _SPACES.sub(" ", cleaned).strip()
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned
