"""Model of `tanda_lowongan.yaml`: how a pasted or forwarded job advertisement is recognised,
its warning signs (words, patterns, weights, explanations), pay that is far above normal, the
features of official programmes, and the verdict texts. Staff edit all of it; nothing here is
a word list."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from bot.content.models import ContentModel, Slug, Text


def _compiles(pattern: str) -> str:
    """A broken regex is a content error at its line, not a crash when the first ad arrives."""
    try:
        re.compile(pattern)
    except re.error as error:
        raise PydanticCustomError(
            "regex_invalid",
            "pola (regex) '{pattern}' tidak sah: {reason} (posisi {position}); periksa tanda "
            "kurung, tanda | dan garis miring terbalik, atau tulis sebagai phrases bila tidak "
            "perlu pola",
            {"pattern": pattern, "reason": error.msg, "position": error.pos},
        ) from None
    return pattern


Pattern = Annotated[str, StringConstraints(min_length=1), AfterValidator(_compiles)]
Weight = Annotated[int, Field(ge=1, le=10)]
Rupiah = Annotated[int, Field(ge=1)]


class Matchers(ContentModel):
    """Words or phrases (matched as whole words, case-insensitive) and regular expressions."""

    phrases: list[Text] = Field(default_factory=list)
    patterns: list[Pattern] = Field(default_factory=list)


class Features(ContentModel):
    """What makes a text read like a vacancy: a job, pay, a place, a way to apply."""

    job: Matchers
    pay: Matchers
    place: Matchers
    contact: Matchers


class Recognition(ContentModel):
    request_phrases: list[Text] = Field(min_length=1)
    """'cek lowongan ini', 'loker ini aman gak': the writer asks for the check."""
    ad_markers: Matchers
    """Words of the genre (lowongan, dibutuhkan, syarat, kirim CV) that a story rarely has."""
    story_markers: Matchers
    """First person, relatives, 'ditawari': a story or a question about an offer, for the FAQ."""
    min_story_markers: Annotated[int, Field(ge=1)]
    features: Features
    min_features_forwarded: Annotated[int, Field(ge=1, le=4)]
    min_features_requested: Annotated[int, Field(ge=1, le=4)]
    min_features_pasted: Annotated[int, Field(ge=1, le=4)]
    min_markers_pasted: Annotated[int, Field(ge=1)]
    min_length_pasted: Annotated[int, Field(ge=40)]
    """Characters: shorter texts are questions, which the FAQ answers."""


class WarningSign(Matchers):
    id: Slug
    title: Text
    weight: Weight
    critical: bool = False
    """Found alone, it makes the verdict 🔴 (a scam-compound destination, a child)."""
    negatable: bool = True
    """A negation just before the words cancels them ('tidak ada biaya')."""
    cancel_after: Matchers | None = None
    """Words just after the sign's words, in the same clause, that cancel it ('biaya medical
    dipinjami' is a debt, not a fee paid up front)."""
    unless: Matchers | None = None
    """Words that cancel the sign anywhere in the text (an office address for 'chat only')."""
    when_absent: Matchers | None = None
    """The sign is also found when none of these appear (no company name at all)."""
    explanation: Text
    """One line: why it matters and what to check."""


class OfficialFeature(Matchers):
    id: Slug
    title: Text


class Currency(ContentModel):
    id: Slug
    symbols: list[Text] = Field(min_length=1)
    rupiah: Annotated[float, Field(gt=0, strict=False)]
    """Rough rupiah per unit, only to compare pay; not an official rate."""


class PayPeriod(ContentModel):
    id: Slug
    words: list[Text] = Field(min_length=1)
    per_month: Annotated[float, Field(gt=0, strict=False)]


class JobPay(ContentModel):
    id: Slug
    words: list[Text] = Field(min_length=1)
    normal_max_domestic: Rupiah
    normal_max_abroad: Rupiah


class PayRules(ContentModel):
    """Pay above the normal ceiling of the job (per month, in rupiah) is the sign `sign`."""

    sign: Slug
    context_words: list[Text] = Field(min_length=1)
    """An amount counts as pay only close after one of these (gaji, salary, upah)."""
    context_distance: Annotated[int, Field(ge=5, le=200)]
    multipliers: dict[str, Annotated[int, Field(ge=1)]]
    currencies: list[Currency] = Field(min_length=1)
    default_currency: Slug
    periods: list[PayPeriod]
    abroad: Matchers
    """Words that place the job abroad (a foreign currency does too)."""
    jobs: list[JobPay]
    default_normal_max_domestic: Rupiah
    default_normal_max_abroad: Rupiah


class VerdictText(ContentModel):
    title: Text
    text: Text


class JobAdContent(ContentModel):
    recognition: Recognition
    negations: list[Text] = Field(min_length=1)
    negation_window: Annotated[int, Field(ge=1, le=8)]
    """Words before a sign's words in which a negation cancels it."""
    signs: list[WarningSign] = Field(min_length=1)
    official_features: list[OfficialFeature]
    pay: PayRules
    medium_min_score: Weight
    high_min_score: Weight
    high: VerdictText
    medium: VerdictText
    low: VerdictText
    signs_heading: Text
    official_heading: Text
    official_note: Text
    next_steps: Text
    prompt: Text
    """Shown by the menu entry and the deep link: paste or forward the advertisement."""
    siskop2mi_channel: Slug
    """The channel whose link opens SISKOP2MI (company and job-order check)."""
    channels: list[Slug] = Field(min_length=1)
    share_text: Text
