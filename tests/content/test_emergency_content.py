"""`darurat.yaml` is checked like every content file: schema and cross-file problems at their
line, in Indonesian; and pesan.yaml may only tell people in danger to type a word it lists."""

from __future__ import annotations

from bot.content.loader import EMERGENCY_FILE, MESSAGES_FILE, load_content
from bot.content.problems import ContentProblem, Severity
from tests.content_copy import ContentCopy


def _errors_at(content_copy: ContentCopy, file: str, line: int) -> list[str]:
    result = load_content(content_copy.folder)
    assert result.bundle is None, "the broken content was accepted"
    return [p.message for p in result.problems
            if (p.file, p.line, p.severity) == (file, line, Severity.ERROR)]


def _all(content_copy: ContentCopy) -> list[ContentProblem]:
    return load_content(content_copy.folder).problems


def test_an_instruction_to_type_a_word_not_listed_is_an_error_at_its_pesan_line(
        content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(
        MESSAGES_FILE, r"Ketik <b>darurat</b>",
        "  Dalam bahaya sekarang? Ketik <b>bantuan</b> atau telepon {{polisi-110}}.")
    [message] = _errors_at(content_copy, MESSAGES_FILE, line)
    assert "mengetik 'bantuan'" in message and "ketik.kata" in message


def test_removing_the_typed_word_from_darurat_yaml_is_caught_too(
        content_copy: ContentCopy) -> None:
    content_copy.replace_line(EMERGENCY_FILE, r"^  kata: \[darurat", "  kata: [sos]")
    line = content_copy.line_of(MESSAGES_FILE, r"Ketik <b>darurat</b>")
    [message] = _errors_at(content_copy, MESSAGES_FILE, line)
    assert "'darurat' tidak ada di ketik.kata (darurat.yaml)" in message


def test_an_instruction_that_is_not_about_danger_is_left_alone(
        content_copy: ContentCopy) -> None:
    content_copy.replace_line(MESSAGES_FILE, r'^menu: ',
                              'menu: "Ketik <b>menu</b> kapan saja untuk kembali ke sini:"')
    assert load_content(content_copy.folder).bundle is not None


def test_a_word_with_a_space_in_a_word_list_is_an_error_at_its_line(
        content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(EMERGENCY_FILE, r"^    kata: \[culik,",
                                     '    kata: ["di culik", nyulik, tebus]')
    [message] = _errors_at(content_copy, EMERGENCY_FILE, line)
    assert "'kata' tidak sah ('di culik'): satu kata saja" in message


def test_a_word_written_in_two_places_is_an_error_naming_the_first(
        content_copy: ContentCopy) -> None:
    first = content_copy.line_of(EMERGENCY_FILE, r"^    kata: \[culik,")
    line = content_copy.replace_line(EMERGENCY_FILE, r"^  kata: \[masih, still\]",
                                     "  kata: [masih, still, culik]")
    [message] = _errors_at(content_copy, EMERGENCY_FILE, line)
    assert f"'culik' sudah ada di baris {first} (tanda bahaya 'diculik')" in message


def test_a_signal_without_words_and_a_repeated_id_are_errors(
        content_copy: ContentCopy) -> None:
    line = content_copy.insert_after(EMERGENCY_FILE, r"^tanda_bahaya:",
                                     '  - id: dikurung\n    arti: "kosong"\n    kekuatan: kuat\n')
    original = content_copy.line_of(EMERGENCY_FILE, r"^  - id: dikurung", after=line + 3)
    [empty] = _errors_at(content_copy, EMERGENCY_FILE, line)
    assert "tanda bahaya 'dikurung' belum punya kata maupun frasa" in empty
    [repeated] = _errors_at(content_copy, EMERGENCY_FILE, original)
    assert f"id tanda bahaya 'dikurung' sudah dipakai di baris {line}" in repeated


def test_an_unknown_strength_is_explained_in_indonesian(content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(EMERGENCY_FILE, r"^    kekuatan: kuat",
                                     "    kekuatan: sedang")
    [message] = _errors_at(content_copy, EMERGENCY_FILE, line)
    assert "'kekuatan' harus salah satu dari: 'kuat' atau 'lemah'" in message


def test_a_one_word_phrase_is_a_warning_only(content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(EMERGENCY_FILE, r'^  frasa: \["tidak pernah", "belum',
                                     '  frasa: ["hingga", "tidak pernah", "belum pernah"]')
    warnings = [p for p in _all(content_copy) if (p.file, p.line) == (EMERGENCY_FILE, line)]
    assert [p.severity for p in warnings] == [Severity.WARNING]
    assert "frasa 'hingga' hanya satu kata" in warnings[0].message
    assert load_content(content_copy.folder).bundle is not None


def test_a_missing_file_is_an_error(content_copy: ContentCopy) -> None:
    content_copy.path(EMERGENCY_FILE).unlink()
    result = load_content(content_copy.folder)
    assert result.bundle is None
    assert any(p.file == EMERGENCY_FILE for p in result.errors)


def test_a_word_that_normalisasi_rewrites_into_another_section_is_pointed_out(
        content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(EMERGENCY_FILE, r"^  kata: \[urgent, emergency\]",
                                     "  kata: [urgent, emergency, help, sih]")
    found = {p.message for p in _all(content_copy)
             if (p.file, p.line, p.severity) == (EMERGENCY_FILE, line, Severity.WARNING)}
    assert any("'help' dibakukan menjadi 'tolong'" in m and "bagian minta_tolong" in m
               for m in found), found
    assert any("'sih' dihapus oleh normalisasi.yaml" in m for m in found), found
