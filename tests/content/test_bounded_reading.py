"""Hostile or accidental files in the content folder are refused quickly, with bounded memory, in
Indonesian at the right line; the watcher keeps running and the bot keeps its last good content."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.content import loader, yaml_source
from bot.content import reloader as reloader_module
from bot.content.loader import load_content
from bot.content.reloader import ContentReloader, fingerprint
from bot.engine.engine import Engine
from tests.conftest import ROOT, knowledge_of
from tests.content_copy import ContentCopy
from tests.peak_memory import PEAK_RSS_MB_SOURCE

FAQ = "faq_id.yaml"
MEMORY_LIMIT_MB = 400


def alias_bomb(levels: int = 10) -> str:
    """The reviewer's half-kilobyte file: 10 levels of 10 aliases, 10^10 strings when expanded."""
    lines = ['lol0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"lol{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]"
              for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def add_alias_bomb(content_copy: ContentCopy) -> int:
    """Append the bomb to faq_id.yaml; returns the line of the first alias."""
    path = content_copy.path(FAQ)
    first_alias = len(content_copy.text(FAQ).splitlines()) + 2
    with path.open("a", encoding="utf-8") as stream:
        stream.write(alias_bomb())
    return first_alias


def add_special_files(folder: Path) -> None:
    """A symlink to /dev/zero, a FIFO and a 50 MB (sparse) file, all named *.yaml."""
    (folder / "zz-extra.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "zz-pipe.yaml")
    with (folder / "stats.yaml").open("r+b") as stream:
        stream.truncate(50 * 1024 * 1024)


def _by_file(problems: list) -> dict[str, list]:
    found: dict[str, list] = {}
    for problem in problems:
        found.setdefault(problem.file, []).append(problem)
    return found


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_every_hostile_file_is_refused_quickly_with_bounded_memory(
        content_copy: ContentCopy) -> None:
    alias_line = add_alias_bomb(content_copy)
    add_special_files(content_copy.folder)
    (content_copy.folder / "pesan.yaml").unlink()
    (content_copy.folder / "pesan.yaml").symlink_to("/dev/zero")
    code = PEAK_RSS_MB_SOURCE + (
        "import sys, time\n"
        "from bot.cli.main import main\n"
        "from bot.content.reloader import fingerprint\n"
        "from pathlib import Path\n"
        "started = time.monotonic()\n"
        f"fingerprint(Path({str(content_copy.folder)!r}))\n"
        "status = main(['content', 'check'])\n"
        "print('SECONDS', time.monotonic() - started, file=sys.stderr)\n"
        "print('RSS_MB', peak_rss_mb(), file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    env = {**os.environ, "CONTENT_DIR": str(content_copy.folder), "PYTHONPATH": str(ROOT)}
    env.pop("LOG_LEVEL", None)
    done = subprocess.run([sys.executable, "-c", code], cwd=content_copy.folder.parent, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    figures = dict(line.split() for line in done.stderr.splitlines()
                   if line.startswith(("SECONDS", "RSS_MB")))
    assert done.returncode == 1, done.stdout + done.stderr
    assert int(figures["RSS_MB"]) < MEMORY_LIMIT_MB
    assert float(figures["SECONDS"]) < 20
    assert f"{FAQ}:{alias_line}: KESALAHAN: tanda '*l0' (alias YAML) tidak diizinkan" \
        in done.stdout
    assert "stats.yaml: KESALAHAN: berkas terlalu besar (50.0 MB; paling besar 2 MB)" \
        in done.stdout
    assert "pesan.yaml: KESALAHAN: ini bukan berkas teks biasa (berkas perangkat" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_the_fingerprint_never_reads_special_files(content_copy: ContentCopy) -> None:
    add_special_files(content_copy.folder)
    started = time.monotonic()
    state = fingerprint(content_copy.folder)
    assert time.monotonic() - started < 2
    assert state["zz-pipe.yaml"].startswith("refused: ini bukan berkas teks biasa (pipa/FIFO)")
    assert state["zz-extra.yaml"].startswith("refused:")
    assert state["stats.yaml"].startswith("refused: berkas terlalu besar")
    assert len(state[FAQ]) == 64


def test_a_file_that_parses_too_long_is_stopped(content_copy: ContentCopy,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_PARSE_SECONDS", -1.0)
    problems = _by_file(load_content(content_copy.folder).errors)
    assert "terlalu lama dibaca" in problems[FAQ][0].message


def _engine(content_copy: ContentCopy) -> Engine:
    result = load_content(content_copy.folder)
    assert result.bundle is not None
    return Engine(knowledge_of(result.bundle, content_copy.folder.parent))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
async def test_the_watcher_keeps_running_past_special_files_and_a_bomb(
        content_copy: ContentCopy) -> None:
    engine = _engine(content_copy)
    reloader = ContentReloader(engine, content_copy.folder, interval=0.02)
    version = engine.knowledge.content.version
    (content_copy.folder / "zz-extra.yaml").symlink_to("/dev/zero")
    os.mkfifo(content_copy.folder / "zz-pipe.yaml")
    original = content_copy.text(FAQ)
    alias_line = add_alias_bomb(content_copy)
    results = [await asyncio.wait_for(reloader.check_for_changes(), timeout=10)
               for _ in range(2)]
    rejected = results[1]
    assert rejected is not None and rejected.bundle is None
    assert any(p.line == alias_line and "alias YAML" in p.message for p in rejected.errors)
    assert engine.knowledge.content.version == version
    # The fixed file goes live on the next settled poll.
    content_copy.path(FAQ).write_text(original.replace("Perdagangan orang", "Perdagangan-orang",
                                                       1), encoding="utf-8")
    for _ in range(3):
        await asyncio.wait_for(reloader.check_for_changes(), timeout=10)
    assert engine.knowledge.content.version != version


async def test_a_stuck_load_is_given_up_and_the_bot_keeps_its_content(
        content_copy: ContentCopy, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _engine(content_copy)
    version = engine.knowledge.content.version
    release = threading.Event()
    real_load = loader.load_content

    def stuck_load(folder: Path):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real_load(folder)

    monkeypatch.setattr(reloader_module, "load_content", stuck_load)
    reloader = ContentReloader(engine, content_copy.folder)
    reloader.load_timeout = 0.2
    started = time.monotonic()
    result = await reloader.reload()
    release.set()
    assert time.monotonic() - started < 2
    assert result.bundle is None and "dihentikan" in result.errors[0].message
    assert engine.knowledge.content.version == version
    running = [t for t in threading.enumerate() if t.name == "content-load"]
    assert all(t.daemon for t in running)  # never blocks the interpreter's exit
