"""`content check` for privasi.yaml: word lists the scrubber can use as written."""

from __future__ import annotations

from bot.content.problems import ContentProblem
from bot.content.telegram_html import strip_html
from bot.content.yaml_source import YamlDocument
from bot.language.known_words import fold

WORD_LISTS = ("function_words", "name_cues", "place_cues", "place_nouns", "common_names")


def check_privacy(document: YamlDocument) -> list[ContentProblem]:
    """Every entry lowercase letters (a cue may be several words), none listed twice."""
    data = document.data if isinstance(document.data, dict) else {}
    lists = data.get("scrubbing")
    problems: list[ContentProblem] = []
    for name in WORD_LISTS:
        words = lists.get(name) if isinstance(lists, dict) else None
        seen: dict[str, int] = {}
        for index, word in enumerate(words if isinstance(words, list) else []):
            line = document.line_of(("scrubbing", name, index))
            if not isinstance(word, str):
                continue
            if not all(part.isalpha() and part.islower() for part in word.split()):
                problems.append(ContentProblem(document.name, line,
                    f"'{word}' di {name}: tulis huruf kecil saja, tanpa angka atau tanda baca"))
            if word in seen:
                problems.append(ContentProblem(document.name, line,
                    f"'{word}' di {name} sudah ada di baris {seen[word]}; hapus salah satunya"))
            seen.setdefault(word, line or 0)
    return problems


def _lock_screen_words(privacy: YamlDocument) -> frozenset[str]:
    data = privacy.data if isinstance(privacy.data, dict) else {}
    words = data.get("lock_screen_words")
    return frozenset(w for w in words if isinstance(w, str)) if isinstance(words, list) else \
        frozenset()


def _revealing(text: str, forbidden: frozenset[str]) -> list[str]:
    words = "".join(c if c.isalnum() else " " for c in fold(strip_html(text))).split()
    return sorted(forbidden.intersection(words))


def check_lock_screen(privacy: YamlDocument, tips: YamlDocument | None,
                      messages: YamlDocument | None) -> list[ContentProblem]:
    """A tip's first line and the neutral line show on a lock screen: no word that gives away
    what the bot is about (`lock_screen_words`)."""
    forbidden = _lock_screen_words(privacy)
    places: list[tuple[YamlDocument, tuple[str | int, ...]]] = []
    if tips is not None and isinstance(tips.data, dict) and isinstance(tips.data.get("tips"), list):
        places += [(tips, ("tips", index, "preview")) for index in range(len(tips.data["tips"]))]
    if messages is not None:
        places.append((messages, ("neutral_line",)))
    problems = []
    for document, path in places:
        text = document.value_at(path)
        found = _revealing(text, forbidden) if isinstance(text, str) else []
        if found:
            problems.append(ContentProblem(document.name, document.line_of(path),
                f"baris ini terlihat di layar kunci HP dan memuat {', '.join(found)}; tulis "
                "kalimat biasa tanpa kata tentang TPPO (lihat lock_screen_words di privasi.yaml)"))
    return problems
