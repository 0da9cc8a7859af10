"""A chat in the terminal: the same engine as Telegram, buttons shown as numbered choices."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from typing import TextIO

from bot.cli.common import load_engine, load_settings
from bot.engine.engine import Engine
from bot.engine.reply import Button, Reply

COMMAND_ACTIONS = {
    "/start": "start",
    "/menu": "menu",
    "/faq": "faq-categories",
    "/statistik": "stats",
    "/lapor": "channels",
    "/darurat": "emergency",
    "/privasi": "privacy",
    "/tentang": "about",
    "/bantuan": "help",
    "/cektawaran": "jc",
    "/ceklowongan": "jobad",
}
QUIT_WORDS = {"/keluar", "keluar", "exit", "quit"}


class ConsoleChat:
    def __init__(self, engine: Engine, output: TextIO = sys.stdout) -> None:
        self._engine = engine
        self._output = output
        self._choices: list[Button] = []

    def show(self, reply: Reply) -> None:
        write = self._output.write
        for paragraph in reply.plain_text.split("\n"):
            write(textwrap.fill(paragraph, width=78) + "\n" if paragraph else "\n")
        self._choices = [button for row in reply.buttons for button in row]
        for number, button in enumerate(self._choices, 1):
            target = f" → {button.url}" if button.url else ""
            if button.share_payload:
                target = " (bagikan lewat Telegram)"
            write(f"  [{number}] {button.label}{target}\n")
        write("\n")

    def handle(self, line: str) -> Reply | None:
        text = line.strip()
        if text.isdigit() and 1 <= int(text) <= len(self._choices):
            button = self._choices[int(text) - 1]
            if button.action is None:
                return None
            reply = self._engine.reply_to_action(button.action)
            return reply or self._engine.reply_to_action("menu")
        command = COMMAND_ACTIONS.get(text.split(" ")[0].lower())
        if command:
            return self._engine.reply_to_action(command)
        return self._engine.reply_to(text)


def chat(engine: Engine, read_line: Callable[[], str], output: TextIO = sys.stdout) -> None:
    console = ConsoleChat(engine, output)
    console.show(engine.reply_to_action("start") or engine.reply_to_action("menu"))  # type: ignore[arg-type]
    output.write("Ketik pertanyaan, nomor pilihan, atau 'keluar'.\n\n")
    while True:
        try:
            line = read_line()
        except (EOFError, KeyboardInterrupt):
            output.write("\nSampai jumpa.\n")
            return
        if line.strip().lower() in QUIT_WORDS:
            output.write("Sampai jumpa.\n")
            return
        if not line.strip():
            continue
        reply = console.handle(line)
        if reply is not None:
            console.show(reply)


def run_console() -> int:
    engine = load_engine(load_settings())
    chat(engine, lambda: input("Anda: "))
    return 0
