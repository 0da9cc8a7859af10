"""`luar_topik.yaml`: checked like the other files, every problem with its line."""

from __future__ import annotations

from bot.content.loader import load_content
from tests.content_copy import ContentCopy


def test_a_message_that_is_also_an_faq_example_is_an_error_at_its_line(
        content_copy: ContentCopy) -> None:
    example_line = content_copy.line_of("faq_id.yaml", r"^    examples:") + 1
    example = content_copy.text("faq_id.yaml").splitlines()[example_line - 1].strip()[2:]
    line = content_copy.insert_after("luar_topik.yaml", r"^examples:", f"  - {example}")
    duplicate = content_copy.insert_after("luar_topik.yaml", r"^examples:",
                                          '  - "jadwal kapal feri ke penajam hari ini"')
    content_copy.insert_after("luar_topik.yaml", r"^examples:",
                              '  - "jadwal kapal feri ke penajam hari ini"')
    result = load_content(content_copy.folder)
    assert result.bundle is None
    messages = [str(p) for p in result.problems if p.file == "luar_topik.yaml"]
    assert any(m.startswith(f"luar_topik.yaml:{line + 2}:") and "juga contoh pertanyaan" in m
               and f"faq_id.yaml:{example_line}" in m for m in messages), messages
    assert any(m.startswith(f"luar_topik.yaml:{duplicate + 1}:") and "sudah ditulis" in m
               for m in messages), messages


def test_schema_errors_name_the_line(content_copy: ContentCopy) -> None:
    unknown = content_copy.insert_after("luar_topik.yaml", r"^version: 1", "contoh_lain: []")
    line = content_copy.insert_after("luar_topik.yaml", r"^examples:", "  - 12345")
    result = load_content(content_copy.folder)
    assert result.bundle is None
    wheres = [p.where for p in result.errors if p.file == "luar_topik.yaml"]
    assert sorted(wheres) == sorted([f"luar_topik.yaml:{unknown}", f"luar_topik.yaml:{line}"])
