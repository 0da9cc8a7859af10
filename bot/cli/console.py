"""A chat in the terminal: staff's preview of the Telegram bot, from the same engine.

Buttons are numbered choices; a choice can also be typed as its words ("ya", "tidak tahu",
"kembali"). The commands are Telegram's own table (`bot.telegram.commands`), so the two cannot
drift. Buttons that act on Telegram itself (erasing the chat, sharing, data deletion) say so
instead of doing nothing. Nothing typed here is stored or logged.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.cli.common import load_engine, load_settings
from bot.engine.engine import Engine
from bot.engine.reply import Button, Intent, Reply
from bot.prevention.job_offer_check import ACTION as JOB_CHECK_ACTION
from bot.stats.charts import chart_file_name, chart_request_from_action, render_chart
from bot.telegram.commands import ALL_COMMANDS, DELETE_DATA, STAFF_COMMANDS, START, command_name

QUIT_WORDS = {"/keluar", "keluar", "exit", "quit"}
WIDTH = 78
_PHONE = re.compile(r"\+?\d[\d \-]{4,}\d")
_NO_BREAK = "\u00a0"
_NOT_WORD = re.compile(r"[^\w ]+")
TELEGRAM_ONLY = {
    "erase": "🧹 Hapus jejak hanya bekerja di Telegram: di sana bot menghapus pesan-pesan "
             "terbaru percakapan ini dari HP pengguna. Percakapan di terminal tidak disimpan.",
    "exit": "🚪 Keluar cepat hanya bekerja di Telegram: di sana bot langsung menghapus semua "
            "pesan percakapan ini dan meninggalkan satu baris netral.",
    "safe": "🛡️ Mode aman hanya bekerja di Telegram: di sana pesan-pesan percakapan terhapus "
            "otomatis beberapa menit setelah pesan terakhir, tanpa bunyi notifikasi.",
    "share": "📤 Bagikan hanya bekerja di Telegram: di sana tombol ini membuka daftar kontak "
             "untuk membagikan bot ini.",
    "deldata": "Penghapusan data hanya bekerja di Telegram. Percakapan di terminal tidak "
               "menyimpan data apa pun, jadi tidak ada yang perlu dihapus.",
}
ReadLine = Callable[[str], str]


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """Lines of at most `width`, broken only at spaces outside phone numbers."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            lines.append("")
            continue
        guarded = _PHONE.sub(lambda m: m.group().replace(" ", _NO_BREAK), paragraph)
        indent = re.match(r"\s*(?:[•\-–]\s+|\d+[.)]\s+)?", guarded)
        hanging = " " * len(indent.group()) if indent else ""
        wrapped = textwrap.wrap(guarded, width=width, break_long_words=False,
                                break_on_hyphens=False, subsequent_indent=hanging)
        lines += [line.replace(_NO_BREAK, " ") for line in wrapped]
    return lines


def _words(label: str) -> str:
    """A label as typed: "⬅️ Kembali" -> "kembali"."""
    return " ".join(_NOT_WORD.sub(" ", label.lower()).split())


class ConsoleChat:
    def __init__(self, engine: Engine, read_line: ReadLine, output: TextIO = sys.stdout, *,
                 chart_dir: Path, page_lines: int | None = None) -> None:
        self._engine = engine
        self._read_line = read_line
        self._output = output
        self._chart_dir = chart_dir
        self._page_lines = page_lines
        self._last: Reply | None = None
        self._choices: list[Button] = []
        self._commands = {spec.name: spec for spec in ALL_COMMANDS}

    def write(self, text: str) -> None:
        for line in wrap(text):
            self._output.write(line + "\n")
        self._output.flush()

    def show(self, reply: Reply) -> None:
        """The reply's text, paged when longer than the screen, then its numbered buttons."""
        self._last = reply
        self._choices = [button for row in reply.buttons for button in row]
        self._page(wrap(reply.plain_text))
        for number, button in enumerate(self._choices, 1):
            self._output.write(f"  [{number}] {button.label}{self._target(button)}\n")
        self._output.write("\n")
        self._output.flush()

    def _target(self, button: Button) -> str:
        if button.share_payload:
            return " (di Telegram)"
        return f" → {button.url}" if button.url else ""

    def _page(self, lines: list[str]) -> None:
        """A screenful at a time (only in a real terminal); 'q' skips to the buttons."""
        size = self._page_lines or len(lines) or 1
        for start in range(0, len(lines), size):
            if start and self._read_line("-- lanjut: Enter, berhenti: q -- ").strip() == "q":
                return
            self._output.write("\n".join(lines[start : start + size]) + "\n")
            self._output.flush()

    def handle(self, line: str) -> None:
        """Answer one typed line: a choice, a command, or a question."""
        text = line.strip()
        button = self._choice(text)
        if button is not None:
            self._press(button)
        elif text.startswith("/"):
            self._command(text)
        elif self._in_job_check():
            self._not_an_answer(text)
        else:
            self.show(self._engine.reply_to(text))

    def _choice(self, text: str) -> Button | None:
        if text.isdigit():
            number = int(text)
            return self._choices[number - 1] if 1 <= number <= len(self._choices) else None
        typed = _words(text)
        return next((b for b in self._choices if typed and _words(b.label) == typed), None)

    def _in_job_check(self) -> bool:
        return any((b.action or "").startswith(f"{JOB_CHECK_ACTION}:") for b in self._choices)

    def _not_an_answer(self, text: str) -> None:
        """During the job-offer check: danger still comes first, anything else re-asks the
        same question, so the answers so far are kept."""
        reply = self._engine.reply_to(text)
        question = self._last
        if reply.intent is Intent.EMERGENCY:
            self.show(reply)
        else:
            labels = " / ".join(_words(b.label) for b in self._choices if b.action)
            self.write(f"Jawaban itu tidak ada di pilihan. Ketik nomornya, atau salah satu: "
                       f"{labels}.")
        if question is not None:
            self.show(question)

    def _press(self, button: Button) -> None:
        if button.share_payload:
            self.write(TELEGRAM_ONLY["share"])
        elif button.url:
            self.write(f"Buka alamat ini di peramban: {button.url}")
        elif button.action:
            self._act(button.action)

    def _act(self, action: str) -> None:
        """Adapter actions as `bot.telegram.actions` handles them, then engine actions."""
        messages = self._engine.knowledge.content.messages
        if action.startswith("fb:"):
            self.write(f"{'👍' if action.endswith(':1') else '👎'} {messages.feedback_thanks}")
            self._choices = [b for b in self._choices if not (b.action or "").startswith("fb:")]
            return
        if action.startswith("chart:"):
            self._chart(action)
            return
        if action in TELEGRAM_ONLY or action.startswith("deldata"):
            self.write(TELEGRAM_ONLY["deldata" if action.startswith("deldata") else action])
            return
        reply = self._engine.reply_to_action(action)
        if reply is None:
            self.write(messages.stale_button)
            reply = self._engine.reply_to_action("menu")
        if reply is not None:
            self.show(reply)

    def _chart(self, action: str) -> None:
        content = self._engine.knowledge.content
        request = chart_request_from_action(action)
        try:
            png = render_chart(content, request) if request is not None else None
        except ValueError:
            png = None
        if request is None or png is None:
            self.write(content.messages.stale_button)
            return
        self._chart_dir.mkdir(parents=True, exist_ok=True)
        path = self._chart_dir / chart_file_name(request)
        path.write_bytes(png)
        self.write(f"📊 Grafik disimpan di {path.resolve()} (di Telegram grafik ini dikirim "
                   "sebagai gambar). Buka berkas itu untuk melihatnya.")

    def _command(self, text: str) -> None:
        name = command_name(text)
        spec = self._commands.get(name)
        if spec is not None and spec.action and spec is not DELETE_DATA:
            reply = self._engine.reply_to_action(spec.action)
            if reply is not None:
                self.show(reply)
                return
        if spec is DELETE_DATA:
            self.write(TELEGRAM_ONLY["deldata"])
        elif spec is not None:
            self.write(f"/{spec.name} ({spec.description}): perintah ini hanya bekerja di "
                       "Telegram, karena perlu akun Telegram pengguna.")
        elif name in {s.name for s in STAFF_COMMANDS}:
            self.write(f"/{name} adalah perintah petugas di Telegram. Di terminal: "
                       "python -m bot content check (konten) dan python -m bot report (laporan).")
        else:  # as on Telegram: an unknown command gets the help text
            help_reply = self._engine.reply_to_action("help")
            if help_reply is not None:
                self.show(help_reply)


def chat(engine: Engine, read_line: ReadLine, output: TextIO = sys.stdout, *,
         chart_dir: Path, page_lines: int | None = None) -> None:
    console = ConsoleChat(engine, read_line, output, chart_dir=chart_dir, page_lines=page_lines)
    start = engine.reply_to_action(START.action) or engine.reply_to_action("menu")
    if start is not None:
        console.show(start)
    console.write("Ketik pertanyaan, nomor atau kata pilihan, perintah seperti /bantuan, atau "
                  "'keluar'. Percakapan di terminal tidak disimpan.")
    while True:
        try:
            line = read_line("Anda: ")
        except (EOFError, KeyboardInterrupt):
            output.write("\nSampai jumpa.\n")
            return
        if line.strip().lower() in QUIT_WORDS:
            output.write("Sampai jumpa.\n")
            return
        if line.strip():
            console.handle(line)


def run_console() -> int:
    settings = load_settings()
    engine = load_engine(settings)
    page_lines = None
    if sys.stdin.isatty() and sys.stdout.isatty():
        import readline  # noqa: F401  (arrow keys and history for input(); kept in memory only)

        page_lines = max(10, shutil.get_terminal_size().lines - 2)
    chat(engine, input, chart_dir=settings.data_dir / "grafik", page_lines=page_lines)
    return 0
