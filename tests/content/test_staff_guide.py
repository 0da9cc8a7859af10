"""The staff guide's YAML examples can be pasted where the guide says and pass the check."""

from __future__ import annotations

import re

import pytest

from bot.content.loader import load_content
from tests.conftest import ROOT
from tests.content_copy import ContentCopy

GUIDE = ROOT / "content" / "README.md"
_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
_WHERE = re.compile(r'^# tempel di: (\S+), di bawah baris "([^"]+)"$')


def guide_examples() -> list[tuple[str, str, str]]:
    """(file, anchor line, text) of every YAML example in the guide."""
    examples = []
    for block in _BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        first, _, body = block.partition("\n")
        where = _WHERE.match(first)
        assert where, f"a YAML example without '# tempel di: ...' on its first line:\n{block}"
        examples.append((where.group(1), where.group(2), body.rstrip("\n")))
    return examples


def test_the_guide_has_an_example_for_each_kind_of_entry() -> None:
    files = [file for file, _, _ in guide_examples()]
    assert {"faq_id.yaml", "stats.yaml", "normalisasi.yaml"} <= set(files)


@pytest.mark.parametrize(("file_name", "anchor", "text"), guide_examples(),
                         ids=lambda value: str(value)[:30])
def test_each_example_pasted_as_the_guide_says_passes(content_copy: ContentCopy,
                                                      file_name: str, anchor: str,
                                                      text: str) -> None:
    before = {(p.file, p.message) for p in load_content(content_copy.folder).warnings}
    content_copy.insert_after(file_name, rf"^{re.escape(anchor)}\s*$", text)
    result = load_content(content_copy.folder)
    assert result.errors == [], "\n".join(str(p) for p in result.errors)
    new_warnings = [str(p) for p in result.warnings if (p.file, p.message) not in before]
    allowed = ("belum pernah dikonfirmasi",)  # the channel template has no number yet
    assert all(any(a in w for a in allowed) for w in new_warnings), new_warnings


def test_the_guides_answer_lines_are_whole_paragraphs() -> None:
    """The guide itself says an Enter inside an answer breaks the line on the phone."""
    for _, _, text in guide_examples():
        lines = text.splitlines()
        for number, line in enumerate(lines):
            if line.strip() == "answer: |":
                body = []
                for text_line in lines[number + 1 :]:
                    if re.match(r"^    \S", text_line):  # the next field: the answer ended
                        break
                    body.append(text_line)
                assert all(x.rstrip().endswith((".", ":", "?", "!", ">")) for x in body if x), body
