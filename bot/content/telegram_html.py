"""Telegram's HTML subset: checking it, escaping user text into it, and stripping it.

Telegram rejects a whole message when its HTML is off, so content is checked before it goes live
and every reply is checked again in tests.
"""

from __future__ import annotations

import html
import re

MAX_MESSAGE_LENGTH = 4096

ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
     "tg-spoiler", "span", "blockquote"}
)
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+\s*=\s*\"[^\"<>]*\")*)\s*(/?)>"
)
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_ATTRIBUTE = re.compile(r"([a-zA-Z-]+)\s*=\s*\"([^\"]*)\"")


def escape(text: str) -> str:
    """Escape user text so it can never become markup."""
    return html.escape(text, quote=False)


def html_problems(text: str) -> list[str]:
    """Return what Telegram would reject in `text` (empty when it is valid), in Indonesian."""
    return [message for _, message in html_problem_positions(text)]


def html_problem_positions(text: str) -> list[tuple[int, str]]:
    """Like `html_problems`, with the character offset of each problem (for file lines)."""
    problems: list[tuple[int, str]] = []
    open_tags: list[tuple[int, str]] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "<":
            match = _TAG.match(text, position)
            if not match:
                problems.append((position,
                    "tanda '<' yang bukan tag; tulis '&lt;' bila maksudnya tanda kurang dari"))
                position += 1
                continue
            closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
            if match.group(4) and name in ALLOWED_TAGS:
                problems.append((position, f"tag <{name}/> tidak dikenal Telegram; tulis "
                                 f"<{name}>...</{name}>"))
            elif name not in ALLOWED_TAGS:
                hint = "untuk pindah baris cukup tekan Enter" if name == "br" else (
                    "pakai b, i, u, s, a, code, pre, atau blockquote")
                problems.append((position, f"tag <{name}> tidak didukung Telegram; {hint}"))
            elif closing:
                if not open_tags or open_tags[-1][1] != name:
                    problems.append((position,
                        f"tag penutup </{name}> tidak punya pasangan pembuka"))
                else:
                    open_tags.pop()
            else:
                problems.extend((position, p) for p in _attribute_problems(name, attributes))
                open_tags.append((position, name))
            position = match.end()
        elif char == "&":
            match = _ENTITY.match(text, position)
            if not match:
                problems.append((position, "tanda '&' harus ditulis '&amp;' (atau ganti dengan "
                                 "kata 'dan')"))
                position += 1
                continue
            position = match.end()
        elif char == ">":
            problems.append((position, "tanda '>' harus ditulis '&gt;'"))
            position += 1
        else:
            position += 1
    problems.extend(
        (start, f"tag <{name}> tidak ditutup; tambahkan </{name}> di akhir bagian yang dimaksud")
        for start, name in reversed(open_tags)
    )
    return problems


def telegram_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units: an emoji counts as two."""
    return len(text.encode("utf-16-le")) // 2


def _attribute_problems(name: str, attributes: str) -> list[str]:
    found = dict(_ATTRIBUTE.findall(attributes))
    if name == "a":
        if "href" not in found:
            return ["tag <a> harus punya href=\"...\""]
        if not re.match(r"^(https?://|tg://|mailto:|tel:)", found["href"]):
            return [f"alamat tautan tidak sah: {found['href']}"]
        return []
    if name == "span" and found.get("class") != "tg-spoiler":
        return ["tag <span> hanya boleh class=\"tg-spoiler\""]
    if found and name not in {"code", "pre", "blockquote"}:
        return [f"tag <{name}> tidak boleh punya atribut"]
    return []


def strip_html(text: str) -> str:
    """Plain text a user would read, for the terminal and `ask --json`."""
    without_tags = _TAG.sub("", text)
    return html.unescape(without_tags)


def split_message(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split at paragraph, then line, then word boundaries so every part stays valid and short.

    Tags never span a paragraph in our content, so splitting on blank lines keeps HTML balanced.
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        candidate = f"{current}\n\n{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return parts


def _pieces(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        while len(paragraph) > limit:
            cut = paragraph.rfind("\n", 0, limit)
            if cut <= 0:
                cut = paragraph.rfind(" ", 0, limit)
            if cut <= 0:
                cut = _safe_cut(paragraph, limit)
            pieces.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        pieces.append(paragraph)
    return pieces


def _safe_cut(text: str, limit: int) -> int:
    """Never cut inside an entity such as &amp; when a text has no spaces at all."""
    cut = limit
    amp = text.rfind("&", max(0, limit - 10), limit)
    if amp != -1 and ";" not in text[amp:limit]:
        cut = amp
    return cut
