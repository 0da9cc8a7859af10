"""`content check` for privasi.yaml: word lists the scrubber can use as written."""

from __future__ import annotations

from bot.content.problems import ContentProblem
from bot.content.yaml_source import YamlDocument

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
