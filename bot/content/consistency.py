"""Checks across entries and files that a schema alone cannot express (ids, references, sums).

They run on whatever part of the content is usable, so staff see every problem in one run: when
a file fails its schema, its entries are validated one by one and the valid ones still go through
these checks (an unquoted phone number in one channel must not hide a duplicate id elsewhere).
Ids are collected from the raw file, so an entry with some other error is not reported again as
"does not exist" wherever it is referenced.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable, Collection, Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.content.channels import UNCONFIRMED_MARK, expand_placeholders
from bot.content.emergency_check import check_emergency_signals
from bot.content.models import (
    ANSWER_SOFT_LIMIT,
    CHANNEL_PLACEHOLDER,
    MIN_EXAMPLES,
    Category,
    Channel,
    FaqEntry,
    FaqFile,
    Region,
    StatsFile,
    YearFigures,
)
from bot.content.privacy_check import check_lock_screen, check_privacy
from bot.content.problems import ContentProblem, Severity
from bot.content.telegram_html import (
    MAX_MESSAGE_LENGTH,
    html_problem_positions,
    strip_html,
    telegram_length,
)
from bot.content.yaml_source import YamlDocument

log = logging.getLogger(__name__)

FAQ_FILE = "faq_id.yaml"
STATS_FILE = "stats.yaml"
LEXICON_FILE = "normalisasi.yaml"
MESSAGES_FILE = "pesan.yaml"
JOB_OFFER_CHECK_FILE = "cek_tawaran.yaml"
TIPS_FILE = "tips.yaml"
EMERGENCY_FILE = "darurat.yaml"
OFFTOPIC_FILE = "luar_topik.yaml"
PRIVACY_FILE = "privasi.yaml"
JOB_AD_FILE = "tanda_lowongan.yaml"

STALE_AFTER = timedelta(days=365)
MESSAGE_RESERVE = 1000
"""Room under Telegram's limit for what the bot appends to a fixed message (channel lists)."""

_PLACEHOLDER_LIKE = re.compile(r"\{\{(.*?)\}\}")
_CHANNEL_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LEXICON_WORD = re.compile(r"^[a-z0-9]+$")
_LEXICON_STANDARD = re.compile(r"^[a-z0-9]+(?:[ -][a-z0-9]+)*$|^$")

M = TypeVar("M", bound=BaseModel)
Located = list[tuple[int, M]]


def check_consistency(
    models: Mapping[str, Any], documents: Mapping[str, YamlDocument], *, today: date
) -> list[ContentProblem]:
    """Every cross-entry problem that can be found with the files that could be read."""
    problems: list[ContentProblem] = []
    faq_document = documents.get(FAQ_FILE)
    channels: dict[str, Channel] = {}
    channel_ids: set[str] | None = None
    stats_document = documents.get(STATS_FILE)
    region_ids = _written_ids(stats_document, "regions") if stats_document is not None else None
    if faq_document is not None:
        faq = models.get(FAQ_FILE)
        channel_items = _valid_items(faq_document, "channels", Channel,
                                     faq.channels if faq else None)
        channels = {item.id: item for _, item in channel_items}
        channel_ids = _written_ids(faq_document, "channels")
        problems += _guarded(faq_document.name, lambda: _check_faq(
            faq_document, faq, channel_items, channels, channel_ids, today))
        problems += _guarded(faq_document.name, lambda: _check_places(
            faq_document, channel_items, region_ids))
    if stats_document is not None:
        stats = models.get(STATS_FILE)
        problems += _guarded(stats_document.name, lambda: _check_stats(stats_document, stats))
    messages_document = documents.get(MESSAGES_FILE)
    if messages_document is not None:
        problems += _guarded(messages_document.name, lambda: _check_messages(
            messages_document, channels, channel_ids))
    lexicon_document = documents.get(LEXICON_FILE)
    if lexicon_document is not None:
        problems += _guarded(lexicon_document.name, lambda: _check_lexicon(lexicon_document))
    privacy_document = documents.get(PRIVACY_FILE)
    if privacy_document is not None:
        problems += _guarded(PRIVACY_FILE, lambda: check_privacy(privacy_document))
        problems += _guarded(TIPS_FILE, lambda: check_lock_screen(
            privacy_document, documents.get(TIPS_FILE), messages_document))
    faq_ids = _written_ids(faq_document, "faqs") if faq_document is not None else None
    offtopic_document = documents.get(OFFTOPIC_FILE)
    if offtopic_document is not None:
        problems += _guarded(offtopic_document.name, lambda: _check_offtopic(
            offtopic_document, faq_document))
    for file_name in (JOB_OFFER_CHECK_FILE, TIPS_FILE):
        document = documents.get(file_name)
        if document is not None:
            problems += _guarded(file_name, lambda document=document: _check_prevention(
                document, channel_ids, faq_ids))
    emergency_document = documents.get(EMERGENCY_FILE)
    if emergency_document is not None:
        problems += _guarded(EMERGENCY_FILE, lambda: check_emergency_signals(
            emergency_document, messages_document, lexicon_document))
    job_ad_document = documents.get(JOB_AD_FILE)
    if job_ad_document is not None:
        problems += _guarded(JOB_AD_FILE, lambda: _check_job_ads(
            job_ad_document, channels, channel_ids))
    return problems


def _guarded(file: str, check: Callable[[], list[ContentProblem]]) -> list[ContentProblem]:
    """A bug in one check must not hide the other files' problems, nor show staff a traceback."""
    try:
        return check()
    except Exception as error:
        log.exception("consistency check of %s failed", file)
        return [unexpected_problem(file, error)]


def unexpected_problem(file: str, error: BaseException) -> ContentProblem:
    return ContentProblem(
        file, None,
        f"pemeriksaan berkas ini berhenti karena kesalahan tak terduga ({type(error).__name__}: "
        f"{error}); periksa perubahan terakhir pada berkas ini dan kabari tim teknis",
    )


# --- what validated --------------------------------------------------------------------------


def _valid_items(
    document: YamlDocument, section: str, model: type[M], whole: list[M] | None
) -> Located[M]:
    """(position in the file, entry) for every entry of `section` that passes its schema."""
    if whole is not None:
        return list(enumerate(whole))
    raw = document.data.get(section) if isinstance(document.data, dict) else None
    if not isinstance(raw, list):
        return []
    items: Located[M] = []
    for position, item in enumerate(raw):
        try:
            items.append((position, model.model_validate(item)))
        except ValidationError:
            continue
    return items


def _raw_items(document: YamlDocument, section: str) -> list[tuple[int, dict[str, Any]]]:
    raw = document.data.get(section) if isinstance(document.data, dict) else None
    if not isinstance(raw, list):
        return []
    return [(i, item) for i, item in enumerate(raw) if isinstance(item, dict)]


def _written_ids(document: YamlDocument, section: str, key: str = "id") -> set[str] | None:
    """Every id written in `section`, valid or not; None when the section itself is unreadable,
    so references to it are not all reported as missing."""
    raw = document.data.get(section) if isinstance(document.data, dict) else None
    if not isinstance(raw, list):
        return None
    return {str(item[key]) for _, item in _raw_items(document, section)
            if item.get(key) is not None}


def _duplicates(document: YamlDocument, section: str, what: str,
                key: str = "id") -> list[ContentProblem]:
    first: dict[str, int | None] = {}
    problems: list[ContentProblem] = []
    for position, item in _raw_items(document, section):
        if key not in item or item[key] is None:
            continue
        value = str(item[key])
        line = document.line_of((section, position, key))
        if value in first:
            problems.append(ContentProblem(document.name, line,
                f"{what} '{value}' sudah dipakai di baris {first[value]}; setiap {what} harus "
                "unik, ganti salah satunya"))
        else:
            first[value] = line
    return problems


# --- faq_id.yaml ------------------------------------------------------------------------------


def _check_faq(
    document: YamlDocument,
    faq: FaqFile | None,
    channel_items: Located[Channel],
    channels: Mapping[str, Channel],
    channel_ids: Collection[str] | None,
    today: date,
) -> list[ContentProblem]:
    name = document.name
    problems: list[ContentProblem] = []
    problems += _duplicates(document, "categories", "id kategori")
    problems += _duplicates(document, "channels", "id kanal")
    problems += _duplicates(document, "faqs", "id pertanyaan")
    category_ids = _written_ids(document, "categories")
    faq_ids = _written_ids(document, "faqs")

    for position, channel in channel_items:
        problems += _channel_trust(document, position, channel, today)
        problems += _markup_problems(document, ("channels", position, "purpose"), channel_ids)
    for position, _ in _valid_items(document, "categories", Category,
                                    faq.categories if faq else None):
        problems += _plain_text_problems(document, ("categories", position, "title"))

    seen_examples: dict[str, tuple[str, int | None]] = {}
    entries = _valid_items(document, "faqs", FaqEntry, faq.faqs if faq else None)
    for position, entry in entries:
        line = document.line_of(("faqs", position, "question"))
        owner = seen_examples.setdefault(_example_key(entry.question), (entry.id, line))
        if owner[0] != entry.id:
            problems.append(ContentProblem(name, line,
                f"pertanyaan ini sama dengan pertanyaan '{owner[0]}' (baris {owner[1]}); "
                "gabungkan keduanya atau bedakan kalimatnya"))
    for position, entry in entries:
        def at(*path: str | int, _position: int = position) -> int | None:
            return document.line_of(("faqs", _position, *path))

        if category_ids is not None and entry.category not in category_ids:
            problems.append(ContentProblem(name, at("category"),
                f"kategori '{entry.category}' tidak ada di bagian categories"
                f"{_did_you_mean(entry.category, category_ids, listing=True)}"))
        for index, related in enumerate(entry.related):
            if related == entry.id:
                problems.append(ContentProblem(name, at("related", index),
                    f"related '{related}' adalah pertanyaan ini sendiri; hapus dari related"))
            elif faq_ids is not None and related not in faq_ids:
                problems.append(ContentProblem(name, at("related", index),
                    f"related '{related}' tidak ada"
                    f"{_did_you_mean(related, faq_ids) or '; tulis id pertanyaan yang sudah ada'}"))
        for index, channel_id in enumerate(entry.channels):
            if channel_ids is not None and channel_id not in channel_ids:
                problems.append(ContentProblem(name, at("channels", index),
                    f"kanal '{channel_id}' tidak ada di bagian channels"
                    f"{_did_you_mean(channel_id, channel_ids, listing=True)}"))
        if not entry.sources:
            problems.append(ContentProblem(name, at(),
                f"pertanyaan '{entry.id}' belum mencantumkan sumber (sources); tulis undang-undang "
                "atau lembaga yang menjadi dasar jawabannya", Severity.WARNING))
        if len(entry.examples) < MIN_EXAMPLES:
            problems.append(ContentProblem(name, at("examples"),
                f"pertanyaan '{entry.id}' baru punya {len(entry.examples)} contoh; tulis minimal "
                f"{MIN_EXAMPLES} contoh cara orang bertanya (bahasa sehari-hari, singkatan, "
                "bahasa Banjar)"))
        problems += _example_duplicates(document, position, entry, seen_examples)
    for position, item in _raw_items(document, "faqs"):
        problems += _plain_text_problems(document, ("faqs", position, "question"))
        problems += _markup_problems(document, ("faqs", position, "answer"), channel_ids)
        problems += _faq_length_problems(document, position, item, channels)
        problems += _unconfirmed_references(document, position, item, channels)
    return problems


def _channel_trust(document: YamlDocument, position: int, channel: Channel,
                   today: date) -> list[ContentProblem]:
    """A number must say how far it can be trusted, and an old one must be re-checked."""
    def at(key: str) -> int | None:
        return document.line_of(("channels", position, key))

    name = document.name
    if channel.status == "confirmed" and channel.verified_on is None:
        return [ContentProblem(name, at("status"),
            f"kanal '{channel.id}' berstatus confirmed tetapi verified_on kosong; isi tanggal "
            "petugas berhasil menghubungi layanannya, misalnya verified_on: \"2026-12-01\", atau "
            "ubah status menjadi reported")]
    if channel.verified_on is not None and channel.status != "confirmed":
        return [ContentProblem(name, at("status"),
            f"kanal '{channel.id}' punya verified_on tetapi statusnya {channel.status}; bila "
            "petugas sudah berhasil menghubunginya, tulis status: confirmed", Severity.WARNING)]
    if not (channel.phone or channel.whatsapp):
        return []
    checked = channel.verified_on or channel.reported_on
    if checked is None:
        return [ContentProblem(name, at("reported_on"),
            f"kanal '{channel.id}': tanggal nomor ini tidak diketahui (verified_on dan "
            "reported_on kosong); hubungi layanannya, lalu isi verified_on dan status: confirmed",
            Severity.WARNING)]
    if today - checked > STALE_AFTER:
        what = "dikonfirmasi petugas" if channel.verified_on else "diberitakan"
        field = "verified_on" if channel.verified_on else "reported_on"
        return [ContentProblem(name, at(field),
            f"kanal '{channel.id}': nomornya terakhir {what} {checked:%d-%m-%Y}, lebih dari "
            "12 bulan lalu; hubungi layanannya, lalu isi verified_on dan status: confirmed",
            Severity.WARNING)]
    return []


def _check_places(document: YamlDocument, channel_items: Located[Channel],
                  region_ids: Collection[str] | None) -> list[ContentProblem]:
    """Channels point at regions (stats.yaml) and countries that exist; each name means one
    country."""
    name = document.name
    places = document.data.get("places") if isinstance(document.data, dict) else None
    countries = places.get("countries") if isinstance(places, dict) else None
    country_ids: set[str] | None = None
    problems: list[ContentProblem] = []
    if isinstance(countries, list):
        country_ids = {str(c["id"]) for c in countries if isinstance(c, dict) and "id" in c}
        owner_of: dict[str, str] = {}
        for position, country in enumerate(countries):
            if not isinstance(country, dict):
                continue
            spellings = [(("name",), country.get("name"))]
            spellings += [(("aliases", i), a) for i, a in enumerate(country.get("aliases") or [])]
            for path, spelling in spellings:
                if not isinstance(spelling, str):
                    continue
                key = " ".join(spelling.lower().split())
                owner = owner_of.setdefault(key, str(country.get("id")))
                if owner != country.get("id"):
                    problems.append(ContentProblem(name, document.line_of(
                        ("places", "countries", position, *path)),
                        f"nama/alias '{spelling}' dipakai oleh negara '{owner}' dan "
                        f"'{country.get('id')}'; satu nama hanya boleh menunjuk satu negara"))
    references = (("regions", region_ids, "wilayah", f"bagian regions {STATS_FILE}"),
                  ("countries", country_ids, "negara", "bagian places.countries"))
    for position, channel in channel_items:
        for field, known, what, where in references:
            if known is None:
                continue
            for index, place in enumerate(getattr(channel, field)):
                if place not in known:
                    problems.append(ContentProblem(name, document.line_of(
                        ("channels", position, field, index)),
                        f"kanal '{channel.id}': {what} '{place}' tidak ada di {where}"
                        f"{_did_you_mean(place, known, listing=True)}"))
    return problems


def _did_you_mean(written: str, known: Collection[str], *, listing: bool = False) -> str:
    """"; mungkin maksudnya 'bontang'?" — or, for short lists, every allowed value."""
    close = difflib.get_close_matches(written, sorted(known), n=1)
    if close:
        return f"; mungkin maksudnya '{close[0]}'?"
    if listing and len(known) <= 15:
        return f"; pilih salah satu: {', '.join(sorted(known))}"
    return ""


def _example_key(text: str) -> str:
    """Examples that differ only in case, spaces or punctuation count as the same example."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _example_duplicates(
    document: YamlDocument, position: int, entry: FaqEntry,
    seen: dict[str, tuple[str, int | None]],
) -> list[ContentProblem]:
    problems: list[ContentProblem] = []
    for index, example in enumerate(entry.examples):
        key = _example_key(example)
        line = document.line_of(("faqs", position, "examples", index))
        owner = seen.get(key)
        if owner is None:
            seen[key] = (entry.id, line)
        elif owner[0] == entry.id:
            if owner[1] != document.line_of(("faqs", position, "question")):
                problems.append(ContentProblem(document.name, line,
                    f"contoh '{example}' sudah ditulis di baris {owner[1]} pada pertanyaan yang "
                    "sama; hapus salah satunya"))
        else:
            problems.append(ContentProblem(document.name, line,
                f"contoh '{example}' sudah dipakai untuk pertanyaan '{owner[0]}' (baris "
                f"{owner[1]}); satu contoh hanya boleh ada di satu pertanyaan, hapus salah satunya "
                "atau ubah kata-katanya"))
    return problems


def faq_message(question: str, answer: str, channels: Mapping[str, Channel]) -> str:
    """How an FAQ answer reads in a reply (ReplyBuilder.faq adds the feedback question below):
    bold question, blank line, answer."""
    return (f"<b>{expand_placeholders(question.strip(), channels)}</b>\n\n"
            f"{expand_placeholders(answer.strip(), channels)}")


def message_length(html: str) -> int:
    """The stricter of the two counts: the HTML we send and the text Telegram measures."""
    return max(len(html), telegram_length(strip_html(html)))


def answer_length(answer: str, channels: Mapping[str, Channel]) -> int:
    """What a reader scrolls through: the answer's plain text with its channels written out."""
    return len(strip_html(expand_placeholders(answer.strip(), channels)))


def _faq_length_problems(document: YamlDocument, position: int, item: Mapping[str, Any],
                         channels: Mapping[str, Channel]) -> list[ContentProblem]:
    question, answer = item.get("question"), item.get("answer")
    if not isinstance(question, str) or not isinstance(answer, str):
        return []
    line = document.line_of(("faqs", position, "answer"))
    length = message_length(faq_message(question, answer, channels))
    if length > MAX_MESSAGE_LENGTH:
        return [ContentProblem(document.name, line,
            f"jawaban terlalu panjang: bersama judulnya menjadi {length} karakter, padahal satu "
            f"pesan Telegram paling banyak {MAX_MESSAGE_LENGTH}; ringkas, atau pecah menjadi dua "
            "pertanyaan yang saling merujuk lewat related")]
    shown = answer_length(answer, channels)
    if shown > ANSWER_SOFT_LIMIT and not item.get("long_reason"):
        return [ContentProblem(document.name, line,
            f"jawaban '{item.get('id')}' {shown} karakter, lebih dari {ANSWER_SOFT_LIMIT} yang "
            "masih nyaman dibaca di layar HP; ringkas, pindahkan rincian ke jawaban lain lewat "
            "related, atau tulis alasannya di long_reason", Severity.WARNING)]
    return []


def _unconfirmed_references(document: YamlDocument, position: int, item: Mapping[str, Any],
                            channels: Mapping[str, Channel]) -> list[ContentProblem]:
    """An answer that leans on a channel whose numbers are hidden gives the reader nothing."""
    answer = item.get("answer")
    if not isinstance(answer, str):
        return []
    path = ("faqs", position, "answer")
    problems = []
    for match in CHANNEL_PLACEHOLDER.finditer(answer):
        channel = channels.get(match.group(1))
        if channel is not None and channel.status == "unconfirmed":
            problems.append(ContentProblem(document.name,
                document.line_in_text(path, match.start()),
                f"jawaban memakai kanal '{channel.id}' yang berstatus unconfirmed: warga hanya "
                f"melihat namanya dengan tanda '{UNCONFIRMED_MARK}'; pastikan nomornya atau "
                "rujuk kanal lain", Severity.WARNING))
    return problems


def _markup_problems(document: YamlDocument, path: tuple[str | int, ...],
                     channel_ids: Collection[str] | None) -> list[ContentProblem]:
    """HTML Telegram would reject and {{channel}} placeholders that lead nowhere, each with the
    line it is on (exact inside `|` blocks)."""
    text = document.value_at(path)
    if not isinstance(text, str):
        return []
    found: dict[tuple[int | None, str], None] = {}
    for offset, message in html_problem_positions(text):
        found[(document.line_in_text(path, offset),
               f"HTML tidak diterima Telegram: {message}")] = None
    for match in _PLACEHOLDER_LIKE.finditer(text):
        channel_id = match.group(1).strip()
        line = document.line_in_text(path, match.start())
        if not _CHANNEL_ID.match(channel_id):
            found[(line, f"penanda kanal '{match.group(0)}' tidak sah; tulis id kanal dengan huruf "
                         "kecil dan tanda hubung, misalnya {{sapa-129}}")] = None
        elif channel_ids is not None and channel_id not in channel_ids:
            close = difflib.get_close_matches(channel_id, sorted(channel_ids), n=1)
            hint = f"mungkin maksudnya {{{{{close[0]}}}}}?" if close else (
                "tulis id kanal yang sudah ada, misalnya {{sapa-129}}")
            found[(line, f"kanal '{{{{{channel_id}}}}}' tidak ada di bagian channels "
                         f"({FAQ_FILE}); {hint}")] = None
    return [ContentProblem(document.name, line, message) for line, message in found]


def _plain_text_problems(document: YamlDocument,
                         path: tuple[str | int, ...]) -> list[ContentProblem]:
    """Titles appear both in bold in messages and as button labels, so they carry no markup."""
    text = document.value_at(path)
    if not isinstance(text, str) or not re.search(r"[<>&]|\{\{", text):
        return []
    return [ContentProblem(document.name, document.line_of(path),
        f"'{path[-1]}' tidak boleh memuat tanda < > & atau {{{{...}}}} karena juga tampil sebagai "
        "tombol; tulis 'dan' untuk &, dan biarkan tanpa HTML")]


# --- stats.yaml -------------------------------------------------------------------------------


def _check_stats(document: YamlDocument, stats: StatsFile | None) -> list[ContentProblem]:
    name = document.name
    problems = _duplicates(document, "regions", "id wilayah")
    region_ids = _written_ids(document, "regions")
    alias_owner: dict[str, str] = {}
    for position, region in _valid_items(document, "regions", Region,
                                         stats.regions if stats else None):
        spellings = [(("name",), region.name)]
        spellings += [(("aliases", index), alias) for index, alias in enumerate(region.aliases)]
        for path, spelling in spellings:
            key = " ".join(spelling.lower().split())
            owner = alias_owner.setdefault(key, region.id)
            if owner != region.id:
                problems.append(ContentProblem(name, document.line_of(("regions", position, *path)),
                    f"nama/alias '{spelling}' dipakai oleh wilayah '{owner}' dan '{region.id}'; "
                    "satu nama hanya boleh menunjuk satu wilayah"))
    problems += _duplicates(document, "years", "tahun", key="year")
    for position, figures in _valid_items(document, "years", YearFigures,
                                          stats.years if stats else None):
        def at(*path: str | int, _position: int = position) -> int | None:
            return document.line_of(("years", _position, *path))

        for region_id in figures.counts:
            if region_ids is not None and region_id not in region_ids:
                problems.append(ContentProblem(name, at("counts", region_id),
                    f"tahun {figures.year}: wilayah '{region_id}' tidak ada di bagian regions"
                    f"{_did_you_mean(region_id, region_ids, listing=True)}"))
        allocated = sum(figures.counts.values())
        if allocated + figures.unallocated != figures.total:
            problems.append(ContentProblem(name, at("total"),
                f"tahun {figures.year}: jumlah per wilayah ({allocated}) + unallocated "
                f"({figures.unallocated}) = {allocated + figures.unallocated}, tidak sama dengan "
                f"total ({figures.total}); periksa angkanya dengan sumber. Bila sumbernya memang "
                "tidak merinci semua kasus, isi 'unallocated' dengan selisihnya dan jelaskan di "
                "'note'"))
        if figures.as_of.year < figures.year:
            problems.append(ContentProblem(name, at("as_of"),
                f"tahun {figures.year}: as_of {figures.as_of:%Y-%m-%d} lebih awal dari tahunnya"))
    return problems


# --- pesan.yaml -------------------------------------------------------------------------------


def _check_messages(document: YamlDocument, channels: Mapping[str, Channel],
                    channel_ids: Collection[str] | None) -> list[ContentProblem]:
    """`channel_ids` is None when faq_id.yaml could not be read: references are then unknown."""
    problems: list[ContentProblem] = []
    data = document.data if isinstance(document.data, dict) else {}
    emergency = data.get("emergency")
    if isinstance(emergency, dict) and channel_ids is not None:
        for key in ("channels", "abroad_channels"):
            listed = emergency.get(key)
            for index, channel_id in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(channel_id, str) and channel_id not in channel_ids:
                    problems.append(ContentProblem(document.name,
                        document.line_of(("emergency", key, index)),
                        f"kanal '{channel_id}' di pesan darurat tidak ada di bagian channels "
                        f"{FAQ_FILE}"))
    paths: list[tuple[str | int, ...]] = [(key,) for key in data if isinstance(data[key], str)]
    if isinstance(emergency, dict):
        paths.append(("emergency", "text"))
    for path in paths:
        problems += _markup_problems(document, path, channel_ids)
        text = document.value_at(path)
        if not isinstance(text, str):
            continue
        length = message_length(expand_placeholders(text.strip(), channels))
        limit = MAX_MESSAGE_LENGTH - MESSAGE_RESERVE
        if length > limit:
            problems.append(ContentProblem(document.name, document.line_of(path),
                f"pesan '{path[0]}' terlalu panjang ({length} karakter); batasnya {limit} agar "
                "bersama tambahan dari bot tetap muat dalam satu pesan Telegram"))
    return problems


# --- cek_tawaran.yaml, tips.yaml -------------------------------------------------------------


def _check_prevention(document: YamlDocument, channel_ids: Collection[str] | None,
                      faq_ids: Collection[str] | None) -> list[ContentProblem]:
    """Every text is sent as Telegram HTML; ids must be unique and references must exist."""
    problems: list[ContentProblem] = []
    for section in ("questions", "tips"):
        problems += _duplicates(document, section, "id")
    for path in _text_paths(document.data):
        problems += _markup_problems(document, path, channel_ids)
    data = document.data if isinstance(document.data, dict) else {}
    references = (("channels", channel_ids, "kanal", "bagian channels"),
                  ("offered_after", faq_ids, "pertanyaan", "bagian faqs"))
    for key, known, what, where in references:
        listed = data.get(key)
        if known is None or not isinstance(listed, list):
            continue
        for index, item in enumerate(listed):
            if isinstance(item, str) and item not in known:
                problems.append(ContentProblem(document.name, document.line_of((key, index)),
                    f"{what} '{item}' tidak ada di {where} {FAQ_FILE}; tulis id yang sudah ada"))
    return problems


def _text_paths(node: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(node, str):
        return [path]
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _text_paths(value, (*path, key))]
    if isinstance(node, list):
        return [p for index, value in enumerate(node) for p in _text_paths(value, (*path, index))]
    return []


# --- luar_topik.yaml -------------------------------------------------------------------------


def _check_offtopic(document: YamlDocument,
                    faq_document: YamlDocument | None) -> list[ContentProblem]:
    """A message that is also an FAQ example teaches the classifier two opposite things."""
    examples: dict[str, tuple[str, int | None]] = {}
    if faq_document is not None:
        for position, item in _raw_items(faq_document, "faqs"):
            written = item.get("examples")
            for index, example in enumerate(written if isinstance(written, list) else []):
                if isinstance(example, str):
                    line = faq_document.line_of(("faqs", position, "examples", index))
                    examples[_example_key(example)] = (str(item.get("id")), line)
    data = document.data if isinstance(document.data, dict) else {}
    messages = data.get("examples")
    problems: list[ContentProblem] = []
    seen: dict[str, int | None] = {}
    for index, message in enumerate(messages if isinstance(messages, list) else []):
        if not isinstance(message, str):
            continue
        key = _example_key(message)
        line = document.line_of(("examples", index))
        if key in examples:
            faq_id, faq_line = examples[key]
            problems.append(ContentProblem(document.name, line,
                f"pesan '{message}' juga contoh pertanyaan '{faq_id}' ({FAQ_FILE}:{faq_line}); "
                "satu kalimat tidak bisa sekaligus di luar dan di dalam topik, hapus salah "
                "satunya"))
        elif key in seen:
            problems.append(ContentProblem(document.name, line,
                f"pesan '{message}' sudah ditulis di baris {seen[key]}; hapus salah satunya",
                Severity.WARNING))
        else:
            seen[key] = line
    return problems


# --- tanda_lowongan.yaml ---------------------------------------------------------------------

_JOB_AD_TEXTS = ("signs_heading", "official_heading", "official_note", "next_steps", "prompt",
                 "share_text")


def _check_job_ads(document: YamlDocument, channels: Mapping[str, Channel],
                   channel_ids: Collection[str] | None) -> list[ContentProblem]:
    """Unique ids, references that exist, thresholds in order, and Telegram-safe texts."""
    name = document.name
    data = document.data if isinstance(document.data, dict) else {}
    problems: list[ContentProblem] = []
    for section in ("signs", "official_features"):
        problems += _duplicates(document, section, "id")
    paths: list[tuple[str | int, ...]] = [(key,) for key in _JOB_AD_TEXTS]
    paths += [(level, key) for level in ("high", "medium", "low") for key in ("title", "text")]
    paths += [("signs", i, key) for i, _ in _raw_items(document, "signs")
              for key in ("title", "explanation")]
    paths += [("official_features", i, "title") for i, _ in _raw_items(document,
                                                                        "official_features")]
    for path in paths:
        problems += _markup_problems(document, path, channel_ids)
    listed = data.get("channels")
    for index, channel_id in enumerate(listed if isinstance(listed, list) else []):
        if channel_ids is not None and isinstance(channel_id, str) \
                and channel_id not in channel_ids:
            problems.append(ContentProblem(name, document.line_of(("channels", index)),
                f"kanal '{channel_id}' tidak ada di bagian channels {FAQ_FILE}"
                f"{_did_you_mean(channel_id, channel_ids)}"))
    siskop = data.get("siskop2mi_channel")
    if isinstance(siskop, str) and channel_ids is not None:
        if siskop not in channel_ids:
            problems.append(ContentProblem(name, document.line_of(("siskop2mi_channel",)),
                f"kanal '{siskop}' tidak ada di bagian channels {FAQ_FILE}"))
        elif siskop in channels and not channels[siskop].url:
            problems.append(ContentProblem(name, document.line_of(("siskop2mi_channel",)),
                f"kanal '{siskop}' tidak punya url; tombol SISKOP2MI perlu alamat situsnya"))
    sign_ids = _written_ids(document, "signs") or set()
    pay = data.get("pay") if isinstance(data.get("pay"), dict) else {}
    if isinstance(pay.get("sign"), str) and pay["sign"] not in sign_ids:
        problems.append(ContentProblem(name, document.line_of(("pay", "sign")),
            f"pay.sign '{pay['sign']}' bukan id tanda di bagian signs"
            f"{_did_you_mean(pay['sign'], sign_ids)}"))
    currencies = {str(c.get("id")) for c in pay.get("currencies", []) if isinstance(c, dict)}
    if isinstance(pay.get("default_currency"), str) and pay["default_currency"] not in currencies:
        problems.append(ContentProblem(name, document.line_of(("pay", "default_currency")),
            f"default_currency '{pay['default_currency']}' bukan id di pay.currencies"))
    medium, high = data.get("medium_min_score"), data.get("high_min_score")
    if isinstance(medium, int) and isinstance(high, int) and medium > high:
        problems.append(ContentProblem(name, document.line_of(("high_min_score",)),
            f"high_min_score ({high}) harus sama atau lebih besar dari medium_min_score "
            f"({medium})"))
    return problems


# --- normalisasi.yaml -------------------------------------------------------------------------


def _check_lexicon(document: YamlDocument) -> list[ContentProblem]:
    """A left-hand word the normaliser can never see would silently do nothing."""
    data = document.data if isinstance(document.data, dict) else {}
    words = data.get("kata")
    if not isinstance(words, dict):
        return []
    problems: list[ContentProblem] = [*_lexicon_chains(document, words),
                                      *_misplaced_phrases(document, data.get("frasa"))]
    for informal, standard in words.items():
        line = document.line_of(("kata", informal))
        if isinstance(informal, str) and not _LEXICON_WORD.match(informal):
            problems.append(ContentProblem(document.name, line,
                f"kata '{informal}' tidak akan pernah cocok: sebelah kiri harus satu kata, huruf "
                "kecil a-z dan angka saja, tanpa spasi atau tanda baca"))
        if isinstance(standard, str) and not _LEXICON_STANDARD.match(standard):
            problems.append(ContentProblem(document.name, line,
                f"bentuk baku '{standard}' untuk '{informal}' hanya boleh huruf kecil, angka, "
                "spasi, dan tanda hubung; tulis \"\" bila kata itu cukup dihapus"))
    return problems


def _lexicon_chains(document: YamlDocument, words: dict[Any, Any]) -> list[ContentProblem]:
    """`bgwi: bagawi` while `bagawi: bekerja` exists: the bot replaces once, so "bgwi" would
    become "bagawi" and never reach "bekerja"."""
    problems = []
    for informal, standard in words.items():
        if not isinstance(standard, str):
            continue
        for word in standard.split():
            target = words.get(word)
            if word != informal and isinstance(target, str):
                problems.append(ContentProblem(document.name, document.line_of(("kata", informal)),
                    f"'{informal}' diubah menjadi '{word}', padahal '{word}' sendiri diubah "
                    f"menjadi '{target}' (baris {document.line_of(('kata', word))}); bot hanya "
                    f"mengubah satu kali, jadi tulis langsung "
                    f"{informal}: {standard.replace(word, target)}", Severity.WARNING))
    return problems


def _misplaced_phrases(document: YamlDocument, phrases: Any) -> list[ContentProblem]:
    """A single word under `frasa:` is almost always a slang word appended at the end of the
    file, below `frasa:` instead of under `kata:`; as a phrase it is never used as a word."""
    if not isinstance(phrases, dict):
        return []
    return [ContentProblem(document.name, document.line_of(("frasa", phrase)),
                f"'{phrase}' hanya satu kata tetapi tertulis di bagian frasa: (bagian bawah "
                "berkas, untuk istilah beberapa kata); kata tidak baku ditulis di bagian kata: "
                f"— pindahkan baris '{phrase}: {standard}' ke atas baris 'frasa:'",
                Severity.WARNING)
            for phrase, standard in phrases.items()
            if isinstance(phrase, str) and len(phrase.split()) == 1]
