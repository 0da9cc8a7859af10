"""`report`: usage for staff as text (Indonesian), CSV (one `section` column) or JSON."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from bot.cli.common import load_settings, understanding_setup
from bot.content.loader import load_content
from bot.engine.knowledge import Knowledge
from bot.settings import Settings
from bot.storage.database import create_engine_for, create_session_factory
from bot.storage.report import INTENT_LABELS, UsageReport, usage_report
from bot.storage.transactions import describe_failure

CSV_COLUMNS = (
    "section",
    "key",
    "value",
    "helpful",
    "not_helpful",
    "nearest_faq_id",
    "nearest_score",
    "examples",
)
SPREADSHEET_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WITA = ZoneInfo("Asia/Makassar")
"""Staff work in Samarinda: every time they read is Central Indonesian Time."""
WHAT_IS_RECORDED = (
    "Yang dicatat: pesan yang masuk lewat Telegram (jenis pertanyaan, FAQ yang dibuka, penilaian "
    "👍/👎, jumlah pesan darurat, dan pertanyaan yang belum terjawab setelah nomor, e-mail, dan "
    "tautan dihapus). Pengguna dihitung dengan kode samaran, bukan id Telegram.",
    "Yang tidak dicatat: percakapan di terminal (python -m bot console dan ask), isi pesan "
    "darurat, dan jawaban Cek Tawaran Kerja (hanya tingkat hasilnya).",
)


def run_report(days: int, output_format: str) -> int:
    if days < 1:
        print("--days harus 1 atau lebih", file=sys.stderr)
        return 2
    settings = load_settings()
    knowledge = _load_knowledge(settings)
    try:
        report = asyncio.run(_collect(settings, knowledge, days))
    except (SQLAlchemyError, OSError) as error:
        print(
            f"Basis data tidak bisa dibaca ({describe_failure(error)}). "
            "Sudahkah `python -m bot db upgrade` dijalankan?",
            file=sys.stderr,
        )
        return 1
    sys.stdout.write(FORMATTERS[output_format](report))
    return 0


def _load_knowledge(settings: Settings) -> Knowledge | None:
    """Today's content, to name the nearest FAQ; the report still works without it. Understood
    as the bot understands it, with the model the bot keeps in DATA_DIR/cache, so a report
    does not train one (seconds of CPU) unless the content changed since the bot last ran."""
    result = load_content(settings.content_dir)
    if result.bundle is None:
        print(
            f"Konten di {settings.content_dir} tidak sah; FAQ terdekat diambil dari data lama.",
            file=sys.stderr,
        )
        return None
    return Knowledge.build(result.bundle, understanding_setup(settings))


async def _collect(settings: Settings, knowledge: Knowledge | None, days: int) -> UsageReport:
    engine = create_engine_for(settings.database_url)
    try:
        return await usage_report(create_session_factory(engine), knowledge, days=days)
    finally:
        await engine.dispose()


def in_wita(moment: datetime) -> datetime:
    """Stored times are UTC (naive ones too)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(WITA)


def _when(report: UsageReport) -> str:
    since, until = in_wita(report.since), in_wita(report.until)
    return f"{since:%d-%m-%Y %H.%M} s.d. {until:%d-%m-%Y %H.%M} WITA"


def format_text(report: UsageReport) -> str:
    lines = [
        f"LAPORAN PENGGUNAAN BOT — {report.days} hari terakhir",
        f"Periode: {_when(report)}",
        f"Pesan: {report.total_messages} dari {report.distinct_users} pengguna",
        f"Pesan darurat: {report.emergencies}",
        *WHAT_IS_RECORDED,
    ]
    if report.total_messages == 0:
        lines.append("Belum ada pesan dari Telegram pada periode ini (percakapan di terminal "
                     "memang tidak masuk laporan).")
    lines += [
        "",
        "Pertanyaan per jenis",
    ]
    lines += [f"  {INTENT_LABELS.get(c.key, c.key):<20} {c.count:>6}" for c in report.intents]
    lines += _empty_note(report.intents)
    lines += ["", "Pertanyaan per FAQ"]
    lines += [f"  {c.key:<30} {c.count:>6}" for c in report.faqs]
    lines += _empty_note(report.faqs)
    lines += ["", "Umpan balik per FAQ (membantu / kurang membantu)"]
    lines += [f"  {f.faq_id:<30} {f.helpful:>4} / {f.not_helpful}" for f in report.feedback]
    lines += _empty_note(report.feedback)
    lines += ["", "Pertanyaan yang belum terjawab (dikelompokkan menurut kemiripan)"]
    for number, group in enumerate(report.unanswered, start=1):
        first, *others = group.examples
        lines.append(f"  {number}. {group.count}× “{first}”")
        lines += [f"       mirip: “{text}”" for text in others]
        if group.nearest_faq_id:
            question = f" — {group.nearest_question}" if group.nearest_question else ""
            score = f" (skor {group.nearest_score:.2f})" if group.nearest_score is not None else ""
            lines.append(f"       FAQ terdekat: {group.nearest_faq_id}{question}{score}")
        else:
            lines.append("       FAQ terdekat: tidak ada")
    lines += _empty_note(report.unanswered)
    lines += ["", "Cek lowongan: iklan per tingkat dan tanda bahaya yang paling sering"]
    lines += [f"  tingkat {c.key:<22} {c.count:>6}" for c in report.job_ad_levels]
    lines += [f"  {c.key:<30} {c.count:>6}" for c in report.job_ad_signs]
    lines += _empty_note(report.job_ad_levels)
    if report.unanswered:
        lines += [
            "",
            "Bila cocok, tambahkan pertanyaan di atas sebagai contoh (examples) pada FAQ "
            "terdekat di content/faq_id.yaml, atau buat FAQ baru.",
        ]
    return "\n".join(lines) + "\n"


def _empty_note(rows: tuple[object, ...]) -> list[str]:
    return [] if rows else ["  (tidak ada)"]


def _cell(value: object) -> str:
    """Text a spreadsheet will not run as a formula (user text can start with '=')."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(SPREADSHEET_FORMULA_START) else text


def format_csv(report: UsageReport) -> str:
    rows: list[dict[str, object]] = [
        {"section": "summary", "key": "days", "value": report.days},
        {"section": "summary", "key": "since", "value": in_wita(report.since).isoformat()},
        {"section": "summary", "key": "until", "value": in_wita(report.until).isoformat()},
        {"section": "summary", "key": "total_messages", "value": report.total_messages},
        {"section": "summary", "key": "distinct_users", "value": report.distinct_users},
        {"section": "summary", "key": "emergencies", "value": report.emergencies},
    ]
    rows += [{"section": "intent", "key": c.key, "value": c.count} for c in report.intents]
    rows += [{"section": "faq", "key": c.key, "value": c.count} for c in report.faqs]
    rows += [
        {
            "section": "feedback",
            "key": f.faq_id,
            "value": f.helpful + f.not_helpful,
            "helpful": f.helpful,
            "not_helpful": f.not_helpful,
        }
        for f in report.feedback
    ]
    rows += [{"section": "job_ad_level", "key": c.key, "value": c.count}
             for c in report.job_ad_levels]
    rows += [{"section": "job_ad_sign", "key": c.key, "value": c.count}
             for c in report.job_ad_signs]
    rows += [
        {
            "section": "unanswered",
            "key": g.examples[0],
            "value": g.count,
            "nearest_faq_id": g.nearest_faq_id,
            "nearest_score": g.nearest_score,
            "examples": " | ".join(g.examples),
        }
        for g in report.unanswered
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: _cell(row.get(column)) for column in CSV_COLUMNS})
    return buffer.getvalue()


def report_as_dict(report: UsageReport) -> dict[str, object]:
    return {
        "period": {
            "days": report.days,
            "since": in_wita(report.since).isoformat(),
            "until": in_wita(report.until).isoformat(),
        },
        "summary": {
            "total_messages": report.total_messages,
            "distinct_users": report.distinct_users,
            "emergencies": report.emergencies,
        },
        "intents": {c.key: c.count for c in report.intents},
        "faqs": [{"faq_id": c.key, "count": c.count} for c in report.faqs],
        "feedback": [
            {"faq_id": f.faq_id, "helpful": f.helpful, "not_helpful": f.not_helpful}
            for f in report.feedback
        ],
        "unanswered": [
            {
                "count": g.count,
                "examples": list(g.examples),
                "nearest_faq_id": g.nearest_faq_id,
                "nearest_question": g.nearest_question,
                "nearest_score": g.nearest_score,
            }
            for g in report.unanswered
        ],
        "job_ads": {
            "levels": {c.key: c.count for c in report.job_ad_levels},
            "signs": [{"sign_id": c.key, "count": c.count} for c in report.job_ad_signs],
        },
    }


def format_json(report: UsageReport) -> str:
    return json.dumps(report_as_dict(report), ensure_ascii=False, indent=2) + "\n"


FORMATTERS: dict[str, Callable[[UsageReport], str]] = {
    "text": format_text,
    "csv": format_csv,
    "json": format_json,
}
