"""Turning decisions into replies: wording comes from content, layout is decided here once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Literal

from bot.content.channels import (
    UNCONFIRMED_MARK,
    channel_summary,
    expand_placeholders,
    shows_numbers,
    whatsapp_link,
)
from bot.content.consistency import faq_message
from bot.content.models import Channel, FaqEntry
from bot.engine.knowledge import Knowledge
from bot.engine.reply import Button, ChartRequest, Intent, Reply
from bot.language.places import NO_PLACE, PlaceMention
from bot.prevention.job_ad_check import PROMPT_ACTION as JOB_AD_ACTION
from bot.prevention.job_offer_check import ACTION as JOB_CHECK_ACTION

BUTTON_LABEL_LIMIT = 48
FAQ_PAGE_SIZE = 6

MENU_BUTTONS: tuple[tuple[Button, ...], ...] = (
    (Button("❓ Tanya jawab TPPO", action="faq-categories"),
     Button("📊 Statistik Kaltim", action="stats")),
    (Button("📞 Lapor & bantuan", action="channels"),
     Button("🚨 Darurat", action="emergency")),
    (Button("📋 Cek lowongan", action=JOB_AD_ACTION),
     Button("🔎 Cek tawaran kerja", action=JOB_CHECK_ACTION)),
    (Button("🔒 Privasi", action="privacy"), Button("ℹ️ Tentang bot", action="about")),
)
JOB_CHECK_BUTTON = Button("🔎 Cek tawaran kerja ini", action=JOB_CHECK_ACTION)
LOCAL_HEADING = "Layanan di {place}:"
HOME_HEADING = "Bila Anda di Indonesia:"
GENERAL_HEADING = "Layanan untuk seluruh Indonesia dan Kaltim:"
CHANNELS_FOOTER = ("Sebagian besar nomor dikutip dari pemberitaan publik. Bila satu nomor tidak "
                   "tersambung, coba layanan lain di daftar ini. Kanal bertanda "
                   f"\"{UNCONFIRMED_MARK}\" belum dapat dipastikan nomornya.")
QUICK_EXIT_BUTTON = Button("🚪 Keluar cepat (hapus chat)", action="exit")
"""Erases the conversation at once, leaving one neutral line (the adapter does it)."""
SAFE_MODE_BUTTON = Button("🛡️ Mode aman", action="safe")
PRIVACY_FAQ_ID = "privasi-data"
"""Its answer only points to /privasi; the button opens the page generated from privasi.yaml,
so the FAQ and /privasi never say different things."""
PRIVACY_BUTTON = Button("🔒 Rincian privasi", action="privacy")
REPORTING_CATEGORY = "melapor"
"""Answers about reporting carry the quick-exit button, like the emergency reply."""


def short_label(text: str, limit: int = BUTTON_LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def channel_buttons(channels: Iterable[Channel]) -> tuple[tuple[Button, ...], ...]:
    """Link buttons only: Telegram buttons cannot dial, so phone numbers stay in the text."""
    rows: list[tuple[Button, ...]] = []
    for channel in channels:
        if channel.whatsapp and shows_numbers(channel):
            rows.append((Button(f"💬 WhatsApp {short_label(channel.name, 30)}",
                                url=whatsapp_link(channel.whatsapp)),))
        if channel.url:
            rows.append((Button(f"🌐 {short_label(channel.name, 36)}", url=channel.url),))
    return tuple(rows)


def _feedback_row(faq_id: str) -> tuple[Button, ...]:
    return (Button("👍 Membantu", action=f"fb:{faq_id}:1"),
            Button("👎 Kurang membantu", action=f"fb:{faq_id}:0"))


class ReplyBuilder:
    def __init__(self, knowledge: Knowledge) -> None:
        self._content = knowledge.content
        self._messages = knowledge.content.messages
        self._channels = knowledge.content.channels_by_id
        self._country_names = {c.id: c.name for c in knowledge.content.faq.places.countries}

    def _expand(self, text: str) -> str:
        return expand_placeholders(text.strip(), self._channels)

    def _channels_for(self, ids: Sequence[str]) -> list[Channel]:
        return [self._channels[i] for i in ids if i in self._channels]

    def faq(self, entry: FaqEntry, score: float = 1.0, places: PlaceMention = NO_PLACE) -> Reply:
        """The answer, then the services of any Kaltim region the writer named."""
        local = self._local_channels(places.regions, "regions")
        section = "\n".join(self._local_section(places.regions, local))
        html = (f"{faq_message(entry.question, entry.answer, self._channels)}{section}"
                f"\n\n<i>{self._expand(self._messages.feedback_prompt)}</i>")
        rows: list[tuple[Button, ...]] = [
            (Button(f"➡️ {short_label(self._content.faqs_by_id[r].question)}", action=f"faq:{r}"),)
            for r in entry.related
            if r in self._content.faqs_by_id
        ]
        rows += channel_buttons([*local, *self._channels_for(entry.channels)])
        if entry.id in self._content.job_offer_check.offered_after:
            rows.append((JOB_CHECK_BUTTON,))
        rows.append(_feedback_row(entry.id))
        if entry.category == REPORTING_CATEGORY:
            rows.append((QUICK_EXIT_BUTTON,))
        if entry.id == PRIVACY_FAQ_ID:
            rows.insert(0, (PRIVACY_BUTTON,))
        rows.append((Button("📋 Menu", action="menu"),))
        return Reply(Intent.FAQ, html, tuple(rows), faq_id=entry.id, score=score)

    def emergency(self, places: PlaceMention = NO_PLACE, score: float = 1.0) -> Reply:
        """Numbers that work where the writer is: abroad first when they say they are abroad
        (Indonesian short numbers cannot be dialled from there), then the services of a named
        Kaltim region."""
        emergency = self._messages.emergency
        home = [f"• {channel_summary(c)}" for c in self._channels_for(emergency.channels)]
        abroad_channels = [*self._channels_for(emergency.abroad_channels),
                           *self._local_channels(places.countries, "countries")]
        abroad = [f"• {channel_summary(c)}" for c in abroad_channels]
        intro = self._expand(emergency.abroad_intro)
        lines = [self._expand(emergency.text)]
        if places.abroad:
            lines += [intro, *abroad, f"\n{HOME_HEADING}", *home]
        else:
            lines += [*home, "\n" + intro, *abroad]
        local = self._local_channels(places.regions, "regions")
        lines += self._local_section(places.regions, local)
        lines.append("\n" + self._expand(emergency.next_step))
        lines.append(self._expand(self._messages.emergency_erase_hint))
        listed = [*self._channels_for(emergency.channels), *abroad_channels, *local]
        rows = list(channel_buttons(listed))
        rows.append((QUICK_EXIT_BUTTON, SAFE_MODE_BUTTON))
        return Reply(Intent.EMERGENCY, "\n".join(lines), tuple(rows), score=score, sensitive=True)

    def emergency_with_faq(self, entry: FaqEntry, places: PlaceMention = NO_PLACE) -> Reply:
        """A story that is an emergency and also asks something the FAQ answers ("disekap
        majikan ... apa hukumannya?"): the emergency block first, then that answer, in one
        reply, so the danger is never buried and the question is not ignored."""
        urgent = self.emergency(places)
        answer = faq_message(entry.question, entry.answer, self._channels)
        return replace(urgent, html=f"{urgent.html}\n\n{answer}",
                       buttons=(*urgent.buttons, _feedback_row(entry.id)), faq_id=entry.id)

    def _local_channels(self, place_ids: Sequence[str],
                        field: Literal["regions", "countries"]) -> list[Channel]:
        """Channels of the named places, in the content's order (staff decide what comes first)."""
        wanted = set(place_ids)
        return [c for c in self._content.faq.channels if wanted & set(getattr(c, field))]

    def _local_section(self, region_ids: Sequence[str], local: Sequence[Channel]) -> list[str]:
        if not local:
            return []
        names = ", ".join(self._content.regions_by_id[r].name for r in region_ids
                          if r in self._content.regions_by_id)
        return [f"\n<b>{LOCAL_HEADING.format(place=names)}</b>",
                *(f"• {channel_summary(c)}" for c in local)]

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

    def clarify(self, candidates: Sequence[FaqEntry], score: float) -> Reply:
        """Ask which entry was meant rather than guess between close ones."""
        rows = [(Button(short_label(c.question), action=f"faq:{c.id}"),) for c in candidates]
        rows.append((Button("📋 Menu", action="menu"),))
        return Reply(Intent.CLARIFY, self._expand(self._messages.clarify), tuple(rows),
                     score=score, suggestions=tuple(c.id for c in candidates))

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

    def channels(self, places: PlaceMention = NO_PLACE) -> Reply:
        """The general list (every non-local channel whose number can be shown), after the
        services of any region or country the writer named."""
        lines = [self._expand(self._messages.help_channels_intro)]
        local = [*self._local_channels(places.regions, "regions"),
                 *self._local_channels(places.countries, "countries")]
        named = [*(self._content.regions_by_id[r].name for r in places.regions
                   if r in self._content.regions_by_id),
                 *(self._country_names[c] for c in places.countries if c in self._country_names)]
        if local:
            lines.append(f"\n<b>{LOCAL_HEADING.format(place=', '.join(named))}</b>")
            lines += [self._channel_line(c) for c in local]
            lines.append(f"\n<b>{GENERAL_HEADING}</b>")
        general = [c for c in self._content.faq.channels if not c.is_local and shows_numbers(c)]
        lines += [self._channel_line(c) for c in general]
        lines.append(f"\n<i>{CHANNELS_FOOTER}</i>")
        rows = (*channel_buttons([*local, *general]), (QUICK_EXIT_BUTTON,),
                (Button("📋 Menu", action="menu"),))
        return Reply(Intent.FAQ, "\n".join(lines), rows, score=1.0)

    def named_channels(self, channel_ids: Sequence[str]) -> Reply:
        """The channels the writer asked for by name ("nomor kpai berapa"), with their
        numbers when they can be shown."""
        named = self._channels_for(channel_ids)
        lines = [self._expand(self._messages.help_channels_intro),
                 *(self._channel_line(c) for c in named), f"\n<i>{CHANNELS_FOOTER}</i>"]
        rows = (*channel_buttons(named), (Button("📋 Menu", action="menu"),))
        return Reply(Intent.FAQ, "\n".join(lines), rows, score=1.0)

    def _channel_line(self, channel: Channel) -> str:
        return f"• {channel_summary(channel)}\n  <i>{self._expand(channel.purpose)}</i>"

    def welcome(self) -> Reply:
        """The menu under the welcome, plus safe mode for someone whose phone is watched."""
        return Reply(Intent.SMALLTALK, self._expand(self._messages.welcome),
                     (*MENU_BUTTONS, (SAFE_MODE_BUTTON,)), score=1.0)

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
