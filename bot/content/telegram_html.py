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
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+\s*=\s*\"[^\"<>]*\")*)\s*>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_ATTRIBUTE = re.compile(r"([a-zA-Z-]+)\s*=\s*\"([^\"]*)\"")


def escape(text: str) -> str:
    """Escape user text so it can never become markup."""
    return html.escape(text, quote=False)


def html_problems(text: str) -> list[str]:
    """Return what Telegram would reject in `text` (empty when it is valid), in Indonesian."""
    problems: list[str] = []
    open_tags: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "<":
            match = _TAG.match(text, position)
            if not match:
                problems.append(
                    "tanda '<' yang bukan tag; tulis '&lt;' bila maksudnya tanda kurang dari"
                )
                position += 1
                continue
            closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
            if name not in ALLOWED_TAGS:
                problems.append(f"tag <{name}> tidak didukung Telegram (pakai b, i, u, a, code)")
            elif closing:
                if not open_tags or open_tags[-1] != name:
                    problems.append(f"tag penutup </{name}> tidak punya pasangan pembuka")
                else:
                    open_tags.pop()
            else:
                problems.extend(_attribute_problems(name, attributes))
                open_tags.append(name)
            position = match.end()
        elif char == "&":
            match = _ENTITY.match(text, position)
            if not match:
                problems.append("tanda '&' harus ditulis '&amp;'")
                position += 1
                continue
            position = match.end()
        elif char == ">":
            problems.append("tanda '>' harus ditulis '&gt;'")
            position += 1
        else:
            position += 1
    problems.extend(f"tag <{name}> tidak ditutup" for name in reversed(open_tags))
    return problems


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
