"""Turning decisions into replies: wording comes from content, layout is decided here once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.content.channels import channel_summary, expand_placeholders, whatsapp_link
from bot.content.consistency import faq_message
from bot.content.models import Channel, FaqEntry
from bot.engine.knowledge import Knowledge
from bot.engine.reply import Button, ChartRequest, Intent, Reply

BUTTON_LABEL_LIMIT = 48
FAQ_PAGE_SIZE = 6

MENU_BUTTONS: tuple[tuple[Button, ...], ...] = (
    (Button("❓ Tanya jawab TPPO", action="faq-categories"),
     Button("📊 Statistik Kaltim", action="stats")),
    (Button("📞 Lapor & bantuan", action="channels"),
     Button("🚨 Darurat", action="emergency")),
    (Button("📋 Cek lowongan", action="jobad"), Button("🔎 Cek tawaran kerja", action="jc")),
    (Button("🔒 Privasi", action="privacy"), Button("ℹ️ Tentang bot", action="about")),
)
JOB_CHECK_BUTTON = Button("🔎 Cek tawaran kerja ini", action="jc")


def short_label(text: str, limit: int = BUTTON_LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def channel_buttons(channels: Iterable[Channel]) -> tuple[tuple[Button, ...], ...]:
    """Link buttons only: Telegram buttons cannot dial, so phone numbers stay in the text."""
    rows: list[tuple[Button, ...]] = []
    for channel in channels:
        if channel.whatsapp:
            rows.append((Button(f"💬 WhatsApp {short_label(channel.name, 30)}",
                                url=whatsapp_link(channel.whatsapp)),))
        if channel.url:
            rows.append((Button(f"🌐 {short_label(channel.name, 36)}", url=channel.url),))
    return tuple(rows)


class ReplyBuilder:
    def __init__(self, knowledge: Knowledge) -> None:
        self._content = knowledge.content
        self._messages = knowledge.content.messages
        self._channels = knowledge.content.channels_by_id

    def _expand(self, text: str) -> str:
        return expand_placeholders(text.strip(), self._channels)

    def _channels_for(self, ids: Sequence[str]) -> list[Channel]:
        return [self._channels[i] for i in ids if i in self._channels]

    def faq(self, entry: FaqEntry, score: float = 1.0) -> Reply:
        html = (f"{faq_message(entry.question, entry.answer, self._channels)}"
                f"\n\n<i>{self._expand(self._messages.feedback_prompt)}</i>")
        rows: list[tuple[Button, ...]] = [
            (Button(f"➡️ {short_label(self._content.faqs_by_id[r].question)}", action=f"faq:{r}"),)
            for r in entry.related
            if r in self._content.faqs_by_id
        ]
        rows += channel_buttons(self._channels_for(entry.channels))
        if entry.id in self._content.job_offer_check.offered_after:
            rows.append((JOB_CHECK_BUTTON,))
        rows.append((Button("👍 Membantu", action=f"fb:{entry.id}:1"),
                     Button("👎 Kurang membantu", action=f"fb:{entry.id}:0")))
        rows.append((Button("📋 Menu", action="menu"),))
        return Reply(Intent.FAQ, html, tuple(rows), faq_id=entry.id, score=score)

    def emergency(self, score: float = 1.0) -> Reply:
        emergency = self._messages.emergency
        lines = [self._expand(emergency.text)]
        lines += [f"• {channel_summary(c)}" for c in self._channels_for(emergency.channels)]
        abroad = self._channels_for(emergency.abroad_channels)
        if abroad:
            lines.append("\n" + self._expand(emergency.abroad_intro))
            lines += [f"• {channel_summary(c)}" for c in abroad]
        lines.append("\n" + self._expand(emergency.next_step))
        listed = [*emergency.channels, *emergency.abroad_channels]
        rows = list(channel_buttons(self._channels_for(listed)))
        rows.append((Button("🧹 Hapus jejak percakapan", action="erase"),))
        return Reply(Intent.EMERGENCY, "\n".join(lines), tuple(rows), score=score, sensitive=True)

    def fallback(self, suggestions: Sequence[FaqEntry], score: float = 0.0) -> Reply:
        lines = [self._expand(self._messages.fallback)]
        rows: list[tuple[Button, ...]] = []
        if suggestions:
            lines.append(self._expand(self._messages.fallback_suggestions))
            rows += [(Button(short_label(s.question), action=f"faq:{s.id}"),) for s in suggestions]
        lines.append("\n" + self._expand(self._messages.fallback_help_intro))
        lines += [f"• {channel_summary(c)}" for c in self._channels_for(["sapa-129", "polisi-110"])]
        rows += MENU_BUTTONS
        return Reply(Intent.FALLBACK, "\n".join(lines), tuple(rows), score=score,
                     suggestions=tuple(s.id for s in suggestions))

    def with_job_check(self, reply: Reply) -> Reply:
        """The same reply offering the job-offer check (the message is about a concrete offer)."""
        if any(b.action == JOB_CHECK_BUTTON.action for row in reply.buttons for b in row):
            return reply
        return replace(reply, buttons=((JOB_CHECK_BUTTON,), *reply.buttons))

    def job_check_cancelled(self) -> Reply:
        return self.menu(self._content.job_offer_check.cancelled)

    def smalltalk(self, message: str) -> Reply:
        return Reply(Intent.SMALLTALK, self._expand(message), MENU_BUTTONS, score=1.0)

    def stats(self, html: str, chart: ChartRequest, score: float = 1.0) -> Reply:
        rows = (
            (Button("📊 Lihat grafik", action=f"chart:{chart.kind}:{chart.key}"),),
            *self.stats_navigation(),
            (Button("📞 Lapor & bantuan", action="channels"), Button("📋 Menu", action="menu")),
        )
        text = (f"{html}\n\nMengetahui atau mengalami TPPO? Laporkan: "
                f"{channel_summary(self._channels['sapa-129'])}"
                if "sapa-129" in self._channels else html)
        return Reply(Intent.STATS, text, rows, score=score, chart=chart)

    def stats_navigation(self) -> tuple[tuple[Button, ...], ...]:
        years = tuple(Button(str(y), action=f"stats:year:{y}")
                      for y in self._content.years_by_number)
        regions = [Button(r.name, action=f"stats:region:{r.id}")
                   for r in self._content.stats.regions]
        region_rows = tuple(tuple(regions[i : i + 3]) for i in range(0, len(regions), 3))
        return (years, *region_rows)

    def channels(self) -> Reply:
        lines = [self._expand(self._messages.help_channels_intro)]
        for channel in self._content.faq.channels:
            line = f"• {channel_summary(channel)}\n  <i>{self._expand(channel.purpose)}</i>"
            lines.append(line)
        lines.append("\n<i>Nomor dikumpulkan dari pemberitaan publik; tanggal pemeriksaan "
                     "tercantum di berkas konten.</i>")
        rows = (*channel_buttons(self._content.faq.channels), (Button("📋 Menu", action="menu"),))
        return Reply(Intent.FAQ, "\n".join(lines), rows, score=1.0)

    def menu(self, text: str | None = None) -> Reply:
        return Reply(Intent.SMALLTALK, self._expand(text or self._messages.menu), MENU_BUTTONS,
                     score=1.0)

    def categories(self) -> Reply:
        rows = tuple(
            (Button(c.title, action=f"cat:{c.id}:0"),) for c in self._content.faq.categories
        )
        menu = (Button("📋 Menu", action="menu"),)
        return Reply(Intent.FAQ, "<b>Pilih topik:</b>", (*rows, menu), score=1.0)

    def category(self, category_id: str, page: int) -> Reply | None:
        entries = [f for f in self._content.faq.faqs if f.category == category_id]
        pages = max(1, -(-len(entries) // FAQ_PAGE_SIZE))
        if not entries or not 0 <= page < pages:
            return None
        shown = entries[page * FAQ_PAGE_SIZE : (page + 1) * FAQ_PAGE_SIZE]
        rows: list[tuple[Button, ...]] = [
            (Button(short_label(e.question), action=f"faq:{e.id}"),) for e in shown
        ]
        navigation = []
        if page > 0:
            navigation.append(Button("⬅️ Sebelumnya", action=f"cat:{category_id}:{page - 1}"))
        if page + 1 < pages:
            navigation.append(Button("Berikutnya ➡️", action=f"cat:{category_id}:{page + 1}"))
        if navigation:
            rows.append(tuple(navigation))
        rows.append((Button("⬅️ Semua topik", action="faq-categories"),))
        title = self._content.category_title(category_id)
        return Reply(Intent.FAQ, f"<b>{title}</b> (halaman {page + 1}/{pages})", tuple(rows),
                     score=1.0)

    def text_page(self, message: str, *, sensitive: bool = False) -> Reply:
        return Reply(Intent.FAQ, self._expand(message), ((Button("📋 Menu", action="menu"),),),
                     score=1.0, sensitive=sensitive)
