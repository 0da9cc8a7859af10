"""`content check`: every problem in every content file at once, as `file:line: message`.

Staff run this after every edit, so it must never end in a Python traceback: anything
unexpected becomes one more line of the report.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from bot.content.bundle import ContentBundle
from bot.content.change_report import (
    SNAPSHOT_FILE,
    Snapshot,
    describe_changes,
    load_snapshot,
    save_snapshot,
    take_snapshot,
)
from bot.content.loader import FAQ_FILE, LoadResult, load_content
from bot.content.routing_check import RoutingReport, check_routing
from bot.settings import Settings

log = logging.getLogger(__name__)


RoutingCheck = Callable[[ContentBundle], RoutingReport]
ROUTING_MODEL_DIR = Path("cache") / "content-check"
"""Under the data folder: the model the last check trained, so checking again after editing
only answers or dates does not train again (seconds of CPU). Apart from the bot's own `cache/`
because a bot with a sentence encoder keeps another model there, and a store keeps only one."""


def run_check(*, strict: bool, verbose: bool = False, content_dir: Path | None = None,
              data_dir: Path | None = None, today: date | None = None,
              out: TextIO | None = None, route: RoutingCheck | None = None) -> int:
    """Exit status 1 on errors (and, with `strict`, on warnings and misrouted examples).

    The report reads top-down: errors, then what this edit changed (compared with the last
    content that passed), then a short summary; `verbose` adds every warning and every
    misrouted example.
    """
    out = out or _console()
    _quiet_logging()
    folder = content_dir or _content_dir(out)
    data = data_dir or _data_dir(content_dir)
    route = route or functools.partial(check_routing, model_folder=data / ROUTING_MODEL_DIR)
    try:
        return _check(folder, data / SNAPSHOT_FILE, strict=strict, verbose=verbose,
                      today=today, out=out, route=route)
    except Exception as error:
        log.debug("content check failed", exc_info=True)
        print(f"\nPemeriksaan berhenti karena kesalahan tak terduga ({type(error).__name__}: "
              f"{error}). Kabari tim teknis; konten belum dinyatakan lolos.", file=out)
        return 1


def _check(folder: Path, snapshot_path: Path, *, strict: bool, verbose: bool,
           today: date | None, out: TextIO, route: RoutingCheck) -> int:
    print(f"Memeriksa konten di {folder}/ ...", file=out)
    result = load_content(folder, today=today)
    previous = load_snapshot(snapshot_path)
    errors, warnings = result.errors, result.warnings
    if errors:
        _section(out, f"Kesalahan ({len(errors)}) — harus diperbaiki")
        for problem in errors:
            print(problem, file=out)
    if previous is None and warnings and not verbose:
        _section(out, f"Peringatan ({len(warnings)}) — bot tetap jalan, tetapi sebaiknya dibaca")
        for problem in warnings:
            print(problem, file=out)
    routing = _routing(result, out, route) if result.bundle is not None else None
    _section(out, "Perubahan Anda")
    if previous is None:
        print("Belum ada catatan konten terakhir yang lulus untuk dibandingkan; setelah "
              "pemeriksaan ini lulus, pemeriksaan berikutnya menunjukkan apa saja yang berubah.",
              file=out)
    else:
        _changes(out, previous, result, routing)
    if verbose:
        _verbose(out, result, routing)
    misrouted = len(routing.misrouted) if routing is not None else 0
    _summary(out, result, routing, verbose=verbose)
    if errors:
        print("GAGAL: perbaiki kesalahan di atas. Selama masih ada kesalahan, bot tetap memakai "
              "konten versi sebelumnya.", file=out)
        return 1
    if strict and (warnings or misrouted):
        print("GAGAL (--strict): peringatan dan contoh salah arah juga harus dibereskan.",
              file=out)
        return 1
    _save(snapshot_path, take_snapshot(result.documents, result.problems, routing))
    print("LULUS: konten boleh dipakai.", file=out)
    return 0


def _changes(out: TextIO, previous: Snapshot, result: LoadResult,
             routing: RoutingReport | None) -> None:
    changes = describe_changes(previous, result.documents, result.problems, routing)
    if not changes:
        print("Tidak ada pertanyaan atau kanal yang berubah sejak konten terakhir yang lulus.",
              file=out)
        return
    print(f"(dibandingkan dengan konten terakhir yang lulus, {previous.saved_at})", file=out)
    for line in changes:
        print(line, file=out)


def _section(out: TextIO, title: str) -> None:
    print(f"\n== {title} ==", file=out)


def _verbose(out: TextIO, result: LoadResult, routing: RoutingReport | None) -> None:
    if result.warnings:
        _section(out, f"Semua peringatan ({len(result.warnings)})")
        for problem in result.warnings:
            print(problem, file=out)
    if routing is not None:
        _section(out, "Uji arah contoh: semua contoh yang salah arah")
        document = result.documents.get(FAQ_FILE)
        for routed in [*routing.misrouted, *routing.by_design]:
            print(routed.describe(document), file=out)


def _summary(out: TextIO, result: LoadResult, routing: RoutingReport | None, *,
             verbose: bool) -> None:
    _section(out, "Ringkasan")
    print(f"{len(result.errors)} kesalahan, {len(result.warnings)} peringatan.", file=out)
    if routing is not None:
        print(routing.summary(), file=out)
    elif result.errors:
        print("Uji arah contoh tidak dijalankan karena masih ada kesalahan.", file=out)
    else:
        print("Uji arah contoh tidak bisa dijalankan (lihat peringatan di atas).", file=out)
    if not verbose and routing is not None:
        print("Daftar lengkap peringatan dan contoh salah arah: tambahkan --verbose.", file=out)
    elif not verbose and result.warnings:
        print("Daftar lengkap peringatan: tambahkan --verbose.", file=out)


def _routing(result: LoadResult, out: TextIO, route: RoutingCheck) -> RoutingReport | None:
    """The held-out routing check; its own failure must not hide the content verdict."""
    assert result.bundle is not None
    print("Uji arah contoh: setiap contoh disembunyikan dari bot lalu ditanyakan ...", file=out)
    try:
        return route(result.bundle)
    except Exception as error:
        log.debug("routing check failed", exc_info=True)
        print(f"{FAQ_FILE}: PERINGATAN: uji arah contoh tidak bisa dijalankan "
              f"({type(error).__name__}: {error}); kabari tim teknis", file=out)
        return None


def _save(path: Path, snapshot: Snapshot) -> None:
    """Keeping the snapshot is a convenience: a read-only folder must not fail the check."""
    try:
        save_snapshot(path, snapshot)
    except OSError as error:
        log.debug("content snapshot not saved: %s", error)


def _data_dir(content_dir: Path | None) -> Path:
    """Where the last good snapshot is kept: data/ next to a content folder given directly,
    else DATA_DIR from the settings."""
    if content_dir is not None:
        return content_dir.parent / "data"
    try:
        return Settings().data_dir
    except ValidationError:
        return Path(os.environ.get("DATA_DIR", "data"))


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
