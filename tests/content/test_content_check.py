"""`python -m bot content check` on broken copies of the real content: every break is reported
at the line it was made on, in Indonesian, with exit status 1 — and never as a traceback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest

from bot.cli.content_check import run_check
from bot.content import consistency, loader
from bot.content.loader import load_content
from tests.conftest import CONTENT_DIR
from tests.content.conftest import run_content_check
from tests.content_copy import ContentCopy

FAQ = "faq_id.yaml"
STATS = "stats.yaml"
Break = tuple[str, int, str]
"""(file, line, a fragment of the message expected at `file:line`)."""


def syntax_error(c: ContentCopy) -> Break:
    line = c.replace_line(FAQ, r'^    title: "Pencegahan"', '    title: "Pencegahan')
    return FAQ, line, "tanda kutip di baris ini tidak ditutup"


def missing_field(c: ContentCopy, faq_id: str = "unsur-tppo") -> Break:
    start = c.item_line(faq_id)
    c.replace_line(FAQ, r"^    question: ", "", after=start)
    return FAQ, start, f"pertanyaan '{faq_id}': kolom 'question' wajib diisi"


def misspelt_field(c: ContentCopy) -> Break:
    line = c.replace_line(FAQ, r"^    hours: ", '    jam: "24 jam"',
                          after=c.item_line("polisi-110"))
    return FAQ, line, "kolom 'jam' tidak dikenal; mungkin maksudnya 'hours'?"


def unquoted_phone(c: ContentCopy) -> Break:
    line = c.replace_line(FAQ, r"^    whatsapp: ", "    whatsapp: 08111129129",
                          after=c.item_line("sapa-129"))
    return FAQ, line, 'tulis whatsapp: "08111129129"'


def duplicate_id(c: ContentCopy) -> Break:
    line = c.replace_line(FAQ, r'^  - id: "unsur-tppo"', '  - id: "apa-itu-tppo"')
    return FAQ, line, "id pertanyaan 'apa-itu-tppo' sudah dipakai di baris"


def dangling_related(c: ContentCopy, faq_id: str = "apa-itu-tppo") -> Break:
    line = c.replace_line(FAQ, r"^    related: ", '    related: ["unsur-tppo", "tidak-ada-id"]',
                          after=c.item_line(faq_id))
    return FAQ, line, "related 'tidak-ada-id' tidak ada"


def _answer_line(c: ContentCopy, faq_id: str, text: str) -> int:
    """Insert `text` as the first line of the FAQ's `answer: |` block."""
    return c.insert_after(FAQ, r"^    answer: \|", f"      {text}", after=c.item_line(faq_id))


def dangling_placeholder(c: ContentCopy, faq_id: str = "apa-itu-tppo") -> Break:
    line = _answer_line(c, faq_id, "Hubungi juga {{hotline-fiktif}}.")
    return FAQ, line, "kanal '{{hotline-fiktif}}' tidak ada di bagian channels"


def long_answer(c: ContentCopy) -> Break:
    answer = c.line_of(FAQ, r"^    answer: \|", after=c.item_line("apa-itu-tppo"))
    _answer_line(c, "apa-itu-tppo", "kata " * 900)
    return FAQ, answer, "jawaban terlalu panjang"


def html_line_break(c: ContentCopy, faq_id: str = "apa-itu-tppo") -> Break:
    return FAQ, _answer_line(c, faq_id, "baris satu<br>baris dua"), "tag <br> tidak didukung"


def html_unclosed_bold(c: ContentCopy) -> Break:
    return FAQ, _answer_line(c, "apa-itu-tppo", "<b>tebal tanpa penutup"), "tag <b> tidak ditutup"


def html_bare_ampersand(c: ContentCopy) -> Break:
    return FAQ, _answer_line(c, "apa-itu-tppo", "syarat & ketentuan"), "'&amp;'"


def unbalanced_stats(c: ContentCopy) -> Break:
    line = c.replace_line(STATS, r"^    total: ", "    total: 99",
                          after=c.line_of(STATS, r"^  - year: 2019"))
    return STATS, line, "tidak sama dengan total (99)"


def unknown_region(c: ContentCopy) -> Break:
    line = c.replace_line(STATS, r"^      bontang: ", "      bontang-selatan: 4",
                          after=c.line_of(STATS, r"^  - year: 2019"))
    return STATS, line, "wilayah 'bontang-selatan' tidak ada di bagian regions"


def too_few_examples(c: ContentCopy, faq_id: str = "apa-itu-tppo") -> Break:
    examples = c.line_of(FAQ, r"^    examples:", after=c.item_line(faq_id))
    lines = c.text(FAQ).splitlines()
    end = examples
    while lines[end].startswith("      - "):
        end += 1
    del lines[examples + 5 : end]
    c.path(FAQ).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return FAQ, examples, f"pertanyaan '{faq_id}' baru punya 5 contoh"


def duplicate_example(c: ContentCopy) -> Break:
    first = c.line_of(FAQ, r'^      - "', after=c.item_line("apa-itu-tppo"))
    copied = c.text(FAQ).splitlines()[first - 1]
    line = c.replace_line(FAQ, r'^      - "', copied, after=c.item_line("unsur-tppo"))
    return FAQ, line, f"sudah dipakai untuk pertanyaan 'apa-itu-tppo' (baris {first})"


BREAKS: list[Callable[[ContentCopy], Break]] = [
    syntax_error, missing_field, misspelt_field, unquoted_phone, duplicate_id, dangling_related,
    dangling_placeholder, long_answer, html_line_break, html_unclosed_bold, html_bare_ampersand,
    unbalanced_stats, unknown_region, too_few_examples, duplicate_example,
]


def _reported(output: str, file: str, line: int, fragment: str) -> bool:
    prefix = f"{file}:{line}: KESALAHAN: "
    return any(row.startswith(prefix) and fragment in row for row in output.splitlines())


@pytest.mark.parametrize("make_break", BREAKS, ids=[b.__name__ for b in BREAKS])
def test_each_break_is_reported_at_its_line_and_fails(content_copy: ContentCopy,
                                                      make_break: Callable[[ContentCopy], Break]
                                                      ) -> None:
    file, line, fragment = make_break(content_copy)
    completed = run_content_check(content_copy.folder)
    assert completed.returncode == 1, completed.stdout
    assert _reported(completed.stdout, file, line, fragment), completed.stdout
    assert "Traceback" not in completed.stdout + completed.stderr
    assert "GAGAL" in completed.stdout


def test_one_file_with_several_problems_reports_all_of_them_in_one_run(
        content_copy: ContentCopy) -> None:
    # Top to bottom, so that each break's line stays where it was made.
    expected = [
        unquoted_phone(content_copy),
        html_line_break(content_copy, "apa-itu-tppo"),
        dangling_related(content_copy, "apa-itu-tppo"),
        duplicate_id(content_copy),
        dangling_placeholder(content_copy, "bentuk-eksploitasi"),
        too_few_examples(content_copy, "beda-penyelundupan"),
        missing_field(content_copy, "korban-setuju"),
    ]
    output = "\n".join(str(p) for p in load_content(content_copy.folder).problems)
    missed = [e for e in expected if not _reported(output, *e)]
    assert missed == [], output


def test_a_syntax_error_in_one_file_still_lets_the_others_be_checked(
        content_copy: ContentCopy) -> None:
    stats_line = content_copy.replace_line(STATS, r"^  - year: 2019", "  - year: [2019")
    faq_break = unquoted_phone(content_copy)
    completed = run_content_check(content_copy.folder)
    assert completed.returncode == 1
    assert f"{STATS}:{stats_line}: KESALAHAN: " in completed.stdout, completed.stdout
    assert _reported(completed.stdout, *faq_break), completed.stdout


def test_a_crash_while_checking_one_file_becomes_a_problem(
        content_copy: ContentCopy, monkeypatch: pytest.MonkeyPatch) -> None:
    faq_break = unquoted_phone(content_copy)
    validate = loader.validate_document

    def explode_on_stats(document, model):  # type: ignore[no-untyped-def]
        if document.name == STATS:
            raise RuntimeError("boom")
        return validate(document, model)

    def explode(*args: object) -> list[object]:
        raise KeyError("lexicon")

    monkeypatch.setattr(loader, "validate_document", explode_on_stats)
    monkeypatch.setattr(consistency, "_check_lexicon", explode)
    result = load_content(content_copy.folder)
    messages = [str(p) for p in result.errors]
    assert any(m.startswith(f"{STATS}: KESALAHAN: ") and "tak terduga" in m for m in messages)
    assert any(m.startswith("normalisasi.yaml: KESALAHAN: ") and "tak terduga" in m
               for m in messages)
    assert _reported("\n".join(messages), *faq_break)


def test_the_command_never_shows_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                             content_copy: ContentCopy) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise MemoryError("tiba-tiba")

    monkeypatch.setattr("bot.cli.content_check.load_content", explode)
    out = StringIO()
    assert run_check(strict=False, content_dir=content_copy.folder, out=out) == 1
    assert "kesalahan tak terduga" in out.getvalue()


def test_staff_never_see_a_traceback_even_when_the_checker_breaks(
        content_copy: ContentCopy) -> None:
    sabotage = ("import bot.content.loader as loader\n"
                "def broken(document, model):\n"
                "    raise RuntimeError('rusak')\n"
                "loader.validate_document = broken")
    completed = run_content_check(content_copy.folder, python_code=sabotage)
    assert completed.returncode == 1
    assert "Traceback" not in completed.stdout + completed.stderr
    assert f"{FAQ}: KESALAHAN: pemeriksaan berkas ini berhenti karena kesalahan tak terduga " \
           "(RuntimeError: rusak)" in completed.stdout


def test_an_impossible_date_is_reported_at_its_line(content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(FAQ, r"^    verified_on: ", "    verified_on: 2026-13-28",
                                     after=content_copy.item_line("sapa-129"))
    result = load_content(content_copy.folder)
    assert any(p.line == line and "TTTT-BB-HH" in p.message for p in result.errors)


def test_warnings_pass_but_fail_with_strict(content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(FAQ, r"^    reported_on: ", "    reported_on: null",
                                     after=content_copy.item_line("sapa-129"))
    relaxed = run_content_check(content_copy.folder)
    assert relaxed.returncode == 0, relaxed.stdout
    assert (f"{FAQ}:{line}: PERINGATAN: kanal 'sapa-129': tanggal nomor ini tidak diketahui"
            in relaxed.stdout)
    assert "LULUS" in relaxed.stdout
    strict = run_content_check(content_copy.folder, "--strict")
    assert strict.returncode == 1
    assert "GAGAL (--strict)" in strict.stdout


def test_the_real_content_passes() -> None:
    completed = run_content_check(CONTENT_DIR)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "\n0 kesalahan" in completed.stdout
    assert "Uji arah contoh:" in completed.stdout


def test_old_and_missing_verification_dates_are_warnings(content_copy: ContentCopy) -> None:
    start = content_copy.item_line("polisi-110")
    line = content_copy.replace_line(FAQ, r"^    verified_on: ", '    verified_on: "2025-01-01"',
                                     after=start)
    content_copy.replace_line(FAQ, r"^    status: ", "    status: confirmed", after=start)
    result = load_content(content_copy.folder, today=date(2026, 2, 1))
    assert result.bundle is not None
    assert any(p.line == line and "lebih dari 12 bulan" in p.message for p in result.warnings)
    assert not any("polisi-110" in p.message for p in result.errors)


def test_a_report_date_is_not_a_confirmation(content_copy: ContentCopy) -> None:
    """verified_on is for staff's own check; a confirmed status without it is an error."""
    start = content_copy.item_line("polisi-110")
    line = content_copy.replace_line(FAQ, r"^    status: ", "    status: confirmed", after=start)
    result = load_content(content_copy.folder, today=date(2026, 2, 1))
    assert any(p.line == line and "verified_on kosong" in p.message for p in result.errors)


def test_a_long_answer_is_a_warning_unless_a_reason_is_recorded(
        content_copy: ContentCopy) -> None:
    start = content_copy.item_line("apa-itu-tppo")
    long_answer = "    answer: |\n      " + "kata " * 200
    answer = content_copy.replace_line(FAQ, r"^    answer: ", long_answer, after=start)
    result = load_content(content_copy.folder)
    assert any(p.line == answer and "long_reason" in p.message for p in result.warnings)
    content_copy.replace_line(FAQ, r"^    sources:", '    long_reason: "uji"\n    sources:',
                              after=start)
    result = load_content(content_copy.folder)
    assert not any("'apa-itu-tppo'" in p.message and "long_reason" in p.message
                   for p in result.warnings)


def test_a_channel_pointing_at_an_unknown_region_is_an_error(content_copy: ContentCopy) -> None:
    start = content_copy.item_line("polres-berau")
    line = content_copy.replace_line(FAQ, r"^    regions: ", "    regions: [beraw]", after=start)
    result = load_content(content_copy.folder)
    assert any(p.line == line and "'beraw'" in p.message and "berau" in p.message
               for p in result.errors)


def test_a_faq_without_sources_is_a_warning(content_copy: ContentCopy) -> None:
    start = content_copy.item_line("apa-itu-tppo")
    content_copy.replace_line(FAQ, r"^    sources:", "", after=start)
    content_copy.replace_line(FAQ, r'^      - "UU No', "", after=start)
    result = load_content(content_copy.folder)
    assert result.bundle is not None, [str(p) for p in result.errors]
    assert any(p.line == start and "sources" in p.message for p in result.warnings)


def test_a_misnamed_content_file_is_pointed_out(content_copy: ContentCopy) -> None:
    (content_copy.folder / "Stats.yml").write_text("years: []\n", encoding="utf-8")
    result = load_content(content_copy.folder)
    assert any(p.file == "Stats.yml" and "stats.yaml" in p.message for p in result.warnings)


def test_repeated_keys_are_all_reported_and_checking_goes_on(content_copy: ContentCopy) -> None:
    first = content_copy.insert_after(FAQ, r'^    name: "Polisi 110"', '    name: "Polisi"')
    second = content_copy.insert_after(STATS, r"^    total: 6", "    total: 6")
    phone = unquoted_phone(content_copy)
    output = "\n".join(str(p) for p in load_content(content_copy.folder).problems)
    assert f"{FAQ}:{first}: KESALAHAN: kunci 'name' sudah ditulis di baris {first - 1}" in output
    assert f"{STATS}:{second}: KESALAHAN: kunci 'total' sudah ditulis" in output
    assert _reported(output, *phone), output
