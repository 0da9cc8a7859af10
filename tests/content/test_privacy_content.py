"""privasi.yaml: staff's mistakes in the scrubbing lists are reported at their line."""

from __future__ import annotations

from bot.content.loader import load_content
from tests.content_copy import ContentCopy

PRIVACY = "privasi.yaml"


def _errors_at(content_copy: ContentCopy) -> dict[int | None, str]:
    result = load_content(content_copy.folder)
    return {p.line: p.message for p in result.errors if p.file == PRIVACY}


def test_a_word_listed_twice_is_reported(content_copy: ContentCopy) -> None:
    first = content_copy.line_of(PRIVACY, r"^    - siti$")
    line = content_copy.insert_after(PRIVACY, r"^    - budi$", "    - siti")
    errors = _errors_at(content_copy)
    assert f"sudah ada di baris {first}" in errors[line]


def test_a_capitalised_or_numbered_word_is_reported(content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(PRIVACY, r"^    - budi$", "    - Budi2")
    assert "huruf kecil" in _errors_at(content_copy)[line]


def test_the_real_file_is_clean(content_copy: ContentCopy) -> None:
    assert _errors_at(content_copy) == {}


def test_a_tip_preview_about_trafficking_is_reported(content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(
        "tips.yaml", r"^    preview: ", '    preview: "Waspada perdagangan orang!"')
    result = load_content(content_copy.folder)
    problems = {p.line: p.message for p in result.errors if p.file == "tips.yaml"}
    assert "layar kunci" in problems[line] and "perdagangan" in problems[line]
