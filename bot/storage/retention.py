"""Delete what is no longer needed: run daily (the bot schedules it on PTB's JobQueue)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from bot.storage.models import (
    DELETABLE_WINDOW,
    ERASURE_KEPT,
    Erasure,
    Feedback,
    JobAdCheck,
    JobOfferCheck,
    MessageEvent,
    RecentMessage,
    UnansweredQuestion,
    utc_now,
)
from bot.storage.transactions import describe_failure

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeResult:
    unanswered_questions: int
    message_events: int
    feedback: int
    job_offer_checks: int
    recent_messages: int
    job_ad_checks: int
    erasures: int

    @property
    def total(self) -> int:
        return (
            self.unanswered_questions
            + self.message_events
            + self.feedback
            + self.job_offer_checks
            + self.recent_messages
            + self.job_ad_checks
            + self.erasures
        )


async def purge_expired(
    session_factory: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: datetime | None = None,
) -> PurgeResult | None:
    """Delete unanswered text after UNANSWERED_RETENTION_DAYS, events, feedback, job-offer and
    job-advertisement checks after EVENT_RETENTION_DAYS, message ids the bot can no longer
    delete (48 h), and the markers of deletions after an hour.

    Returns what was deleted, or None when the database failed (logged, not raised).
    """
    now = now or utc_now()
    unanswered_cutoff = now - timedelta(days=settings.unanswered_retention_days)
    event_cutoff = now - timedelta(days=settings.event_retention_days)
    plan: list[tuple[Any, datetime]] = [
        (UnansweredQuestion, unanswered_cutoff),
        (MessageEvent, event_cutoff),
        (Feedback, event_cutoff),
        (JobOfferCheck, event_cutoff),
        (RecentMessage, now - DELETABLE_WINDOW),
        (JobAdCheck, event_cutoff),
        (Erasure, now - ERASURE_KEPT),
    ]
    try:
        async with session_factory() as session, session.begin():
            counts = []
            for model, cutoff in plan:
                result = await session.execute(delete(model).where(model.created_at < cutoff))
                counts.append(cast(CursorResult[Any], result).rowcount)
    except Exception as error:
        log.warning("storage purge_expired failed: %s", describe_failure(error))
        return None
    purged = PurgeResult(*counts)
    log.info("storage purge_expired deleted %d rows", purged.total)
    return purged
