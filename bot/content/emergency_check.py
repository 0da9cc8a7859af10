"""Checks of `darurat.yaml` a schema cannot express, and its tie to what `pesan.yaml` promises.

The welcome text tells people in danger to type a word ("Ketik <b>darurat</b>"). That word must
always get the emergency reply, so every such instruction in pesan.yaml has to name a word of
`ketik.kata`; `content check` refuses the content otherwise, at the pesan.yaml line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bot.content.problems import ContentProblem, Severity
from bot.content.yaml_source import YamlDocument
from bot.language.word_forms import word_forms

TYPE_INSTRUCTION = re.compile(r"\bketik\s+<b>\s*([^<]+?)\s*</b>", re.IGNORECASE)
"""'Ketik <b>darurat</b>': how pesan.yaml tells people what to type."""
_WORD = re.compile(r"[a-z0-9]+")
_SHARED_SECTIONS = ("bersama", "kecuali_tentang", "sendirian")
"""Context words a signal needs nearby ("saya", "paspor") or must not follow ("agen"), and the
pleas that also count alone ("tolong"), may repeat other sections' words."""

Path_ = tuple[str | int, ...]


def typed_instructions(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, word to type, the text line it is on) for every 'Ketik <b>X</b>' in `text`."""
    for match in TYPE_INSTRUCTION.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        yield match.start(), match.group(1).strip().lower(), line


def danger_vocabulary(data: Any) -> frozenset[str]:
    """Every form of the words that name danger (typed words, alarm words, signal words)."""
    words: set[str] = set()
    for path in (("ketik", "kata"), ("seru", "kata")):
        words |= set(_strings(_at(data, path)))
    for signal in _list(_at(data, ("tanda_bahaya",))):
        words |= set(_strings(_at(signal, ("kata",))))
    return frozenset(form for word in words for form in word_forms(word.lower()))


def emergency_instructions(texts: dict[str, str], vocabulary: frozenset[str]
                           ) -> Iterator[tuple[str, int, str]]:
    """(message key, offset, word) for instructions given on a line that speaks of danger."""
    for key, text in texts.items():
        for offset, word, line in typed_instructions(text):
            if set(_WORD.findall(line.lower())) & vocabulary:
                yield key, offset, word


def check_emergency_signals(document: YamlDocument, messages: YamlDocument | None,
                            lexicon: YamlDocument | None) -> list[ContentProblem]:
    problems = _group_problems(document) + _repeated_terms(document)
    if messages is not None:
        problems += _instructions_without_typed_word(document, messages)
    if lexicon is not None:
        problems += _rewritten_by_lexicon(document, lexicon)
    return problems


def _group_problems(document: YamlDocument) -> list[ContentProblem]:
    problems: list[ContentProblem] = []
    first_line: dict[str, int | None] = {}
    for position, signal in enumerate(_list(_at(document.data, ("tanda_bahaya",)))):
        if not isinstance(signal, dict):
            continue
        line = document.line_of(("tanda_bahaya", position))
        signal_id = signal.get("id")
        if isinstance(signal_id, str):
            if signal_id in first_line:
                problems.append(ContentProblem(document.name, line,
                    f"id tanda bahaya '{signal_id}' sudah dipakai di baris "
                    f"{first_line[signal_id]}; setiap id harus unik, ganti salah satunya"))
            first_line.setdefault(signal_id, line)
        if not _strings(signal.get("kata")) and not _strings(signal.get("frasa")):
            problems.append(ContentProblem(document.name, line,
                f"tanda bahaya '{signal_id}' belum punya kata maupun frasa; isi 'kata' atau "
                "'frasa', atau hapus kelompok ini"))
    return problems


def _terms(data: Any) -> Iterator[tuple[Path_, str]]:
    """(path, text) of every word and phrase of the file, `bersama` lists left out."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _SHARED_SECTIONS:
                continue
            for path, text in _terms(value):
                yield (key, *path), text
    elif isinstance(data, list):
        for index, value in enumerate(data):
            for path, text in _terms(value):
                yield (index, *path), text
    elif isinstance(data, str):
        yield (), data


def _repeated_terms(document: YamlDocument) -> list[ContentProblem]:
    """A word in two places is either a slip or a contradiction ('pulang' as danger and as
    off-topic); either way staff should decide which one it is."""
    problems: list[ContentProblem] = []
    seen: dict[str, tuple[int | None, str]] = {}
    for path, text in _terms(document.data):
        if not path or path[-2:-1] not in (("kata",), ("frasa",), ("pengisi",)):
            continue
        key = " ".join(text.lower().split())
        line = document.line_of(path)
        section = _section_name(document, path)
        if key in seen:
            other_line, other_section = seen[key]
            problems.append(ContentProblem(document.name, line,
                f"'{text}' sudah ada di baris {other_line} ({other_section}); satu kata atau "
                "frasa hanya boleh ada di satu tempat, hapus salah satunya"))
        else:
            seen[key] = (line, section)
        if path[-2] == "frasa" and len(_WORD.findall(key)) == 1:
            problems.append(ContentProblem(document.name, line,
                f"frasa '{text}' hanya satu kata; pindahkan ke daftar 'kata' agar bentuk "
                "berimbuhannya (di-, me-, -nya) ikut dikenali", Severity.WARNING))
    return problems


def _section_name(document: YamlDocument, path: Path_) -> str:
    if path[0] == "tanda_bahaya" and len(path) > 1:
        signal = document.value_at(path[:2])
        signal_id = signal.get("id") if isinstance(signal, dict) else None
        return f"tanda bahaya '{signal_id}'"
    return f"bagian {path[0]}"


def _instructions_without_typed_word(document: YamlDocument,
                                     messages: YamlDocument) -> list[ContentProblem]:
    typed = {word.lower() for word in _strings(_at(document.data, ("ketik", "kata")))}
    data = messages.data if isinstance(messages.data, dict) else {}
    texts = {key: value for key, value in data.items() if isinstance(value, str)}
    problems = []
    for key, offset, word in emergency_instructions(texts, danger_vocabulary(document.data)):
        if word not in typed:
            problems.append(ContentProblem(messages.name, messages.line_in_text((key,), offset),
                f"pesan '{key}' menyuruh orang yang dalam bahaya mengetik '{word}', tetapi "
                f"'{word}' tidak ada di ketik.kata ({document.name}), jadi bot tidak akan "
                f"menjawabnya dengan pesan darurat; tambahkan '{word}' ke ketik.kata atau ubah "
                "kalimatnya"))
    return problems


def _rewritten_by_lexicon(document: YamlDocument, lexicon: YamlDocument) -> list[ContentProblem]:
    """Words are read after normalisasi.yaml, like messages: 'pls' here means 'tolong', and a
    word normalisasi.yaml deletes can never match."""
    standard = _at(lexicon.data, ("kata",))
    if not isinstance(standard, dict):
        return []
    terms = list(_terms(document.data))
    section_of = {text.strip().lower(): _section_name(document, path) for path, text in terms}
    problems = []
    for path, text in terms:
        written = text.strip().lower()
        replacement = standard.get(written)
        if not isinstance(replacement, str) or replacement == written:
            continue
        source = f"{lexicon.name} baris {lexicon.line_of(('kata', written))}"
        here, there = _section_name(document, path), section_of.get(replacement)
        if not replacement.strip():
            problems.append(ContentProblem(document.name, document.line_of(path),
                f"'{text}' dihapus oleh {source} sebelum pesan dibaca, jadi tidak berpengaruh "
                "di sini; hapus saja dari berkas ini", Severity.WARNING))
        elif there is not None and there != here:
            problems.append(ContentProblem(document.name, document.line_of(path),
                f"'{text}' dibakukan menjadi '{replacement}' oleh {source}, dan '{replacement}' "
                f"ada di {there}; jadi di sini '{text}' tidak berbeda dari '{replacement}'. Hapus "
                f"'{text}' dari {here}, atau ubah normalisasinya", Severity.WARNING))
    return problems


def _at(data: Any, path: Path_) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [item for item in _list(value) if isinstance(item, str)]
