"""Checks across entries and files that a schema alone cannot express (ids, references, sums)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from bot.content.channels import expand_placeholders
from bot.content.models import CHANNEL_PLACEHOLDER, FaqFile, Messages, StatsFile
from bot.content.problems import ContentProblem, Severity
from bot.content.telegram_html import MAX_MESSAGE_LENGTH, html_problems
from bot.content.yaml_source import YamlDocument

STALE_AFTER = timedelta(days=183)
# Room left under Telegram's limit for the bot's own additions (title, related questions).
ANSWER_LENGTH_LIMIT = MAX_MESSAGE_LENGTH - 400


def check_consistency(
    models: dict[str, Any], documents: dict[str, YamlDocument], *, today: date
) -> list[ContentProblem]:
    faq: FaqFile = models["faq_id.yaml"]
    stats: StatsFile = models["stats.yaml"]
    messages: Messages = models["pesan.yaml"]
    problems = _check_faq(faq, documents["faq_id.yaml"], today)
    problems += _check_stats(stats, documents["stats.yaml"])
    problems += _check_messages(messages, documents["pesan.yaml"], faq)
    return problems


def _duplicates(
    ids: list[str], section: str, document: YamlDocument, what: str
) -> list[ContentProblem]:
    counts = Counter(ids)
    return [
        ContentProblem(
            document.name,
            document.line_of((section, index, "id")),
            f"id {what} '{item}' dipakai lebih dari sekali; setiap id harus unik",
        )
        for index, item in enumerate(ids)
        if counts[item] > 1 and ids.index(item) != index
    ]


def _check_faq(faq: FaqFile, document: YamlDocument, today: date) -> list[ContentProblem]:
    name = document.name
    problems: list[ContentProblem] = []
    problems += _duplicates([c.id for c in faq.categories], "categories", document, "kategori")
    problems += _duplicates([c.id for c in faq.channels], "channels", document, "kanal")
    problems += _duplicates([f.id for f in faq.faqs], "faqs", document, "pertanyaan")
    category_ids = {c.id for c in faq.categories}
    channels = {c.id: c for c in faq.channels}
    faq_ids = {f.id for f in faq.faqs}
    seen_examples: dict[str, str] = {}

    for index, channel in enumerate(faq.channels):
        if channel.verified_on is None:
            problems.append(ContentProblem(
                name, document.line_of(("channels", index, "verified_on")),
                f"kanal '{channel.id}' belum pernah dikonfirmasi (verified_on kosong); hubungi "
                "layanannya, lalu isi tanggal pemeriksaan", Severity.WARNING,
            ))
        elif today - channel.verified_on > STALE_AFTER:
            problems.append(ContentProblem(
                name, document.line_of(("channels", index, "verified_on")),
                f"kanal '{channel.id}' terakhir diperiksa {channel.verified_on:%d-%m-%Y}, "
                "lebih dari 6 bulan lalu; konfirmasi ulang nomornya lalu perbarui verified_on",
                Severity.WARNING,
            ))

    for index, entry in enumerate(faq.faqs):
        def at(*path: str | int, _index: int = index) -> int | None:
            return document.line_of(("faqs", _index, *path))

        if entry.category not in category_ids:
            problems.append(ContentProblem(name, at("category"),
                f"kategori '{entry.category}' tidak ada di bagian categories"))
        for position, related in enumerate(entry.related):
            if related not in faq_ids:
                problems.append(ContentProblem(name, at("related", position),
                    f"related '{related}' tidak ada; tulis id pertanyaan yang sudah ada"))
            elif related == entry.id:
                problems.append(ContentProblem(name, at("related", position),
                    "pertanyaan tidak boleh merujuk ke dirinya sendiri di related"))
        for position, channel_id in enumerate(entry.channels):
            if channel_id not in channels:
                problems.append(ContentProblem(name, at("channels", position),
                    f"kanal '{channel_id}' tidak ada di bagian channels"))
        problems += _answer_problems(entry.answer, channels, name, at("answer"))
        if not entry.sources:
            problems.append(ContentProblem(name, at("id"),
                f"pertanyaan '{entry.id}' belum mencantumkan sources (sumber)", Severity.WARNING))
        for position, example in enumerate(entry.examples):
            key = " ".join(example.lower().split())
            owner = seen_examples.get(key)
            if owner is not None:
                where = "pertanyaan ini juga" if owner == entry.id else f"'{owner}'"
                problems.append(ContentProblem(name, at("examples", position),
                    f"contoh '{example}' sudah dipakai di {where}; satu contoh hanya boleh "
                    "ada di satu pertanyaan"))
            else:
                seen_examples[key] = entry.id
    return problems


def _answer_problems(
    text: str, channels: dict[str, Any], file: str, line: int | None
) -> list[ContentProblem]:
    problems = [
        ContentProblem(file, line, f"kanal '{{{{{match}}}}}' di dalam teks tidak ada di channels")
        for match in CHANNEL_PLACEHOLDER.findall(text)
        if match not in channels
    ]
    problems += [
        ContentProblem(file, line, f"HTML tidak diterima Telegram: {message}")
        for message in dict.fromkeys(html_problems(text))
    ]
    length = len(expand_placeholders(text, channels))
    if length > ANSWER_LENGTH_LIMIT:
        problems.append(ContentProblem(file, line,
            f"jawaban terlalu panjang ({length} karakter); batasnya {ANSWER_LENGTH_LIMIT} "
            "agar muat dalam satu pesan Telegram; ringkas atau pecah menjadi dua pertanyaan"))
    return problems


def _check_stats(stats: StatsFile, document: YamlDocument) -> list[ContentProblem]:
    name = document.name
    problems = _duplicates([r.id for r in stats.regions], "regions", document, "wilayah")
    region_ids = {r.id for r in stats.regions}
    alias_owner: dict[str, str] = {}
    for index, region in enumerate(stats.regions):
        for position, alias in enumerate([region.name, *region.aliases]):
            key = alias.lower().strip()
            owner = alias_owner.setdefault(key, region.id)
            if owner != region.id:
                problems.append(ContentProblem(
                    name, document.line_of(("regions", index, "aliases", position - 1)),
                    f"nama/alias '{alias}' dipakai oleh '{owner}' dan '{region.id}'"))
    years = [y.year for y in stats.years]
    for index, figures in enumerate(stats.years):
        if years.count(figures.year) > 1 and years.index(figures.year) != index:
            problems.append(ContentProblem(name, document.line_of(("years", index, "year")),
                f"tahun {figures.year} ditulis lebih dari sekali"))
        for region_id in figures.counts:
            if region_id not in region_ids:
                problems.append(ContentProblem(
                    name, document.line_of(("years", index, "counts", region_id)),
                    f"wilayah '{region_id}' tidak ada di bagian regions"))
        allocated = sum(figures.counts.values())
        if allocated + figures.unallocated != figures.total:
            problems.append(ContentProblem(name, document.line_of(("years", index, "total")),
                f"tahun {figures.year}: jumlah per wilayah ({allocated}) + unallocated "
                f"({figures.unallocated}) tidak sama dengan total ({figures.total}); bila "
                "sumbernya memang tidak merinci semua kasus, isi 'unallocated' dengan selisihnya "
                "dan jelaskan di 'note'"))
        if figures.as_of.year < figures.year:
            problems.append(ContentProblem(name, document.line_of(("years", index, "as_of")),
                f"tahun {figures.year}: as_of {figures.as_of} lebih awal dari tahunnya"))
    return problems


def _check_messages(messages: Messages, document: YamlDocument, faq: FaqFile) -> list[ContentProblem]:
    channels = {c.id: c for c in faq.channels}
    problems: list[ContentProblem] = []
    emergency_ids = [*messages.emergency.channels, *messages.emergency.abroad_channels]
    for channel_id in emergency_ids:
        if channel_id not in channels:
            problems.append(ContentProblem(document.name, document.line_of(("emergency",)),
                f"kanal '{channel_id}' di pesan darurat tidak ada di channels faq_id.yaml"))
    for key, value in messages.model_dump().items():
        text = value["text"] if isinstance(value, dict) else value
        if isinstance(text, str):
            problems += _answer_problems(text, channels, document.name, document.line_of((key,)))
    return problems
