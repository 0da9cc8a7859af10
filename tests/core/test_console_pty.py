"""The terminal chat driven through a real pseudo-terminal, as staff use it: typed answers in the
job-offer check (and a wrong one that must not lose progress), every kind of button, Telegram's
commands, paging, and phone numbers that are never split."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.content.bundle import ContentBundle
from bot.content.channels import shows_numbers
from bot.telegram.commands import ALL_COMMANDS
from tests.conftest import ROOT, seed_model_cache

PAGER = "-- lanjut: Enter, berhenti: q -- "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


class Terminal:
    """`python -m bot console` on a pty, read until an expected text appears."""

    def __init__(self, data_dir: Path) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "BOT_TOKEN": "", "LINES": "30",
               "COLUMNS": "80", "DATA_DIR": str(data_dir), "TERM": "xterm"}
        env.pop("LOG_LEVEL", None)
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "console"], cwd=ROOT,
                                        env=env, stdin=slave, stdout=slave, stderr=slave)
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 60) -> str:
        """Everything printed up to and including `text`."""
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{text!r} not shown; last output:\n{self.seen[-2000:]}")
            self._read(remaining)
        shown, _, self.seen = self.seen.partition(text)
        return shown + text

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            raise AssertionError(f"nothing printed for {timeout:.0f} s:\n{self.seen[-2000:]}")
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            raise AssertionError(f"the console ended:\n{self.seen[-2000:]}")
        self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))

    def type(self, line: str) -> str:
        """Send one line and return what was printed until the next prompt, every page."""
        os.write(self.master, (line + "\n").encode())
        shown = ""
        while True:
            shown += self.expect_either("Anda: ", PAGER)
            if shown.endswith("Anda: "):
                return shown
            os.write(self.master, b"\n")

    def expect_either(self, first: str, second: str) -> str:
        """Output up to whichever of the two texts comes first."""
        while True:
            for text in (first, second):
                if text in self.seen:
                    other = second if text == first else first
                    if other not in self.seen or self.seen.index(text) < self.seen.index(other):
                        return self.expect(text)
            self._read(60)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        os.close(self.master)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_model_cache(tmp_path_factory.mktemp("console") / "data").parent


@pytest.fixture(scope="module")
def terminal(data_dir: Path):  # type: ignore[no-untyped-def]
    """One console for the module: starting one loads the content (seconds)."""
    session = Terminal(data_dir)
    session.expect("Anda: ", timeout=120)
    yield session
    session.close()


def flat(screen: str) -> str:
    """The screen without its line breaks, to find a sentence that was wrapped."""
    return " ".join(screen.split())


def number_of(screen: str, label: str) -> str:
    match = re.search(rf"\[(\d+)\] [^\n]*{re.escape(label)}", screen)
    assert match, f"no button {label!r} in:\n{screen}"
    return match.group(1)


def test_the_job_offer_check_with_typed_answers_and_a_wrong_entry(
        terminal: Terminal, content: ContentBundle) -> None:
    screen = terminal.type("/cektawaran")
    total = int(re.search(r"Pertanyaan 1 dari (\d+)", screen).group(1))
    assert total >= len(content.job_offer_check.questions)
    assert "Pertanyaan 2 dari" in terminal.type("ya")
    wrong = terminal.type("besok saja")
    assert "Jawaban itu tidak ada di pilihan" in flat(wrong)
    assert "Pertanyaan 2 dari" in wrong  # progress kept
    assert "Pertanyaan 2 dari" in terminal.type("99")  # a number not offered: asked again
    assert "Pertanyaan 3 dari" in terminal.type("Tidak")
    assert "Pertanyaan 2 dari" in terminal.type("kembali")
    for position in range(2, total + 1):
        screen = terminal.type("tidak tahu" if position % 2 else "3")
    assert any(getattr(content.job_offer_check, level).title in screen
               for level in ("low", "check", "high"))
    share = terminal.type(number_of(screen, "Bagikan"))
    assert "Bagikan hanya bekerja di Telegram" in flat(share)


def test_every_kind_of_button_does_something_visible(terminal: Terminal,
                                                     data_dir: Path) -> None:
    answer = terminal.type("apa itu tppo")
    thanks = terminal.type(number_of(answer, "Membantu"))
    assert "Terima kasih atas penilaiannya" in flat(thanks)
    stats = terminal.type("/statistik")
    chart = terminal.type(number_of(stats, "Lihat grafik"))
    path = Path(re.search(r"Grafik disimpan di (\S+\.png)", chart.replace("\n", " ")).group(1))
    assert path.is_file() and path.read_bytes().startswith(b"\x89PNG")
    assert path.is_relative_to(data_dir)
    emergency = terminal.type("tolong saya disekap majikan")
    erase = terminal.type(number_of(emergency, "Keluar cepat"))
    assert "Keluar cepat hanya bekerja di Telegram" in flat(erase)
    link_screen = terminal.type("/lapor")
    url_button = re.search(r"\[(\d+)\] [^\n]*→ (https?://\S+)", link_screen)
    assert url_button, link_screen
    assert "Buka alamat ini di peramban" in flat(terminal.type(url_button.group(1)))


def test_telegrams_commands_work_and_long_lists_are_paged(terminal: Terminal,
                                                         content: ContentBundle) -> None:
    for spec in ALL_COMMANDS:
        screen = terminal.type(f"/{spec.name}")
        assert "Maaf" not in screen.split("\n", 1)[0], (spec.name, screen)
    assert "hanya bekerja di Telegram" in flat(terminal.type("/langganan"))
    assert "hanya bekerja di Telegram" in flat(terminal.type("/hapusdata"))
    help_screen = terminal.type("/help")  # as on Telegram: an unknown command gets the help
    assert "Cara memakai bot ini" in help_screen
    os.write(terminal.master, b"/lapor\n")
    first_page = terminal.expect(PAGER)
    assert len(first_page.strip().splitlines()) <= 30
    lines = [*first_page.splitlines(), *terminal.type("").splitlines()]
    assert all(len(line) <= 80 for line in lines if "→ http" not in line)
    numbers = [number for channel in content.faq.channels if shows_numbers(channel)
               and not channel.is_local for number in (channel.phone, channel.whatsapp) if number]
    assert numbers
    for number in numbers:  # each number whole on one line, never split by the wrapping
        assert any(number in line for line in lines), number


def test_arrow_keys_edit_the_line(terminal: Terminal) -> None:
    os.write(terminal.master, b"/mnu\x1b[D\x1b[De\n")  # "/mnu", two steps left, "e": /menu
    screen = terminal.expect("Anda: ")
    assert "^[[D" not in screen
    assert "Pilih yang Anda butuhkan" in screen
