"""`content check` reads top-down for staff: errors, then what their own change did (compared with
the last content that passed), then a short summary; the full routing list only with --verbose.

The routing check itself (slow, being replaced) is covered in test_routing_check.py; here a
stand-in that routes from a table lets the layout be tested in seconds on the real content.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

from bot.cli.content_check import run_check
from bot.content.bundle import ContentBundle
from bot.content.routing_check import RoutedExample, RoutingReport
from bot.engine.reply import Intent
from tests.content_copy import ContentCopy

FAQ = "faq_id.yaml"
NEW_FAQ = """\
  - id: "uji-tata-letak"
    category: "kerja-luar-negeri"
    question: "Pertanyaan uji tata letak?"
    examples:
      - "contoh uji satu"
      - "contoh uji dua"
      - "contoh uji tiga"
      - "contoh uji empat"
      - "contoh uji lima"
      - "contoh uji enam"
    answer: |
      Jawaban uji tata letak.
    sources:
      - "Uji"
"""


class TableRouter:
    """Every example reaches its own FAQ, except those listed in `astray` (example -> landing)."""

    def __init__(self) -> None:
        self.astray: dict[str, str] = {}

    def __call__(self, bundle: ContentBundle) -> RoutingReport:
        results = []
        for faq_position, entry in enumerate(bundle.faq.faqs):
            for example_position, example in enumerate(entry.examples):
                landing = self.astray.get(example, entry.id)
                results.append(RoutedExample(
                    faq_id=entry.id, faq_position=faq_position,
                    example_position=example_position, example=example,
                    intent=Intent.FALLBACK if landing == "fallback" else Intent.FAQ,
                    landed_on=None if landing == "fallback" else landing))
        return RoutingReport(tuple(results), 0.1)


def check(content_copy: ContentCopy, router: TableRouter, *args: str) -> tuple[int, str]:
    out = StringIO()
    status = run_check(strict="--strict" in args, verbose="--verbose" in args,
                       content_dir=content_copy.folder,
                       data_dir=content_copy.folder.parent / "data", out=out, route=router)
    return status, out.getvalue()


def sections(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("== ")]


def first_example(content_copy: ContentCopy, faq_id: str) -> tuple[int, str]:
    line = content_copy.line_of(FAQ, r'^      - "', after=content_copy.item_line(faq_id))
    return line, content_copy.text(FAQ).splitlines()[line - 1].strip()[3:-1]


def test_after_adding_one_faq_its_lines_come_first_and_the_rest_is_a_summary(
        content_copy: ContentCopy) -> None:
    router = TableRouter()
    old_line, old_example = first_example(content_copy, "apa-itu-tppo")
    unrelated_line, unrelated = first_example(content_copy, "unsur-tppo")
    router.astray[unrelated] = "fallback"  # misrouted before and after: not part of the change
    status, first = check(content_copy, router)
    assert status == 0 and "Belum ada catatan konten terakhir yang lulus" in first
    assert (content_copy.folder.parent / "data" / "content-last-good.json").is_file()

    with content_copy.path(FAQ).open("a", encoding="utf-8") as stream:
        stream.write(NEW_FAQ)
    new_line = content_copy.item_line("uji-tata-letak")
    router.astray["contoh uji dua"] = "fallback"
    router.astray[old_example] = "uji-tata-letak"  # pulled away by the new entry
    status, output = check(content_copy, router)
    assert status == 0
    assert sections(output) == ["== Perubahan Anda ==", "== Ringkasan =="]
    changes = output.split("== Perubahan Anda ==")[1].split("== Ringkasan ==")[0]
    assert f"{FAQ}:{new_line}: pertanyaan baru 'uji-tata-letak' (6 contoh)" in changes
    assert "contoh 'contoh uji dua' milik 'uji-tata-letak' malah diarahkan ke 'fallback'" \
        in changes
    assert (f"{FAQ}:{old_line}: contoh '{old_example}' milik 'apa-itu-tppo' malah diarahkan ke "
            "'uji-tata-letak'") in changes
    assert "sebelumnya ke 'apa-itu-tppo'" in changes
    assert unrelated not in output  # only with --verbose
    assert len(changes.strip().splitlines()) == 4
    assert "3 salah arah" in output and "tambahkan --verbose" in output

    _, verbose = check(content_copy, router, "--verbose")
    assert f"{FAQ}:{unrelated_line}: contoh '{unrelated}' milik 'unsur-tppo'" in verbose


def test_an_edited_entry_and_a_new_warning_are_listed(content_copy: ContentCopy) -> None:
    router = TableRouter()
    check(content_copy, router)
    content_copy.insert_after(FAQ, r"^    examples:", '      - "contoh tambahan uji"',
                              after=content_copy.item_line("apa-itu-tppo"))
    line = content_copy.replace_line(FAQ, r"^    reported_on: ", '    reported_on: "2024-01-28"',
                                     after=content_copy.item_line("sapa-129"))
    status, output = check(content_copy, router)
    assert status == 0
    assert (f"{FAQ}:{content_copy.item_line('apa-itu-tppo')}: pertanyaan 'apa-itu-tppo' diubah "
            "(examples +1 -0)") in output
    assert (f"{FAQ}:{line}: PERINGATAN: kanal 'sapa-129': nomornya terakhir diberitakan "
            "28-01-2024, lebih dari 12 bulan lalu") in output
    assert "(baru)" in output


def test_errors_come_first_and_the_summary_never_claims_a_routing_result(
        content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(FAQ, r"^    whatsapp: ", "    whatsapp: 08111129129",
                                     after=content_copy.item_line("sapa-129"))
    status, output = check(content_copy, TableRouter())
    assert status == 1
    assert sections(output)[0] == "== Kesalahan (1) — harus diperbaiki =="
    errors = output.split("== Kesalahan")[1].split("==")[1]
    assert f"{FAQ}:{line}: KESALAHAN:" in errors
    assert not re.search(r"\d+ (contoh )?salah arah", output)
    assert "Uji arah contoh tidak dijalankan karena masih ada kesalahan." in output
    assert not (content_copy.folder.parent / "data" / "content-last-good.json").exists()


def test_a_failing_check_does_not_replace_the_last_good_snapshot(
        content_copy: ContentCopy) -> None:
    router = TableRouter()
    check(content_copy, router)
    snapshot = content_copy.folder.parent / "data" / "content-last-good.json"
    saved = snapshot.read_bytes()
    content_copy.replace_line(FAQ, r'^    title: "Pencegahan"', '    title: "Pencegahan')
    assert check(content_copy, router)[0] == 1
    assert snapshot.read_bytes() == saved


def test_the_wrapper_script_works_from_any_folder(content_copy: ContentCopy,
                                                  tmp_path: Path) -> None:
    import os
    import subprocess

    from tests.conftest import ROOT

    line = content_copy.replace_line(FAQ, r"^    whatsapp: ", "    whatsapp: 08111129129",
                                     after=content_copy.item_line("sapa-129"))
    env = {**os.environ, "CONTENT_DIR": str(content_copy.folder),
           "DATA_DIR": str(tmp_path / "data")}
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = "/usr/bin:/bin"  # as staff have it: no virtual environment active
    done = subprocess.run(["bash", str(ROOT / "scripts" / "content-check.sh")], cwd="/",
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    assert f"{FAQ}:{line}: KESALAHAN:" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
