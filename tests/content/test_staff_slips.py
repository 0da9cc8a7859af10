"""The slips staff really made (issue 16), each reported in Indonesian at the line they typed."""

from __future__ import annotations

from bot.content.loader import load_content
from bot.content.problems import ContentProblem, Severity
from tests.content_copy import ContentCopy

FAQ = "faq_id.yaml"
LEXICON = "normalisasi.yaml"


def problems_at(content_copy: ContentCopy, file_name: str) -> list[ContentProblem]:
    return [p for p in load_content(content_copy.folder).problems if p.file == file_name]


def test_a_word_typed_inside_the_header_comment(content_copy: ContentCopy) -> None:
    line = content_copy.insert_after(LEXICON, r"^#   3\. Sebelah KIRI", "     lihat juga kamus")
    [problem] = problems_at(content_copy, LEXICON)
    assert problem.line == line
    assert "tidak diawali tanda pagar '#'" in problem.message
    assert "expected" not in problem.message and "document" not in problem.message


def test_a_word_typed_between_group_comments(content_copy: ContentCopy) -> None:
    line = content_copy.insert_after(LEXICON, r"^  # 1\. SINGKATAN", "  catatan staf")
    [problem] = problems_at(content_copy, LEXICON)
    assert (problem.line, problem.severity) == (line, Severity.ERROR)
    assert "tambahkan '#' di awal baris ini" in problem.message


def test_a_missing_colon_in_a_slang_line(content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(LEXICON, r"^  gw: ", "  gw saya")
    [problem] = problems_at(content_copy, LEXICON)
    assert problem.line == line
    assert "tidak punya tanda titik dua ':'" in problem.message and "'gw: saya'" in problem.message


def test_an_answer_line_indented_four_instead_of_six(content_copy: ContentCopy) -> None:
    start = content_copy.item_line("apa-itu-tppo")
    answer = content_copy.line_of(FAQ, r"^    answer: \|", after=start)
    line = content_copy.line_of(FAQ, r"^      Menurut UU", after=answer)  # not the first line
    text = content_copy.text(FAQ).splitlines()[line - 1]
    content_copy.replace_line(FAQ, r".*", "    " + text.strip(), after=line)
    [problem] = problems_at(content_copy, FAQ)
    assert problem.line == line
    assert "menjorok 4 spasi" in problem.message and "harus menjorok 6 spasi" in problem.message
    assert "titik dua" not in problem.message


def test_a_slang_word_appended_under_frasa_is_a_warning(content_copy: ContentCopy) -> None:
    with content_copy.path(LEXICON).open("a", encoding="utf-8") as stream:
        stream.write("  bgwi: bekerja\n")
    line = len(content_copy.text(LEXICON).splitlines())
    result = load_content(content_copy.folder)
    assert result.bundle is not None
    [warning] = [p for p in result.warnings if p.file == LEXICON]
    assert warning.line == line
    assert "'bgwi' hanya satu kata tetapi tertulis di bagian frasa:" in warning.message
    assert "pindahkan baris 'bgwi: bekerja' ke atas baris 'frasa:'" in warning.message


def test_a_slang_chain_is_a_warning(content_copy: ContentCopy) -> None:
    target = content_copy.line_of(LEXICON, r"^  bagawi: bekerja")
    line = content_copy.insert_after(LEXICON, r"^  bagawi: bekerja", "  bgwi: bagawi")
    [warning] = [p for p in load_content(content_copy.folder).warnings if p.file == LEXICON]
    assert warning.line == line
    assert (f"'bgwi' diubah menjadi 'bagawi', padahal 'bagawi' sendiri diubah menjadi 'bekerja' "
            f"(baris {target})") in warning.message
    assert "tulis langsung bgwi: bekerja" in warning.message
