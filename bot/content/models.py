"""Pydantic models of the content files: the contract between staff's YAML and the code."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
PhoneNumber = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 -]{1,20}$")]
LooseDate = Annotated[date, Field(strict=False)]

MIN_EXAMPLES = 6
"""Fewer phrasings and the matcher cannot learn how people really ask."""
CHANNEL_PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9-]+)\s*\}\}")


class ContentModel(BaseModel):
    """Strict: an unquoted phone number read as an integer must be an error, not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Category(ContentModel):
    id: Slug
    title: Text


class Channel(ContentModel):
    id: Slug
    name: Text
    phone: PhoneNumber | None = None
    whatsapp: PhoneNumber | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]+$")] | None = None
    hours: Text | None = None
    purpose: Text
    source: Text
    verified_on: LooseDate | None
    """When the number was last confirmed; null means never, and `content check` warns."""
    note: Text | None = None


class FaqEntry(ContentModel):
    id: Slug
    category: Slug
    question: Text
    examples: list[Text]
    """At least MIN_EXAMPLES; counted by `content check` so a short list doesn't hide other
    problems of the same entry."""
    answer: Text
    channels: list[Slug] = Field(default_factory=list)
    related: list[Slug] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)


class FaqFile(ContentModel):
    version: int = 1
    categories: list[Category] = Field(min_length=1)
    channels: list[Channel] = Field(min_length=1)
    faqs: list[FaqEntry] = Field(min_length=1)


class StatsSource(ContentModel):
    name: Text
    publisher: Text
    published_on: LooseDate
    reported_in: Text | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


class Region(ContentModel):
    id: Slug
    name: Text
    type: Literal["kabupaten", "kota"]
    aliases: list[Text] = Field(default_factory=list)


class YearFigures(ContentModel):
    year: Annotated[int, Field(ge=2000, le=2100)]
    total: Annotated[int, Field(ge=0)]
    as_of: LooseDate
    counts: dict[Slug, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    unallocated: Annotated[int, Field(ge=0)] = 0
    source: Text | None = None
    note: Text | None = None


class StatsFile(ContentModel):
    source: StatsSource
    regions: list[Region] = Field(min_length=1)
    years: list[YearFigures] = Field(min_length=1)


class Lexicon(ContentModel):
    """Informal -> standard Indonesian words (`normalisasi.yaml`)."""

    sumber: Text | None = None
    kata: dict[str, str]
    frasa: dict[str, str] = Field(default_factory=dict)
    """Several words read as one term ("perdagangan orang" -> "tppo", Banjar "kaya apa")."""


class EmergencyMessage(ContentModel):
    text: Text
    abroad_intro: Text
    next_step: Text
    channels: list[Slug] = Field(min_length=1)
    abroad_channels: list[Slug] = Field(default_factory=list)


class Messages(ContentModel):
    """Every fixed sentence the bot says (`pesan.yaml`), so staff can reword them."""

    welcome: Text
    menu: Text
    emergency: EmergencyMessage
    fallback: Text
    fallback_suggestions: Text
    fallback_help_intro: Text
    greeting: Text
    thanks: Text
    farewell: Text
    non_text: Text
    help: Text
    privacy: Text
    help_channels_intro: Text
    feedback_prompt: Text
    """Under every FAQ answer, above its 👍/👎 buttons."""
    feedback_thanks: Text
    stale_button: Text
    error: Text
    edited_message: Text
    feature_unavailable: Text
    erase_done: Text
    delete_data_confirm: Text
    delete_data_done: Text
    storage_unavailable: Text
    """/hapusdata, /langganan or /berhenti while storage cannot be used: nothing changed."""
    staff_only: Text
    """Someone not in BOT_ADMIN_IDS sent /reload or /laporan."""
    report_unavailable: Text
    """/laporan while the database cannot be read."""
