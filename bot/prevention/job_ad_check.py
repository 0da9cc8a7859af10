""""Cek lowongan": the reply to a forwarded or pasted job advertisement.

The ad's text is read here and forgotten: the reply carries only the verdict level and the ids
of the signs found (`Reply.extra`), which is all storage ever sees.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.channels import expand_placeholders, whatsapp_link
from bot.content.job_ad_models import JobAdContent
from bot.content.models import Channel
from bot.content.telegram_html import MAX_MESSAGE_LENGTH
from bot.engine.reply import Button, Intent, Reply
from bot.prevention.job_ad import JobAdAssessment, JobAdReader, OfferLevel
from bot.prevention.job_offer_check import ACTION as QUESTIONS_ACTION

PROMPT_ACTION = "jobad"
DEEP_LINK_PAYLOAD = "ceklowongan"
OFFER_LEVEL = "offer_level"
OFFER_SIGNS = "offer_signs"
"""Keys in `Reply.extra`: the level ("high", "medium", "low") and the sign ids, comma-separated."""
SIGN_SEPARATOR = ","


class JobAdCheck:
    """"Cek lowongan" for the engine: recognise an ad, then answer with its verdict."""

    def __init__(self, content: JobAdContent, channels: Mapping[str, Channel]) -> None:
        self._content = content
        self._channels = channels
        self._reader = JobAdReader(content)

    def is_job_ad(self, text: str, *, forwarded: bool = False) -> bool:
        return self._reader.is_job_ad(text, forwarded=forwarded)

    def _expand(self, text: str) -> str:
        return expand_placeholders(text.strip(), self._channels)

    def prompt(self) -> Reply:
        """The menu entry and the deep link: ask for the ad to be forwarded or pasted."""
        rows = ((Button("🔎 Cek tawaran lewat pertanyaan", action=QUESTIONS_ACTION),),
                (Button("📋 Menu", action="menu"),))
        return Reply(Intent.JOB_OFFER, self._expand(self._content.prompt), rows, score=1.0)

    def reply(self, text: str) -> Reply:
        assessment = self._reader.assess(text)
        explained = len(assessment.signs)
        html = self._verdict_html(assessment, explained)
        while len(html) > MAX_MESSAGE_LENGTH and explained > 0:
            explained -= 1
            html = self._verdict_html(assessment, explained)
        extra = {OFFER_LEVEL: assessment.level.value,
                 OFFER_SIGNS: SIGN_SEPARATOR.join(assessment.sign_ids)}
        return Reply(Intent.JOB_OFFER, html, self._buttons(), score=1.0, extra=extra)

    def _verdict_html(self, assessment: JobAdAssessment, explained: int) -> str:
        """Signs beyond the first `explained` show their title only (one Telegram message)."""
        content = self._content
        verdict = {OfferLevel.HIGH: content.high, OfferLevel.MEDIUM: content.medium,
                   OfferLevel.LOW: content.low}[assessment.level]
        lines = [f"<b>{self._expand(verdict.title)}</b>", self._expand(verdict.text)]
        if assessment.signs:
            lines.append(f"\n<b>{self._expand(content.signs_heading)}</b>")
            for index, sign in enumerate(assessment.signs):
                line = f"• <b>{self._expand(sign.title)}</b>"
                if index < explained:
                    line += f" — {self._expand(sign.explanation)}"
                lines.append(line)
        if assessment.official:
            features = ", ".join(self._expand(f.title) for f in assessment.official)
            lines.append(f"\n{self._expand(content.official_heading)} {features}. "
                         f"{self._expand(content.official_note)}")
        lines.append("\n" + self._expand(content.next_steps))
        return "\n".join(lines)

    def _buttons(self) -> tuple[tuple[Button, ...], ...]:
        rows: list[tuple[Button, ...]] = []
        siskop = self._channels.get(self._content.siskop2mi_channel)
        if siskop is not None and siskop.url:
            rows.append((Button("🌐 Cek perusahaan di SISKOP2MI", url=siskop.url),))
        for channel_id in self._content.channels:
            channel = self._channels.get(channel_id)
            if channel is not None and channel.whatsapp:
                rows.append((Button(f"💬 WhatsApp {_short_name(channel)}",
                                    url=whatsapp_link(channel.whatsapp)),))
        rows.append((Button("🔎 Jawab pertanyaan cek tawaran", action=QUESTIONS_ACTION),))
        rows.append((Button("📤 Bagikan cek lowongan", share_payload=DEEP_LINK_PAYLOAD,
                            share_text=self._content.share_text),
                     Button("📋 Menu", action="menu")))
        return tuple(rows)


def _short_name(channel: Channel) -> str:
    """'KP2MI' from 'KP2MI (dulu BP2MI) - Pelindungan Pekerja Migran Indonesia'."""
    return channel.name.split(" (")[0].split(" - ")[0].strip()[:30]
