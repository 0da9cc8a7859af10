"""Reading a YAML file while keeping the line of every key and item, for staff-facing errors."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from bot.content.problems import ContentProblem


@dataclass(frozen=True)
class YamlDocument:
    """The parsed file and its line map; `data` is plain Python for pydantic."""

    name: str
    raw: Any
    data: Any
    digest: str

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """1-based line of the deepest part of `path` that exists in the file."""
        node = self.raw
        line = _own_line(node)
        for key in path:
            if isinstance(node, CommentedMap) and key in node:
                line = node.lc.key(key)[0] + 1
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                line = node.lc.item(key)[0] + 1
                node = node[key]
            else:
                break
        return line


def _own_line(node: Any) -> int | None:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else None


def read_yaml(path: Path) -> tuple[YamlDocument | None, list[ContentProblem]]:
    """Parse `path`; a syntax error becomes a problem with its line instead of an exception."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [ContentProblem(name, None, "berkas tidak ditemukan")]
    except (OSError, UnicodeDecodeError) as error:
        return None, [ContentProblem(name, None, f"berkas tidak bisa dibaca: {error}")]
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        raw = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        return None, [ContentProblem(name, line, _syntax_message(error))]
    except Exception as error:  # ruamel raises a few unmarked errors; staff still need a message
        return None, [ContentProblem(name, None, f"format YAML tidak sah: {error}")]
    if raw is None:
        return None, [ContentProblem(name, 1, "berkas kosong")]
    digest = hashlib.sha256(text.encode()).hexdigest()
    return YamlDocument(name=name, raw=raw, data=to_plain(raw), digest=digest), []


def _syntax_message(error: MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    if "duplicate key" in problem or "found duplicate key" in str(error):
        return "kunci yang sama ditulis dua kali di satu bagian; hapus salah satunya"
    hint = (
        "periksa indentasi (pakai spasi, bukan tab), tanda titik dua setelah nama kolom, "
        "dan tanda kutip yang berpasangan"
    )
    return f"kesalahan penulisan YAML ({problem or error.context}); {hint}"


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
