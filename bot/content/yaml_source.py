"""Reading a YAML file while keeping the line of every key and item, for staff-facing errors."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import LiteralScalarString

from bot.content.problems import ContentProblem

Path_ = Sequence[str | int]

MAX_FILE_BYTES = 2 * 1024 * 1024
"""The largest content file read; the real ones are under 200 kB, so this only stops accidents
(a pasted data dump) and hostile files from costing minutes and gigabytes."""
MAX_PARSE_SECONDS = 10.0
"""Parsing one file longer than this is stopped, so a reload or a check always ends."""
MAX_NESTING = 40
"""Content is never nested deeper than about 5 levels."""


class ContentFileRefused(Exception):
    """A file that is not read at all: not a regular file, or too big. The message is for staff."""


def read_content_bytes(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path`, refusing anything that could hang or flood the process.

    A FIFO would block `open()` for ever and `/dev/zero` never ends, so the type is checked
    first (following symlinks), the file is opened non-blocking, checked again on the open
    descriptor (it may have been swapped in between), and never read past `limit`.
    """
    kind = _file_kind(os.stat(path).st_mode)
    if kind is not None:
        raise ContentFileRefused(f"ini bukan berkas teks biasa ({kind}), jadi tidak dibaca; "
                                 "ganti dengan berkas .yaml biasa atau hapus dari folder konten")
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        opened = os.fstat(descriptor)
        kind = _file_kind(opened.st_mode)
        if kind is not None:
            raise ContentFileRefused(f"ini bukan berkas teks biasa ({kind}), jadi tidak dibaca")
        if opened.st_size > limit:
            raise ContentFileRefused(_too_big(opened.st_size, limit))
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            content = stream.read(limit + 1)
    finally:
        os.close(descriptor)
    if len(content) > limit:
        raise ContentFileRefused(_too_big(len(content), limit))
    return content


def _file_kind(mode: int) -> str | None:
    """None for a regular file, else what it is, in words staff can look up."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "pipa/FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "berkas perangkat seperti /dev/zero"
    if stat.S_ISDIR(mode):
        return "folder"
    return "berkas khusus"


def _too_big(size: int, limit: int) -> str:
    return (f"berkas terlalu besar ({size / 1_048_576:.1f} MB; paling besar "
            f"{limit // 1_048_576} MB), jadi tidak dibaca; periksa apakah ada isi yang "
            "tertempel tanpa sengaja")


@dataclass(frozen=True)
class YamlDocument:
    """The parsed file and its line map; `data` is plain Python for pydantic."""

    name: str
    raw: Any
    data: Any
    digest: str
    """sha256 of the file's bytes: the same value the reloader's file watcher computes."""
    lines: tuple[str, ...] = ()

    def line_of(self, path: Path_) -> int | None:
        """1-based line of the deepest part of `path` that exists in the file."""
        node = self.raw
        line = _own_line(node)
        for key in path:
            step = _step(node, key)
            if step is None:
                break
            line, node = step
        return line

    def value_at(self, path: Path_) -> Any:
        """The raw (ruamel) value at `path`, or None when the path is not in the file."""
        node = self.raw
        for key in path:
            step = _step(node, key)
            if step is None:
                return None
            node = step[1]
        return node

    def line_in_text(self, path: Path_, offset: int) -> int | None:
        """The file line of character `offset` inside the text at `path`.

        Exact for `|` blocks (each text line is a file line, starting below the key); for other
        styles, where YAML joins lines, the line of the key is the honest answer.
        """
        line = self.line_of(path)
        value = self.value_at(path)
        if line is None or not isinstance(value, LiteralScalarString):
            return line
        return line + 1 + value.count("\n", 0, offset)

    def source_value(self, line: int | None) -> str | None:
        """What staff typed after `key:` on `line`, so a hint can quote it back exactly."""
        if line is None or not 0 < line <= len(self.lines):
            return None
        match = _KEY_VALUE.match(self.lines[line - 1])
        return match.group(1) if match else None


_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?[^:#'\"]+:\s+([^\s#'\"][^#]*?)\s*(?:#.*)?$")


_QUOTED_VALUE = re.compile(r'^\s*(?:-\s+)?(?:[^\s:#"\'][^:#]*:\s+)?"')


def _step(node: Any, key: str | int) -> tuple[int, Any] | None:
    """(1-based line, child) of `key` inside a ruamel mapping or sequence, or None."""
    if isinstance(node, CommentedMap) and key in node:
        return node.lc.key(key)[0] + 1, node[key]
    if isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
        return node.lc.item(key)[0] + 1, node[key]
    return None


def _own_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def read_yaml(path: Path) -> tuple[YamlDocument | None, list[ContentProblem]]:
    """Parse `path`; syntax errors become problems with their line instead of exceptions.

    Repeated keys are reported all at once and the first value is kept, so the rest of the file
    is still checked in the same run.
    """
    name = path.name
    try:
        content = read_content_bytes(path)
    except ContentFileRefused as refused:
        return None, [ContentProblem(name, None, str(refused))]
    except FileNotFoundError:
        return None, [ContentProblem(
            name, None, f"berkas tidak ditemukan di folder {path.parent}; "
            "periksa nama berkasnya (huruf kecil, berakhiran .yaml)",
        )]
    except OSError as error:
        return None, [ContentProblem(name, None, f"berkas tidak bisa dibuka: {error.strerror}")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return None, [ContentProblem(
            name, line, "berkas tidak tersimpan sebagai UTF-8; simpan ulang dengan pengodean "
            "UTF-8 (di Notepad: Simpan Sebagai → Encoding: UTF-8)",
        )]
    problems: list[ContentProblem] = []
    try:
        raw = _parse(text, allow_duplicate_keys=False)
    except DuplicateKeyError:
        problems = duplicate_key_problems(name, text)
        raw = _parse(text, allow_duplicate_keys=True)
    except _Refused as error:
        return None, [ContentProblem(name, error.line, error.staff_message)]
    except MarkedYAMLError as error:
        return None, [syntax_problem(name, error, text.splitlines())]
    except (ValueError, TypeError, OverflowError) as error:  # a value ruamel cannot build
        return None, [ContentProblem(
            name, None, f"ada nilai yang tidak bisa dibaca ({error}); beri tanda kutip pada "
            "nilai yang baru diubah",
        )]
    except ReaderError as error:
        line = text[: error.position].count("\n") + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        return None, [ContentProblem(
            name, line, f"ada karakter tak terlihat yang tidak diizinkan (kode #x{code:04X}); "
            "hapus karakter itu, biasanya terbawa saat menyalin teks dari PDF atau Word",
        )]
    if raw is None:
        return None, [ContentProblem(name, 1, "berkas kosong")]
    document = YamlDocument(
        name=name,
        raw=raw,
        data=to_plain(raw),
        digest=hashlib.sha256(content).hexdigest(),
        lines=tuple(text.splitlines()),
    )
    return document, problems


class _ContentConstructor(RoundTripConstructor):
    """Dates stay text, so pydantic reports an impossible date ("2026-13-01") at its line
    instead of ruamel failing on the whole file."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


_ContentConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _ContentConstructor.construct_yaml_timestamp
)


class _Refused(ComposerError):
    """Parsing stopped on purpose; `staff_message` says why in Indonesian."""

    def __init__(self, mark: Any, staff_message: str) -> None:
        super().__init__(None, None, staff_message, mark)
        self.staff_message = staff_message
        self.line = mark.line + 1 if mark is not None else None


class _BoundedComposer(Composer):
    """Refuses aliases (`*name`) and stops after the time limit.

    An alias bomb (ten nested lists of ten aliases, half a kilobyte) expands to billions of
    items; content never needs aliases, so the first one is an error at its line.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            raise _Refused(event.start_mark,
                f"tanda '*{event.anchor}' (alias YAML) tidak diizinkan di konten; tulis teksnya "
                "lengkap di sini, tanpa tanda * atau &")
        deadline = getattr(self.loader, "deadline", None)
        if deadline is not None and time.monotonic() > deadline:
            raise _Refused(self.parser.peek_event().start_mark,
                f"berkas ini terlalu lama dibaca (lebih dari {MAX_PARSE_SECONDS:.0f} detik) "
                "sehingga pembacaannya dihentikan; periksa apakah ada isi yang tertempel tanpa "
                "sengaja")
        return super().compose_node(parent, index)


def content_yaml(*, allow_duplicate_keys: bool = False) -> YAML:
    """The one way content YAML is parsed: round-trip (for lines), bounded in depth, aliases
    and time."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _ContentConstructor
    yaml.Composer = _BoundedComposer
    yaml.allow_duplicate_keys = allow_duplicate_keys
    yaml.max_depth = MAX_NESTING
    yaml.deadline = time.monotonic() + MAX_PARSE_SECONDS  # type: ignore[attr-defined]
    return yaml


def _parse(text: str, *, allow_duplicate_keys: bool) -> Any:
    return content_yaml(allow_duplicate_keys=allow_duplicate_keys).load(text)


def duplicate_key_problems(name: str, text: str) -> list[ContentProblem]:
    """Every key written twice in one mapping (ruamel itself stops at the first)."""
    root = content_yaml().compose(text)
    problems: list[ContentProblem] = []
    stack: list[Node] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
                if key in first_line:
                    problems.append(ContentProblem(
                        name, line, f"kunci '{key}' sudah ditulis di baris {first_line[key]} "
                        "pada bagian yang sama; hapus salah satunya (yang dipakai adalah yang "
                        "pertama)",
                    ))
                else:
                    first_line[key] = line
                stack.append(value_node)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return sorted(problems, key=lambda p: p.line or 0)


def syntax_problem(name: str, error: MarkedYAMLError,
                   lines: Sequence[str] = ()) -> ContentProblem:
    """The line staff should look at and what to do there, for the usual YAML slips."""
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    problem_line = error.problem_mark.line + 1 if error.problem_mark is not None else None
    context_line = error.context_mark.line + 1 if error.context_mark is not None else None
    unclosed = _unclosed_quote_line(lines, context_line, problem_line)
    if unclosed is not None and unclosed != problem_line:
        # A missing closing quote swallows the next lines; the parser only notices later.
        return ContentProblem(name, unclosed,
            "tanda kutip di baris ini tidak ditutup; tambahkan tanda kutip penutup di akhir "
            "teks (bila teksnya memuat tanda kutip ganda, tulis \\\" di dalamnya)")
    hint = (
        "periksa indentasi (pakai spasi, bukan tab), tanda titik dua setelah nama kolom, "
        "dan tanda kutip yang berpasangan"
    )
    if "quoted scalar" in context:
        return ContentProblem(name, context_line or problem_line,
            "tanda kutip yang dibuka di baris ini tidak pernah ditutup; tambahkan tanda kutip "
            "penutup di akhir teks (bila teksnya memuat tanda kutip yang sama, tulis \\\" atau "
            "bungkus dengan jenis kutip yang lain)")
    if "'\\t'" in problem or "\\t" in problem:
        return ContentProblem(name, problem_line,
            "ada karakter TAB; YAML hanya boleh memakai spasi untuk indentasi")
    layout_errors = ("could not find expected ':'", "expected <block end>",
                     "expected <block mapping start>", "expected '<document start>'",
                     "mapping values are not allowed")
    if any(text in problem for text in layout_errors):
        slip = layout_slip(lines, context_line or 1, problem_line or len(lines))
        if slip is not None:
            return ContentProblem(name, *slip)
    if "could not find expected ':'" in problem:
        return ContentProblem(name, context_line or problem_line,
            "baris ini tidak punya tanda titik dua ':' setelah nama kolom, atau teks panjangnya "
            "terpotong ke baris berikutnya tanpa tanda kutip; tulis 'kolom: \"teks\"'")
    if "mapping values are not allowed" in problem:
        return ContentProblem(name, problem_line,
            "ada tanda ':' di dalam teks yang tidak diberi tanda kutip; bungkus seluruh teks "
            "dengan tanda kutip ganda, misalnya question: \"Catatan: ...\"")
    if "flow sequence" in context or "flow mapping" in context:
        return ContentProblem(name, context_line or problem_line,
            "daftar dalam kurung siku [ ] atau kurung kurawal { } yang dimulai di baris ini "
            "tidak ditutup, atau ada koma yang hilang di antara butirnya")
    if "expected <block end>, but found '<scalar>'" in problem:
        return ContentProblem(name, problem_line,
            "ada teks setelah tanda kutip penutup; bila teksnya memuat tanda kutip, bungkus "
            "dengan jenis kutip yang lain (\"...'...\") atau tulis \\\" di dalamnya")
    if "expected <block end>" in problem or "expected <block mapping start>" in problem:
        return ContentProblem(name, problem_line,
            "indentasi baris ini tidak sejajar dengan baris di atasnya; samakan jumlah spasinya "
            "dengan kolom lain di bagian yang sama")
    if "cannot start any token" in problem:
        return ContentProblem(name, problem_line,
            "teks yang diawali tanda khusus seperti @, `, %, atau * harus diberi tanda kutip")
    return ContentProblem(name, problem_line or context_line,
        f"kesalahan penulisan YAML ({problem or context}); {hint}")


_BLOCK_START = re.compile(r"^\s*(?:-\s+)?[^\s#'\"][^#]*:\s*[|>][-+0-9]*\s*(?:#.*)?$")
_HAS_COLON = re.compile(r"^\s*(?:-\s+)?(?:\"[^\"]*\"|'[^']*'|[^\s#'\"][^#]*?):(?:\s|$)")


def layout_slip(lines: Sequence[str], first: int, last: int) -> tuple[int, str] | None:
    """(line, message) for the first line between `first` and `last` that YAML cannot place.

    The parser notices such a line only where the structure finally breaks (often many lines
    later, and in words like "expected '<document start>'"); staff need the line they typed.
    Two slips cover most cases: text typed inside a comment block without '#', and a line of a
    `|` block (an answer) indented less than the lines around it.
    """
    key_indent: int | None = None  # indentation of the `key: |` line of the current block
    block_indent: int | None = None  # indentation of the block's text
    for number, line in enumerate(lines[:last], 1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if key_indent is not None and stripped:
            if block_indent is None and indent > key_indent:
                block_indent = indent
            if block_indent is not None and indent >= block_indent:
                continue
        stray = stripped and not stripped.startswith(("#", "-")) and not _HAS_COLON.match(line)
        if key_indent is not None and stray and number >= first:
            expected = block_indent if block_indent is not None else key_indent + 2
            return number, (
                f"baris teks ini menjorok {indent} spasi, padahal teks di dalam blok '|' "
                f"(misalnya answer: |) harus menjorok {expected} spasi, sama dengan baris "
                "teks lainnya; tambahkan spasi di awal baris ini")
        if stripped:
            key_indent = block_indent = None
        if _BLOCK_START.match(line):
            key_indent = indent
            continue
        if not stripped or stripped.startswith(("#", "-", '"', "'")) or _HAS_COLON.match(line):
            continue
        if number < first:
            continue
        return number, _stray_text(lines, number, stripped)
    return None


def _stray_text(lines: Sequence[str], number: int, stripped: str) -> str:
    neighbours = [lines[n].strip() for n in (number - 2, number) if 0 <= n < len(lines)]
    if any(text.startswith("#") for text in neighbours):
        return ("baris ini ada di tengah catatan tetapi tidak diawali tanda pagar '#'; tambahkan "
                "'#' di awal baris ini (semua baris catatan harus diawali '#')")
    first_word, _, rest = stripped.partition(" ")
    example = f"{first_word}: {rest}" if rest else f"{first_word}: ..."
    return ("baris ini tidak punya tanda titik dua ':' setelah namanya; tulis misalnya "
            f"'{example}' (bila ini catatan, awali dengan tanda pagar '#')")


def _unclosed_quote_line(lines: Sequence[str], start: int | None,
                         end: int | None) -> int | None:
    """The last line between `start` and `end` whose value opens a double quote it never closes."""
    if end is None or not lines:
        return None
    first = max(1, start if start is not None else end - 20)
    for number in range(min(end, len(lines)), first - 1, -1):
        text = lines[number - 1].split(" #", 1)[0]
        opens_value = _QUOTED_VALUE.match(text)
        if opens_value and len(re.findall(r'(?<!\\)"', text)) % 2 == 1:
            return number
    return None


def to_plain(node: Any) -> Any:
    """Drop ruamel's subclasses so strict validation sees ordinary str, int, dict and list."""
    if isinstance(node, dict):
        return {to_plain(key): to_plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [to_plain(item) for item in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, date):
        return date(node.year, node.month, node.day)
    return node
