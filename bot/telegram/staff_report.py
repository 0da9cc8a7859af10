"""The usage report as one Telegram message for staff (/laporan): the CLI report, shortened.

Only the top rows of each section are shown so it fits in one message on a phone; the full
report stays `python -m bot report`. Stored questions are scrubbed already but are still user
text, so everything is escaped.
"""

from __future__ import annotations

from bot.content.telegram_html import MAX_MESSAGE_LENGTH, escape
from bot.engine.knowledge import Knowledge
from bot.prevention.job_ad import OfferLevel
from bot.stats.answers import indonesian_date
from bot.storage.report import INTENT_LABELS, UsageReport

TOP_ROWS = 5
QUOTE_LIMIT = 80
"""Characters of a question or FAQ title shown in one row."""
JOB_AD_LEVEL_LABELS = {OfferLevel.HIGH: "🔴", OfferLevel.MEDIUM: "🟡", OfferLevel.LOW: "⚪"}


def report_html(report: UsageReport, knowledge: Knowledge | None,
                *, top: int = TOP_ROWS) -> str:
    """The report in Indonesian Telegram HTML, under 4,096 characters (fewer rows if needed)."""
    sections = [
        _summary(report),
        _intents(report),
        _faqs(report, knowledge, top),
        _feedback(report, knowledge, top),
        _unanswered(report, top),
        _job_ads(report, knowledge, top),
        f"Laporan lengkap: <code>python -m bot report --days {report.days}</code>",
    ]
    text = "\n\n".join(sections)
    if len(text) > MAX_MESSAGE_LENGTH and top > 1:
        return report_html(report, knowledge, top=top - 1)
    return text


def _summary(report: UsageReport) -> str:
    period = f"{indonesian_date(report.since.date())} – {indonesian_date(report.until.date())}"
    return (f"📊 <b>Laporan {report.days} hari terakhir</b>\n<i>{period} (UTC)</i>\n"
            f"Pesan: <b>{report.total_messages}</b> dari <b>{report.distinct_users}</b> "
            f"pengguna\nPesan darurat: <b>{report.emergencies}</b>")


def _intents(report: UsageReport) -> str:
    rows = [f"• {escape(INTENT_LABELS.get(c.key, c.key))}: <b>{c.count}</b>"
            for c in report.intents]
    return "\n".join(["<b>Pertanyaan per jenis</b>", *(rows or ["• (belum ada)"])])


def _faqs(report: UsageReport, knowledge: Knowledge | None, top: int) -> str:
    rows = [f"{number}. {_faq_title(c.key, knowledge)} — <b>{c.count}</b>×"
            for number, c in enumerate(report.faqs[:top], start=1)]
    return "\n".join(["<b>FAQ paling sering dibuka</b>", *(rows or ["(belum ada)"]),
                      *_more(len(report.faqs), top)])


def _feedback(report: UsageReport, knowledge: Knowledge | None, top: int) -> str:
    helpful = sum(f.helpful for f in report.feedback)
    not_helpful = sum(f.not_helpful for f in report.feedback)
    rows = [f"• {_faq_title(f.faq_id, knowledge)}: 👍 {f.helpful} · 👎 {f.not_helpful}"
            for f in report.feedback[:top]]
    return "\n".join([f"<b>Penilaian jawaban</b>: 👍 {helpful} membantu · 👎 {not_helpful} "
                      "kurang membantu", *rows, *_more(len(report.feedback), top)])


def _unanswered(report: UsageReport, top: int) -> str:
    lines = ["<b>Pertanyaan yang belum terjawab</b> (dikelompokkan menurut kemiripan)"]
    for number, group in enumerate(report.unanswered[:top], start=1):
        lines.append(f"{number}. <b>{group.count}</b>× “{escape(_shorten(group.examples[0]))}”")
        if group.nearest_question:
            score = f" (skor {group.nearest_score:.2f})" if group.nearest_score is not None else ""
            lines.append(f"   FAQ terdekat: {escape(_shorten(group.nearest_question))}{score}")
        else:
            lines.append("   FAQ terdekat: tidak ada")
    if not report.unanswered:
        lines.append("(tidak ada)")
    lines += _more(len(report.unanswered), top)
    return "\n".join(lines)


def _job_ads(report: UsageReport, knowledge: Knowledge | None, top: int) -> str:
    """Which warning signs forwarded job ads showed most (only levels and ids are stored)."""
    checked = sum(c.count for c in report.job_ad_levels)
    levels = " · ".join(f"{JOB_AD_LEVEL_LABELS.get(c.key, c.key)} {c.count}"
                        for c in report.job_ad_levels)
    lines = [f"<b>Cek lowongan</b>: <b>{checked}</b> iklan" + (f" ({levels})" if levels else "")]
    titles = {s.id: s.title for s in knowledge.content.job_ads.signs} if knowledge else {}
    lines += [f"{number}. {escape(titles.get(c.key, c.key))} — <b>{c.count}</b>×"
              for number, c in enumerate(report.job_ad_signs[:top], start=1)]
    return "\n".join([*lines, *_more(len(report.job_ad_signs), top)])


def _faq_title(faq_id: str, knowledge: Knowledge | None) -> str:
    """The question staff wrote (the id of an entry deleted since, in code style)."""
    entry = knowledge.content.faqs_by_id.get(faq_id) if knowledge is not None else None
    return escape(_shorten(entry.question)) if entry else f"<code>{escape(faq_id)}</code>"


def _more(total: int, shown: int) -> list[str]:
    return [f"… dan {total - shown} lainnya"] if total > shown else []


def _shorten(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"
