"""Extension points for parts built in parallel: storage (the recorder) and charts.

Storage is wired by putting an object with the `InteractionRecorder` methods into
`application.bot_data[INTERACTION_RECORDER_KEY]` in `post_init`; they match
`bot.storage.recorder.InteractionRecorder`. Without one the bot stores nothing at all. The
recorder is called after the reply has been sent (the one exception: a user's message id for
"Hapus jejak" is queued on arrival, `bot.telegram.trail`), and a failing one is logged and
never costs the user a reply.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from telegram.ext import ContextTypes

from bot.content.bundle import ContentBundle
from bot.engine.reply import ChartRequest, Intent, Reply
from bot.language.known_words import KnownWords
from bot.prevention.job_ad_check import OFFER_LEVEL, OFFER_SIGNS, SIGN_SEPARATOR
from bot.prevention.job_offer_check import JOB_OFFER_LEVEL
from bot.storage.message_trail import MissedByErase
from bot.storage.scrub import scrub
from bot.telegram.botdata import INTERACTION_RECORDER_KEY

logger = logging.getLogger(__name__)


class InteractionRecorder(Protocol):
    """What the adapter tells storage. `user_id` is the raw Telegram id: storage turns it into
    a pseudonymous key and never keeps the id itself."""

    async def record_reply(self, *, user_id: int, text: str, reply: Reply,
                           nearest_faq_id: str | None = None) -> None: ...

    async def record_feedback(self, *, user_id: int, faq_id: str, helpful: bool) -> bool: ...

    async def remember_sent_messages(
        self, *, user_id: int, message_ids: Sequence[int],
        missed: Callable[[MissedByErase], None] | None = None) -> None: ...

    async def recent_message_ids(self, *, user_id: int) -> list[int] | None:
        """None when storage could not be read."""
        ...

    async def mark_messages_deleted(self, *, user_id: int, message_ids: Sequence[int],
                                    erased_at: datetime | None = None) -> None: ...

    async def record_job_offer_check(self, *, user_id: int, level: str) -> None: ...

    async def record_job_ad_check(self, *, user_id: int, level: str,
                                  sign_ids: Sequence[str]) -> None: ...

    async def delete_user_data(self, *, user_id: int) -> int:
        """Rows deleted, or a negative number when the database failed."""
        ...


def storable_text(text: str, reply: Reply, *, forwarded: bool, known: KnownWords) -> str:
    """The words storage may see: none of a forwarded message, a job advertisement, or anything
    near an emergency, and of the rest only words the bot knows (`bot.storage.scrub`), before
    storage has it."""
    if forwarded or reply.sensitive or reply.intent in (Intent.EMERGENCY, Intent.JOB_OFFER):
        return ""
    return scrub(text, known=known)


def recorder_of(context: ContextTypes.DEFAULT_TYPE) -> InteractionRecorder | None:
    recorder: InteractionRecorder | None = context.bot_data.get(INTERACTION_RECORDER_KEY)
    return recorder


async def call_safely(operation: str, call: Callable[[], Awaitable[object]]) -> None:
    """Storage must never cost a reply: log its failure (by operation only) and go on."""
    try:
        await call()
    except Exception:
        logger.exception("Interaction recorder failed to %s", operation)


async def record_reply(context: ContextTypes.DEFAULT_TYPE, *, user_id: int, text: str,
                       reply: Reply) -> None:
    recorder = recorder_of(context)
    if recorder is None:
        return
    await call_safely("record a reply", lambda: recorder.record_reply(
        user_id=user_id, text=text, reply=reply))
    level = reply.extra.get(JOB_OFFER_LEVEL)
    if level is not None:  # only that a check was completed, and its level; never the answers
        await call_safely("record a job-offer check", lambda: recorder.record_job_offer_check(
            user_id=user_id, level=level))
    offer_level = reply.extra.get(OFFER_LEVEL)
    if offer_level is not None:  # the verdict and sign ids of a job ad; never its text
        signs = [s for s in reply.extra.get(OFFER_SIGNS, "").split(SIGN_SEPARATOR) if s]
        await call_safely("record a job-ad check", lambda: recorder.record_job_ad_check(
            user_id=user_id, level=offer_level, sign_ids=signs))


async def record_feedback(context: ContextTypes.DEFAULT_TYPE, *, user_id: int, faq_id: str,
                          helpful: bool) -> None:
    recorder = recorder_of(context)
    if recorder is not None:
        await call_safely("record feedback", lambda: recorder.record_feedback(
            user_id=user_id, faq_id=faq_id, helpful=helpful))


async def delete_user_data(context: ContextTypes.DEFAULT_TYPE, *, user_id: int) -> bool:
    """True only when storage deleted (or found nothing to delete). Without a recorder storage
    is not open (yet): rows from an earlier run may be there, so that is a failure too."""
    recorder = recorder_of(context)
    return recorder is not None and await recorder.delete_user_data(user_id=user_id) >= 0


ChartRenderer = Callable[[ContentBundle, ChartRequest], bytes]
ChartTitler = Callable[[ContentBundle, ChartRequest], str]


def load_chart_renderer() -> tuple[ChartRenderer, ChartTitler | None] | None:
    """`bot.stats.charts.render_chart` (and `chart_title` for the caption), imported on first
    use so matplotlib stays out of start-up; None while that module is missing or broken."""
    try:
        from bot.stats import charts
    except Exception:
        logger.warning("Charts are unavailable: bot.stats.charts failed to import", exc_info=True)
        return None
    render = getattr(charts, "render_chart", None)
    if render is None:
        return None
    return render, getattr(charts, "chart_title", None)
