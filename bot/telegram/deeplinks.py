"""`/start <payload>` deep links: t.me links that open one item of the bot directly.

Telegram allows only [A-Za-z0-9_-] and 64 characters in a payload, so FAQ ids travel with
underscores instead of hyphens (`faq_apa_itu_tppo`); ids are slugs and never contain `_`.
"""

from __future__ import annotations

import re

from telegram.constants import MessageLimit
from telegram.helpers import create_deep_linked_url

from bot.prevention import job_ad_check, job_offer_check

FAQ_PREFIX = "faq_"
DEEP_LINK_MAX_LENGTH = int(MessageLimit.DEEP_LINK_LENGTH)  # 64
PAYLOAD_ACTIONS = {"statistik": "stats", "lapor": "channels", "darurat": "emergency",
                   job_offer_check.DEEP_LINK_PAYLOAD: job_offer_check.ACTION,
                   job_ad_check.DEEP_LINK_PAYLOAD: job_ad_check.PROMPT_ACTION}
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]+")


def faq_payload(faq_id: str) -> str | None:
    """The payload that opens one FAQ entry; None if its id is too long for a deep link."""
    payload = FAQ_PREFIX + faq_id.replace("-", "_")
    return payload if len(payload) <= DEEP_LINK_MAX_LENGTH else None


def action_for_payload(payload: str) -> str | None:
    """The engine action a payload opens; None for anything we did not hand out."""
    if not _PAYLOAD.fullmatch(payload) or len(payload) > DEEP_LINK_MAX_LENGTH:
        return None
    if payload.startswith(FAQ_PREFIX):
        return "faq:" + payload[len(FAQ_PREFIX):].replace("_", "-").lower()
    return PAYLOAD_ACTIONS.get(payload.lower())


def start_link(bot_username: str, payload: str | None) -> str:
    """https://t.me/<bot>?start=<payload> (or the plain chat link without a payload)."""
    return create_deep_linked_url(bot_username, payload)
