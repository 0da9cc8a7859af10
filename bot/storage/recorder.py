"""What the Telegram adapter tells storage after a reply has been sent.

Every method swallows database failures (locked, full, unreachable): the person asking must
get their answer whatever happens to the statistics. Failures are logged by operation and
error class only; SQLAlchemy's own messages carry the statement's parameters (user keys,
question text), so they are never logged.

With a `WriteBehind` (the bot's case) writes are only queued, so no reply waits for the
database; what needs an outcome (deleting, subscribing, reading ids for "Hapus jejak") goes
through the same queue, behind every earlier write, and waits a bounded time for it. Without
one (commands, tests) each call is its own transaction, awaited. A write of a user's rows is
skipped when their data was deleted after the write was caused: another worker's queue is not
behind the deletion (`bot.storage.erasures`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.engine.reply import Intent, Reply
from bot.storage.erasures import caused_at, erased_since, mark_erased
from bot.storage.keys import PseudonymousKeys
from bot.storage.message_trail import MissedByErase, deletable_ids, mark_deleted, store_ids
from bot.storage.models import (
    DELETABLE_WINDOW,
    SIGN_IDS_LENGTH,
    USER_TABLES,
    Feedback,
    JobAdCheck,
    JobOfferCheck,
    MessageEvent,
    Subscription,
    UnansweredQuestion,
    utc_now,
)
from bot.storage.scrub import scrub
from bot.storage.transactions import dialect_insert, guarded_transaction
from bot.understanding.policy import DecisionPolicy

if TYPE_CHECKING:
    from bot.storage.write_behind import WriteBehind

DELETE_FAILED = -1
"""`delete_user_data` result when the database failed: tell the user to try again later."""

T = TypeVar("T")
_POLICY = DecisionPolicy()


class ScoreBand(StrEnum):
    """How sure the model was, in the engine's own terms (see `DecisionPolicy`)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"


def score_band(score: float, policy: DecisionPolicy = _POLICY) -> ScoreBand:
    """HIGH: answered with room to spare; MEDIUM: enough to answer; LOW: enough to suggest."""
    if score >= policy.answer_threshold + policy.answer_margin:
        return ScoreBand.HIGH
    if score >= policy.answer_threshold:
        return ScoreBand.MEDIUM
    if score >= policy.suggestion_threshold:
        return ScoreBand.LOW
    return ScoreBand.NONE


def _reply_rows(
    key: str, now: datetime, text: str, reply: Reply, nearest_faq_id: str | None
) -> list[MessageEvent | UnansweredQuestion]:
    matched = reply.intent in (Intent.FAQ, Intent.CLARIFY, Intent.FALLBACK)
    rows: list[MessageEvent | UnansweredQuestion] = [
        MessageEvent(
            user_key=key,
            created_at=now,
            intent=reply.intent.value,
            faq_id=reply.faq_id if reply.intent is Intent.FAQ else None,
            score_band=score_band(reply.score) if matched else ScoreBand.NONE,
        )
    ]
    if reply.intent is not Intent.FALLBACK:
        return rows
    scrubbed = scrub(text)
    if scrubbed:
        rows.append(
            UnansweredQuestion(
                user_key=key,
                created_at=now,
                text_scrubbed=scrubbed,
                intent=reply.intent.value,
                nearest_faq_id=nearest_faq_id or next(iter(reply.suggestions), None),
                score=round(reply.score, 4),
            )
        )
    return rows


def fitting_sign_ids(sign_ids: Sequence[str], limit: int = SIGN_IDS_LENGTH) -> str:
    """Comma-separated whole ids, as many as fit the column (the most important come first)."""
    kept: list[str] = []
    for sign_id in sign_ids:
        if len(",".join([*kept, sign_id])) > limit:
            break
        kept.append(sign_id)
    return ",".join(kept)


def _unless_erased(key: str, now: datetime, work: Callable[[AsyncSession], Awaitable[T]],
                   skipped: T) -> Callable[[AsyncSession], Awaitable[T]]:
    """`work`, or only `skipped` as its result when the user's data was erased after this
    write was caused (see `bot.storage.erasures`)."""
    caused = caused_at(now)

    async def unless_erased(session: AsyncSession) -> T:
        if await erased_since(session, user_key=key, caused=caused):
            return skipped
        return await work(session)

    return unless_erased


class InteractionRecorder:
    """Records what the bot learned from one interaction; never raises into the adapter."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        keys: PseudonymousKeys,
        *,
        clock: Callable[[], datetime] = utc_now,
        writer: WriteBehind | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._keys = keys
        self._clock = clock
        self._writer = writer

    async def record_reply(
        self, *, user_id: int, text: str, reply: Reply, nearest_faq_id: str | None = None
    ) -> None:
        """Count the reply; keep the scrubbed question only when it went unanswered.

        Text of an emergency, FAQ, stats or smalltalk message is never stored.
        """
        key, now = self._keys.key_for(user_id), self._clock()

        async def work(session: AsyncSession) -> None:
            session.add_all(_reply_rows(key, now, text, reply, nearest_faq_id))

        await self._write("record_reply", _unless_erased(key, now, work, None))

    async def record_feedback(self, *, user_id: int, faq_id: str, helpful: bool) -> bool:
        """Store a 👍/👎; a user's later vote on the same FAQ replaces the earlier one."""
        key, now = self._keys.key_for(user_id), self._clock()

        async def work(session: AsyncSession) -> None:
            insert = dialect_insert(session.get_bind().dialect.name, Feedback)
            statement = insert.values(
                user_key=key, faq_id=faq_id, helpful=helpful, created_at=now
            ).on_conflict_do_update(
                index_elements=[Feedback.user_key, Feedback.faq_id],
                set_={"helpful": insert.excluded.helpful, "created_at": insert.excluded.created_at},
                where=Feedback.created_at <= insert.excluded.created_at,
            )
            await session.execute(statement)

        return await self._write("record_feedback", _unless_erased(key, now, work, None))

    async def remember_sent_messages(
        self, *, user_id: int, message_ids: Sequence[int],
        missed: Callable[[MissedByErase], None] | None = None,
    ) -> None:
        """Message ids (the user's and the bot's) in a private chat, for "Hapus jejak".
        `missed` is told, once they are stored, of ids an erase on another worker did not
        know of although it came after them (`bot.storage.message_trail`)."""
        if not message_ids:
            return
        key, now = self._keys.key_for(user_id), self._clock()
        caused = caused_at(now)

        async def work(session: AsyncSession) -> MissedByErase | None:
            return await store_ids(session, user_key=key, message_ids=message_ids, at=now,
                                   caused=caused)

        def stored(found: MissedByErase | None) -> None:
            if found is not None and missed is not None:
                missed(found)

        await self._write("remember_sent_messages", _unless_erased(key, now, work, None),
                          then=stored)

    async def recent_message_ids(self, *, user_id: int) -> list[int] | None:
        """Ids still to delete (sent within the last 48 hours, not deleted yet), oldest first;
        None when the database could not be read (other workers' ids are then unknown)."""
        key, since = self._keys.key_for(user_id), self._clock() - DELETABLE_WINDOW

        async def work(session: AsyncSession) -> list[int] | None:
            return list(await session.scalars(deletable_ids(key, since)))

        return await self._call("recent_message_ids", work, None)

    async def mark_messages_deleted(self, *, user_id: int, message_ids: Sequence[int],
                                    erased_at: datetime | None = None) -> None:
        """Note that an erase deleted these ids (stored or still queued on another worker);
        `erased_at` is when that erase was caused, by default the current update."""
        if not message_ids:
            return
        key = self._keys.key_for(user_id)
        at = erased_at or caused_at(self._clock())

        async def work(session: AsyncSession) -> None:
            await mark_deleted(session, user_key=key, message_ids=message_ids, at=at)

        await self._write("mark_messages_deleted", work)

    async def delete_user_data(self, *, user_id: int) -> int:
        """Delete every row tied to this user in every table, and mark the erasure so what other
        workers still hold for them is not written after it; rows deleted or DELETE_FAILED."""
        key, now = self._keys.key_for(user_id), self._clock()

        async def work(session: AsyncSession) -> int:
            deleted = 0
            for model in USER_TABLES:
                result = await session.execute(delete(model).where(model.user_key == key))
                deleted += cast(CursorResult[Any], result).rowcount
            await mark_erased(session, user_key=key, at=now)
            return deleted

        return await self._call("delete_user_data", work, DELETE_FAILED)

    async def set_subscribed(
        self, *, user_id: int, subscribed: bool, chat_id: int | None = None
    ) -> bool:
        """Opt in (keeping the chat address, encrypted, so tips can be sent) or out (forgetting
        it). False when the database failed."""
        key, now = self._keys.key_for(user_id), self._clock()
        chat_ref = (
            self._keys.address_cipher().encrypt(chat_id)
            if subscribed and chat_id is not None
            else None
        )

        async def work(session: AsyncSession) -> bool:
            insert = dialect_insert(session.get_bind().dialect.name, Subscription)
            await session.execute(
                insert.values(
                    user_key=key, subscribed=subscribed, updated_at=now, chat_ref=chat_ref
                ).on_conflict_do_update(
                    index_elements=[Subscription.user_key],
                    set_={
                        "subscribed": insert.excluded.subscribed,
                        "updated_at": insert.excluded.updated_at,
                        "chat_ref": insert.excluded.chat_ref,
                    },
                )
            )
            return True

        return await self._call("set_subscribed", _unless_erased(key, now, work, True), False)

    async def is_subscribed(self, *, user_id: int) -> bool:
        key = self._keys.key_for(user_id)

        async def work(session: AsyncSession) -> bool:
            subscribed = await session.scalar(
                select(Subscription.subscribed).where(Subscription.user_key == key)
            )
            return bool(subscribed)

        return await self._call("is_subscribed", work, False)

    async def record_job_offer_check(self, *, user_id: int, level: str) -> None:
        key, now = self._keys.key_for(user_id), self._clock()

        async def work(session: AsyncSession) -> None:
            session.add(JobOfferCheck(user_key=key, created_at=now, level=level))

        await self._write("record_job_offer_check", _unless_erased(key, now, work, None))

    async def record_job_ad_check(self, *, user_id: int, level: str,
                                  sign_ids: Sequence[str]) -> None:
        """The verdict of a job advertisement; the ad itself never reaches storage."""
        key, now = self._keys.key_for(user_id), self._clock()
        stored = fitting_sign_ids(sign_ids)

        async def work(session: AsyncSession) -> None:
            session.add(JobAdCheck(user_key=key, created_at=now, level=level, sign_ids=stored))

        await self._write("record_job_ad_check", _unless_erased(key, now, work, None))

    async def _write(self, operation: str, work: Callable[[AsyncSession], Awaitable[T]], *,
                     then: Callable[[T], None] | None = None) -> bool:
        """Queue `work` (True when queued) or, without a writer, run it (True when done);
        `then` gets its result once committed."""
        if self._writer is not None:
            return self._writer.submit(operation, work, then=then)

        async def done(session: AsyncSession) -> tuple[bool, T | None]:
            return True, await work(session)

        committed, result = await self._guarded(operation, done, (False, None))
        if committed and then is not None:
            then(cast(T, result))
        return committed

    async def _call(
        self, operation: str, work: Callable[[AsyncSession], Awaitable[T]], failed: T
    ) -> T:
        """`work`'s result, after every write queued before it; `failed` if it failed."""
        if self._writer is not None:
            return await self._writer.call(operation, work, failed)
        return await self._guarded(operation, work, failed)

    async def _guarded(
        self, operation: str, work: Callable[[AsyncSession], Awaitable[T]], failed: T
    ) -> T:
        return await guarded_transaction(self._session_factory, operation, work, failed)
