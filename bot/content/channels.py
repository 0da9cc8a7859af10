"""How a help channel reads inside an answer; the number itself lives only in the channel entry."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.content.models import CHANNEL_PLACEHOLDER, Channel
from bot.content.telegram_html import escape


def whatsapp_link(number: str) -> str:
    """wa.me wants the international form without '+', spaces or the leading zero."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return f"https://wa.me/{digits}"


UNCONFIRMED_MARK = "nomor belum dipastikan"
"""Said instead of the numbers of an unconfirmed channel (content/README.md §2 explains)."""


def shows_numbers(channel: Channel) -> bool:
    """An unconfirmed number is never shown as if it were fact (review finding F3)."""
    return channel.status != "unconfirmed"


def channel_summary(channel: Channel) -> str:
    """One HTML line: name, phone, WhatsApp, website, hours; an unconfirmed channel shows its
    name, the mark and its website only."""
    parts = [f"<b>{escape(channel.name)}</b>"]
    if not shows_numbers(channel):
        parts.append(f"<i>{UNCONFIRMED_MARK}</i>")
        if channel.url:
            parts.append(_link(channel.url))
        return " · ".join(parts)
    if channel.phone:
        parts.append(f"telepon {escape(channel.phone)}")
    if channel.whatsapp:
        parts.append(f"WhatsApp {escape(channel.whatsapp)}")
    if channel.email:
        parts.append(f"e-mail {escape(channel.email)}")
    if channel.url:
        parts.append(_link(channel.url))
    line = " · ".join(parts)
    if channel.hours:
        line += f" ({escape(channel.hours)})"
    return line


def _link(url: str) -> str:
    return f'<a href="{escape(url)}">{escape(_display_url(url))}</a>'


def _display_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def expand_placeholders(text: str, channels: Mapping[str, Channel]) -> str:
    """Replace `{{channel-id}}` with the channel's summary; unknown ids are caught by the check."""

    def replace(match: re.Match[str]) -> str:
        channel = channels.get(match.group(1))
        return channel_summary(channel) if channel else match.group(0)

    return CHANNEL_PLACEHOLDER.sub(replace, text)
