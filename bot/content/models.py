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

ANSWER_SOFT_LIMIT = 900
"""Characters of rendered answer that still read on a phone screen without scrolling."""
MIN_EXAMPLES = 6
"""Fewer phrasings and the matcher cannot learn how people really ask."""
CHANNEL_PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9-]+)\s*\}\}")


class ContentModel(BaseModel):
    """Strict: an unquoted phone number read as an integer must be an error, not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


ChannelStatus = Literal["confirmed", "reported", "unconfirmed"]
"""confirmed: staff reached it (verified_on); reported: read in dated public reporting;
unconfirmed: uncertain or no number yet."""


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
    status: ChannelStatus = "unconfirmed"
    """How far the number can be trusted; an unconfirmed channel never shows its numbers."""
    reported_on: LooseDate | None = None
    """Date of the public report the number was read in (not a check by staff)."""
    verified_on: LooseDate | None = None
    """When staff last reached the service on this number; null means never."""
    regions: list[Slug] = Field(default_factory=list)
    """Kaltim regency/city ids (stats.yaml) the service belongs to; empty = not local."""
    countries: list[Slug] = Field(default_factory=list)
    """Country ids (`places.countries`) the service is for, e.g. an embassy."""
    note: Text | None = None

    @property
    def is_local(self) -> bool:
        """Shown only when the user names its place, not in the general list."""
        return bool(self.regions or self.countries)


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
    long_reason: Text | None = None
    """Why this answer may stay longer than ANSWER_SOFT_LIMIT characters on a phone screen."""


class Country(ContentModel):
    id: Slug
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    """Cities, states and spellings people write ("kl", "sabah", "tawau")."""


class Places(ContentModel):
    """Words that tell where the writer is, so help near them can be shown."""

    abroad_words: list[Text] = Field(default_factory=list)
    """Being abroad without naming a country ("luar negeri", "kbri")."""
    service_words: list[Text] = Field(default_factory=list)
    """Asking where to get help ("layanan", "lapor"); with a place, the local services answer."""
    other_services: list[Text] = Field(default_factory=list)
    """Services the bot does not cover ("pln", "rumah sakit"): "nomor pln balikpapan" asks for
    them, not for help with trafficking, so the local services do not answer it."""
    countries: list[Country] = Field(default_factory=list)


class FaqFile(ContentModel):
    version: int = 1
    categories: list[Category] = Field(min_length=1)
    channels: list[Channel] = Field(min_length=1)
    places: Places = Field(default_factory=Places)
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
    kata_tanya: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+$")]] = Field(
        default_factory=list)
    """Words that mark the sentence of a long message that asks ("bagaimana", "gimana")."""


class OffTopicFile(ContentModel):
    """Messages the bot must refuse (`luar_topik.yaml`), near misses above all ("perdagangan
    saham", a traffic fine, a loan app): the classifier learns them as a class of their own."""

    version: int = 1
    examples: list[Text] = Field(min_length=1)


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
    clarify: Text
    """"Maksud Anda ...?": two or three FAQ entries were about as likely, and buttons follow."""
    fallback_help_intro: Text
    greeting: Text
    thanks: Text
    farewell: Text
    non_text: Text
    help: Text
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
    erase_partly: Text
    """Some messages could not be deleted (older than 48 hours, refused)."""
    erase_failed: Text
    """Nothing could be deleted: say so, never "done"."""
    neutral_line: Text
    """Left in the chat after "Keluar cepat" and safe mode: no word about trafficking."""
    emergency_erase_hint: Text
    """One short line under the emergency reply: the chat can be erased."""
    safe_mode_on: Text
    safe_mode_off: Text
