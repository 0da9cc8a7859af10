"""`content check`: every problem in every content file at once, as `file:line: message`.

Staff run this after every edit, so it must never end in a Python traceback: anything
unexpected becomes one more line of the report.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from bot.content.loader import FAQ_FILE, LoadResult, load_content
from bot.settings import Settings

log = logging.getLogger(__name__)


def run_check(*, strict: bool, content_dir: Path | None = None, today: date | None = None,
              out: TextIO | None = None) -> int:
    """Exit status 1 on errors (and, with `strict`, on warnings and misrouted examples)."""
    out = out or _console()
    _quiet_logging()
    folder = content_dir or _content_dir(out)
    try:
        return _check(folder, strict=strict, today=today, out=out)
    except Exception as error:
        log.debug("content check failed", exc_info=True)
        print(f"\nPemeriksaan berhenti karena kesalahan tak terduga ({type(error).__name__}: "
              f"{error}). Kabari tim teknis; konten belum dinyatakan lolos.", file=out)
        return 1


def _check(folder: Path, *, strict: bool, today: date | None, out: TextIO) -> int:
    print(f"Memeriksa konten di {folder}/ ...", file=out)
    result = load_content(folder, today=today)
    for problem in result.problems:
        print(problem, file=out)
    errors, warnings = len(result.errors), len(result.warnings)
    misrouted = _routing(result, out) if result.bundle is not None else 0
    print(f"\nSelesai: {errors} kesalahan, {warnings} peringatan, {misrouted} contoh salah arah.",
          file=out)
    if errors:
        print("GAGAL: perbaiki kesalahan di atas. Selama masih ada kesalahan, bot tetap memakai "
              "konten versi sebelumnya.", file=out)
        return 1
    if strict and (warnings or misrouted):
        print("GAGAL (--strict): peringatan dan contoh salah arah juga harus dibereskan.",
              file=out)
        return 1
    print("LULUS: konten boleh dipakai.", file=out)
    return 0


def _routing(result: LoadResult, out: TextIO) -> int:
    """The held-out routing check; its own failure must not hide the content verdict."""
    from bot.content.routing_check import check_routing

    assert result.bundle is not None
    print("\nUji arah contoh: setiap contoh disembunyikan dari bot lalu ditanyakan ...", file=out)
    try:
        report = check_routing(result.bundle)
    except Exception as error:
        log.debug("routing check failed", exc_info=True)
        print(f"{FAQ_FILE}: PERINGATAN: uji arah contoh tidak bisa dijalankan "
              f"({type(error).__name__}: {error}); kabari tim teknis", file=out)
        return 0
    document = result.documents.get(FAQ_FILE)
    for routed in [*report.misrouted, *report.by_design]:
        print(routed.describe(document), file=out)
    print(report.summary(), file=out)
    return len(report.misrouted)


def _content_dir(out: TextIO) -> Path:
    """CONTENT_DIR from the settings; an unrelated bad setting must not block a content check."""
    try:
        return Settings().content_dir
    except ValidationError:
        folder = Path(os.environ.get("CONTENT_DIR", "content"))
        print(f"(Pengaturan bot lain tidak sah; konten tetap diperiksa di {folder}/)", file=out)
        return folder


def _quiet_logging() -> None:
    """Staff must not see tracebacks that the loader logs for developers; LOG_LEVEL=DEBUG
    shows them."""
    if os.environ.get("LOG_LEVEL", "").upper() == "DEBUG":
        logging.basicConfig(level=logging.DEBUG)
    else:
        logging.getLogger("bot").addHandler(logging.NullHandler())


def _console() -> TextIO:
    """Windows consoles may not encode every character; a '?' beats a crash."""
    stream = sys.stdout
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")
    return stream
