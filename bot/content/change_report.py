"""What a staff member's own edit did, found by comparing with the last content that passed.

After every passing `content check` a snapshot is kept (the FAQ entries and channels by id, where
each example landed in the routing check, and the warnings). The next check compares with it, so
after adding one FAQ staff see that FAQ, its examples that went astray and the other examples it
pulled away, instead of hunting for four lines among 260.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.content.consistency import FAQ_FILE
from bot.content.problems import ContentProblem
from bot.content.routing_check import RoutedExample, RoutingReport
from bot.content.yaml_source import YamlDocument

SNAPSHOT_FILE = "content-last-good.json"
SNAPSHOT_VERSION = 1
MAX_SNAPSHOT_BYTES = 20 * 1024 * 1024
WITA = ZoneInfo("Asia/Makassar")
_SECTIONS = {"faqs": "pertanyaan", "channels": "kanal"}


@dataclass(frozen=True)
class Snapshot:
    saved_at: str
    entries: dict[str, dict[str, Any]]
    """Section ("faqs", "channels") -> id -> the entry as plain data."""
    routing: dict[str, str] = field(default_factory=dict)
    """`faq_id` + TAB + example -> where it landed (a FAQ id, or fallback/emergency/...)."""
    warnings: list[str] = field(default_factory=list)


def take_snapshot(documents: Mapping[str, YamlDocument], problems: list[ContentProblem],
                  routing: RoutingReport | None, *, now: datetime | None = None) -> Snapshot:
    moment = (now or datetime.now(WITA)).astimezone(WITA)
    return Snapshot(
        saved_at=moment.strftime("%d-%m-%Y %H.%M WITA"),
        entries=_entries(documents),
        routing={_key(r): _landing(r) for r in routing.results} if routing else {},
        warnings=sorted({_warning_key(p) for p in problems}),
    )


def save_snapshot(path: Path, snapshot: Snapshot) -> None:
    """Written atomically: a check interrupted while saving leaves the previous snapshot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"version": SNAPSHOT_VERSION, **snapshot.__dict__},
                                    ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def load_snapshot(path: Path) -> Snapshot | None:
    """The last good snapshot, or None when there is none (or it cannot be used)."""
    try:
        if path.stat().st_size > MAX_SNAPSHOT_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.pop("version", None) != SNAPSHOT_VERSION:
            return None
        return Snapshot(**data)
    except (OSError, ValueError, TypeError):
        return None


def describe_changes(previous: Snapshot, documents: Mapping[str, YamlDocument],
                     problems: list[ContentProblem],
                     routing: RoutingReport | None) -> list[str]:
    """One line per new, edited or removed entry, new warning, and example that moved."""
    current = _entries(documents)
    faq_document = documents.get(FAQ_FILE)
    lines: list[str] = []
    changed: set[str] = set()
    for section, label in _SECTIONS.items():
        before, after = previous.entries.get(section, {}), current.get(section, {})
        for entry_id, entry in after.items():
            where = _where(faq_document, section, entry_id)
            if entry_id not in before:
                lines.append(f"{where}: {label} baru '{entry_id}'{_example_count(entry)}")
            elif entry != before[entry_id]:
                lines.append(f"{where}: {label} '{entry_id}' diubah "
                             f"({_what_changed(before[entry_id], entry)})")
            else:
                continue
            if section == "faqs":
                changed.add(entry_id)
        lines += [f"{FAQ_FILE}: {label} '{entry_id}' dihapus"
                  for entry_id in before if entry_id not in after]
    known = set(previous.warnings)
    lines += [f"{p} (baru)" for p in problems
              if p.severity.value == "warning" and _warning_key(p) not in known]
    if routing is not None:
        lines += _moved_examples(previous, routing, changed, faq_document)
    return lines


def _moved_examples(previous: Snapshot, routing: RoutingReport, changed: set[str],
                    document: YamlDocument | None) -> list[str]:
    """Examples of changed entries that go astray, and others whose landing changed."""
    lines = []
    for routed in routing.results:
        before = previous.routing.get(_key(routed))
        now = _landing(routed)
        if routed.faq_id in changed:
            if not routed.correct:
                lines.append(routed.describe(document))
        elif before is not None and before != now:
            if routed.correct:
                lines.append(f"{routed.where(document)}: contoh '{routed.example}' milik "
                             f"'{routed.faq_id}' kini sampai ke pertanyaannya sendiri "
                             f"(sebelumnya ke '{before}')")
            else:
                lines.append(f"{routed.describe(document)} (sebelumnya ke '{before}'; "
                             "kemungkinan karena perubahan Anda)")
    return lines


def _entries(documents: Mapping[str, YamlDocument]) -> dict[str, dict[str, Any]]:
    document = documents.get(FAQ_FILE)
    data = document.data if document is not None and isinstance(document.data, dict) else {}
    entries: dict[str, dict[str, Any]] = {}
    for section in _SECTIONS:
        items = data.get(section)
        entries[section] = {str(item["id"]): item for item in items or []
                            if isinstance(item, dict) and "id" in item} \
            if isinstance(items, list) else {}
    return entries


def _where(document: YamlDocument | None, section: str, entry_id: str) -> str:
    if document is None or not isinstance(document.data, dict):
        return FAQ_FILE
    items = document.data.get(section) or []
    for position, item in enumerate(items):
        if isinstance(item, dict) and str(item.get("id")) == entry_id:
            line = document.line_of((section, position))
            return f"{FAQ_FILE}:{line}" if line else FAQ_FILE
    return FAQ_FILE


def _example_count(entry: Mapping[str, Any]) -> str:
    examples = entry.get("examples")
    return f" ({len(examples)} contoh)" if isinstance(examples, list) else ""


def _what_changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    parts = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) == after.get(name):
            continue
        old, new = before.get(name), after.get(name)
        if isinstance(old, list) and isinstance(new, list):
            added = len([x for x in new if x not in old])
            removed = len([x for x in old if x not in new])
            parts.append(f"{name} +{added} -{removed}")
        else:
            parts.append(name)
    return ", ".join(parts)


def _key(routed: RoutedExample) -> str:
    return f"{routed.faq_id}\t{routed.example}"


def _landing(routed: RoutedExample) -> str:
    return routed.landed_on or routed.intent.value


def _warning_key(problem: ContentProblem) -> str:
    """A warning without its line, so an edit above it does not make it look new."""
    return f"{problem.file}: {problem.message}"
