"""Models of the prevention content: the job-offer check (`cek_tawaran.yaml`) and the weekly
awareness tips (`tips.yaml`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from bot.content.models import ContentModel, Slug, Text

MIN_CHECK_QUESTIONS = 8
MAX_CHECK_QUESTIONS = 12


class CheckQuestion(ContentModel):
    id: Slug
    text: Text
    risky_answer: Literal["ya", "tidak"]
    """Which answer is the warning sign; "tidak tahu" always counts as half of it."""
    weight: Annotated[int, Field(ge=1, le=10)]
    critical: bool = False
    """A risky answer alone makes the result high risk (a child, a marriage tied to the job)."""
    abroad_only: bool = False
    """Asked only when the job may be abroad (licensed P3MI recruiter, work visa)."""
    reason: Text
    verify: Text


class CheckLevel(ContentModel):
    title: Text
    text: Text


class JobOfferCheckContent(ContentModel):
    intro: Text
    abroad_question: Text
    """Asked first, not scored: "Tidak" skips the `abroad_only` questions (review finding R4)."""
    questions: list[CheckQuestion] = Field(
        min_length=MIN_CHECK_QUESTIONS, max_length=MAX_CHECK_QUESTIONS
    )
    check_max_score: Annotated[int, Field(ge=0)]
    """Above this score the result is high risk; any warning sign at all is at least "check"."""
    low: CheckLevel
    check: CheckLevel
    high: CheckLevel
    channels: list[Slug] = Field(min_length=1)
    offered_after: list[Slug] = Field(default_factory=list)
    """FAQ ids whose answers offer the check (job offers, agencies, working abroad)."""
    timeout_minutes: Annotated[int, Field(ge=5, le=24 * 60)] = 30
    cancelled: Text
    """Said when someone cancels; it reminds them that nothing was kept."""
    share_text: Text
    """The sentence a shared link carries into another chat."""


class Tip(ContentModel):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,24}$")]
    preview: Text
    """The first line, all a lock screen shows: nothing about trafficking (content check)."""
    text: Text

    @property
    def message(self) -> str:
        return f"{self.preview}\n\n{self.text}"


class TipsContent(ContentModel):
    subscribe_warning: Text
    """Shown before subscribing: a weekly message can give the bot away on a checked phone."""
    subscribe_confirm: Text
    """The label of the button that really subscribes."""
    subscribed: Text
    unsubscribed: Text
    private_only: Text
    """Subscribing happens in a private chat: a group's address is not a person's."""
    tips: list[Tip] = Field(min_length=1)
