"""The validated content the bot answers from: one immutable snapshot per successful load."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content.emergency_models import EmergencySignals
from bot.content.job_ad_models import JobAdContent
from bot.content.models import (
    Channel,
    FaqEntry,
    FaqFile,
    Lexicon,
    Messages,
    OffTopicFile,
    Region,
    StatsFile,
    YearFigures,
)
from bot.content.prevention_models import JobOfferCheckContent, TipsContent
from bot.content.privacy_models import PrivacyContent


@dataclass(frozen=True)
class ContentBundle:
    faq: FaqFile
    stats: StatsFile
    lexicon: Lexicon
    messages: Messages
    job_offer_check: JobOfferCheckContent
    tips: TipsContent
    emergency_signals: EmergencySignals
    offtopic: OffTopicFile
    privacy: PrivacyContent
    job_ads: JobAdContent
    version: str
    faqs_by_id: dict[str, FaqEntry] = field(init=False)
    channels_by_id: dict[str, Channel] = field(init=False)
    regions_by_id: dict[str, Region] = field(init=False)
    years_by_number: dict[int, YearFigures] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "faqs_by_id", {f.id: f for f in self.faq.faqs})
        object.__setattr__(self, "channels_by_id", {c.id: c for c in self.faq.channels})
        object.__setattr__(self, "regions_by_id", {r.id: r for r in self.stats.regions})
        object.__setattr__(
            self, "years_by_number", {y.year: y for y in sorted(self.stats.years, key=_year)}
        )

    def category_title(self, category_id: str) -> str:
        return next((c.title for c in self.faq.categories if c.id == category_id), category_id)


def _year(figures: YearFigures) -> int:
    return figures.year
