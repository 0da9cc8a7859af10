"""What the engine answers with. Adapters (terminal, Telegram) only render these objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.content.telegram_html import strip_html


class Intent(StrEnum):
    EMERGENCY = "emergency"
    STATS = "stats"
    FAQ = "faq"
    CLARIFY = "clarify"
    """"Maksud Anda ...?": two or three FAQ entries offered as buttons."""
    SMALLTALK = "smalltalk"
    FALLBACK = "fallback"
    JOB_OFFER = "job_offer"
    """A forwarded or pasted job advertisement, answered with its warning signs."""


@dataclass(frozen=True)
class Button:
    """An action the engine understands again (`action`), a link (`url`), or a share button."""

    label: str
    action: str | None = None
    url: str | None = None
    share_payload: str | None = None
    """Share the bot itself: adapters link to the bot with this deep-link payload."""
    share_text: str = ""


@dataclass(frozen=True)
class ChartRequest:
    """A chart to draw; `kind` is "overview", "year" or "region" and `key` picks which."""

    kind: str
    key: str = ""


@dataclass(frozen=True)
class Reply:
    intent: Intent
    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    faq_id: str | None = None
    score: float = 0.0
    suggestions: tuple[str, ...] = ()
    chart: ChartRequest | None = None
    sensitive: bool = False
    """Offer "Hapus jejak": the conversation may endanger the writer if someone reads it."""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def plain_text(self) -> str:
        return strip_html(self.html)
