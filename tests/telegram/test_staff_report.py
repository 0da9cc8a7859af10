"""/laporan's message: one Telegram message whatever the week looked like, user text escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.content.telegram_html import MAX_MESSAGE_LENGTH, html_problems
from bot.engine.knowledge import Knowledge
from bot.storage.report import Count, FeedbackCount, UnansweredGroup, UsageReport
from bot.telegram.staff_report import TOP_ROWS, report_html

UNTIL = datetime(2026, 5, 8, 9, 30, tzinfo=UTC)


def usage(*, faqs: int = 0, groups: int = 0, example: str = "cara menanam cabai") -> UsageReport:
    return UsageReport(
        since=UNTIL - timedelta(days=7), until=UNTIL, days=7, total_messages=120,
        distinct_users=30, emergencies=2,
        intents=(Count("faq", 90), Count("fallback", 28), Count("emergency", 2)),
        faqs=tuple(Count(f"faq-{n}", 100 - n) for n in range(faqs)),
        feedback=tuple(FeedbackCount(f"faq-{n}", 3, 1) for n in range(faqs)),
        unanswered=tuple(UnansweredGroup(groups - n, (f"{example} {n}",), "apa-itu-tppo",
                                         "Apa itu TPPO?", 0.21) for n in range(groups)),
    )


def test_a_busy_week_fits_in_one_message_and_escapes_user_text() -> None:
    text = report_html(usage(faqs=60, groups=60, example="<b>gaji</b> & " + "x" * 400), None)
    assert len(text) <= MAX_MESSAGE_LENGTH
    assert html_problems(text) == []
    assert "&lt;b&gt;gaji&lt;/b&gt; &amp;" in text and "<b>gaji</b>" not in text
    assert f"… dan {60 - TOP_ROWS} lainnya" in text


def test_a_quiet_week_says_so(knowledge: Knowledge) -> None:
    text = report_html(UsageReport(UNTIL - timedelta(days=7), UNTIL, 7, 0, 0, 0, (), (), (), ()),
                       knowledge)
    assert html_problems(text) == []
    assert "1 Mei 2026 – 8 Mei 2026" in text
    assert "Pesan: <b>0</b> dari <b>0</b> pengguna" in text
    assert text.count("(belum ada)") == 2 and "(tidak ada)" in text


def test_faqs_are_named_by_their_question(knowledge: Knowledge) -> None:
    report = usage()
    report = UsageReport(**{**report.__dict__, "faqs": (Count("apa-itu-tppo", 5),
                                                         Count("entri-yang-dihapus", 1))})
    text = report_html(report, knowledge)
    assert "1. Apa itu TPPO (tindak pidana perdagangan orang)? — <b>5</b>×" in text
    assert "2. <code>entri-yang-dihapus</code> — <b>1</b>×" in text


def test_job_ad_signs_are_listed_by_title(knowledge: Knowledge) -> None:
    report = UsageReport(UNTIL - timedelta(days=7), UNTIL, 7, 3, 2, 0, (), (), (), (),
                         job_ad_levels=(Count("high", 2), Count("low", 1)),
                         job_ad_signs=(Count("tujuan-berisiko", 2), Count("tiket-gratis", 1)))
    text = report_html(report, knowledge)
    assert html_problems(text) == []
    assert "<b>Cek lowongan</b>: <b>3</b> iklan (🔴 2 · ⚪ 1)" in text
    assert "1. Tujuan yang sering dipakai perdagangan orang — <b>2</b>×" in text
