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


def channel_summary(channel: Channel) -> str:
    """One HTML line: name, phone, WhatsApp, website, hours."""
    parts = [f"<b>{escape(channel.name)}</b>"]
    if channel.phone:
        parts.append(f"telepon {escape(channel.phone)}")
    if channel.whatsapp:
        parts.append(f"WhatsApp {escape(channel.whatsapp)}")
    if channel.email:
        parts.append(f"e-mail {escape(channel.email)}")
    if channel.url:
        parts.append(f'<a href="{escape(channel.url)}">{escape(_display_url(channel.url))}</a>')
    line = " · ".join(parts)
    if channel.hours:
        line += f" ({escape(channel.hours)})"
    return line


def _display_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def expand_placeholders(text: str, channels: Mapping[str, Channel]) -> str:
    """Replace `{{channel-id}}` with the channel's summary; unknown ids are caught by the check."""

    def replace(match: re.Match[str]) -> str:
        channel = channels.get(match.group(1))
        return channel_summary(channel) if channel else match.group(0)

    return CHANNEL_PLACEHOLDER.sub(replace, text)
