"""The staff report: what people asked, what helped, and which questions still lack an answer.

`fetch_usage` reads the database; everything else is a pure function, so the grouping of
unanswered questions can be tested and tuned without a database.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.engine.knowledge import Knowledge
from bot.engine.reply import Intent
from bot.language.normaliser import Normaliser
from bot.storage.models import Feedback, JobAdCheck, MessageEvent, UnansweredQuestion, utc_now
from bot.storage.scrub import without_placeholders
from bot.understanding.features import char_ngrams

SIMILARITY_THRESHOLD = 0.5
"""Character n-gram cosine at which two unanswered questions count as the same question."""
EXAMPLES_PER_GROUP = 3
INTENT_LABELS = {
    "faq": "dijawab dari FAQ",
    "fallback": "belum terjawab",
    "emergency": "darurat",
    "stats": "statistik",
    "smalltalk": "sapaan",
    "job_offer": "cek lowongan",
}
"""How staff read each intent, in every form of the report."""


@dataclass(frozen=True)
class Count:
    key: str
    count: int


@dataclass(frozen=True)
class FeedbackCount:
    faq_id: str
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class StoredQuestion:
    text: str
    nearest_faq_id: str | None


@dataclass(frozen=True)
class UsageData:
    """Rows as read from the database for one period."""

    since: datetime
    until: datetime
    intents: tuple[Count, ...]
    faqs: tuple[Count, ...]
    feedback: tuple[FeedbackCount, ...]
    distinct_users: int
    unanswered: tuple[StoredQuestion, ...]
    job_ad_levels: tuple[Count, ...] = ()
    job_ad_signs: tuple[Count, ...] = ()
    """Checked job advertisements by verdict level, and how often each warning sign was seen."""


@dataclass(frozen=True)
class UnansweredGroup:
    """Questions that read alike, and the FAQ entry they come closest to today."""

    count: int
    examples: tuple[str, ...]
    nearest_faq_id: str | None
    nearest_question: str | None
    nearest_score: float | None


@dataclass(frozen=True)
class UsageReport:
    since: datetime
    until: datetime
    days: int
    total_messages: int
    distinct_users: int
    emergencies: int
    intents: tuple[Count, ...]
    faqs: tuple[Count, ...]
    feedback: tuple[FeedbackCount, ...]
    unanswered: tuple[UnansweredGroup, ...]
    job_ad_levels: tuple[Count, ...] = ()
    job_ad_signs: tuple[Count, ...] = ()


async def fetch_usage(
    session_factory: async_sessionmaker[AsyncSession], *, since: datetime, until: datetime
) -> UsageData:
    async with session_factory() as session:
        in_events = (MessageEvent.created_at >= since, MessageEvent.created_at < until)
        intent_rows = await session.execute(
            select(MessageEvent.intent, func.count())
            .where(*in_events)
            .group_by(MessageEvent.intent)
        )
        faq_rows = await session.execute(
            select(MessageEvent.faq_id, func.count())
            .where(*in_events, MessageEvent.faq_id.is_not(None))
            .group_by(MessageEvent.faq_id)
        )
        distinct_users = await session.scalar(
            select(func.count(func.distinct(MessageEvent.user_key))).where(*in_events)
        )
        feedback_rows = await session.execute(
            select(
                Feedback.faq_id,
                func.sum(case((Feedback.helpful.is_(True), 1), else_=0)),
                func.sum(case((Feedback.helpful.is_(True), 0), else_=1)),
            )
            .where(Feedback.created_at >= since, Feedback.created_at < until)
            .group_by(Feedback.faq_id)
        )
        question_rows = await session.execute(
            select(UnansweredQuestion.text_scrubbed, UnansweredQuestion.nearest_faq_id)
            .where(UnansweredQuestion.created_at >= since, UnansweredQuestion.created_at < until)
            .order_by(UnansweredQuestion.id)
        )
        job_ad_rows = (await session.execute(
            select(JobAdCheck.level, JobAdCheck.sign_ids)
            .where(JobAdCheck.created_at >= since, JobAdCheck.created_at < until)
        )).all()
        levels = Counter(str(level) for level, _ in job_ad_rows)
        signs = Counter(s for _, ids in job_ad_rows for s in str(ids).split(",") if s)
        return UsageData(
            since=since,
            until=until,
            intents=_by_count(Count(str(k), int(n)) for k, n in intent_rows),
            faqs=_by_count(Count(str(k), int(n)) for k, n in faq_rows),
            feedback=tuple(
                sorted(
                    (FeedbackCount(str(k), int(y or 0), int(n or 0)) for k, y, n in feedback_rows),
                    key=lambda f: (-(f.helpful + f.not_helpful), f.faq_id),
                )
            ),
            distinct_users=int(distinct_users or 0),
            unanswered=tuple(StoredQuestion(t, f) for t, f in question_rows),
            job_ad_levels=_by_count(Count(k, n) for k, n in levels.items()),
            job_ad_signs=_by_count(Count(k, n) for k, n in signs.items()),
        )


def _by_count(counts: Iterable[Count]) -> tuple[Count, ...]:
    return tuple(sorted(counts, key=lambda c: (-c.count, c.key)))


Vector = dict[str, float]


def ngram_vector(normaliser: Normaliser, text: str) -> Vector:
    counts = Counter(char_ngrams(normaliser.normalise(without_placeholders(text))))
    norm = math.sqrt(sum(n * n for n in counts.values()))
    return {gram: n / norm for gram, n in counts.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(gram, 0.0) for gram, weight in a.items())


def group_similar(
    texts: Sequence[str],
    vectorise: Callable[[str], Vector],
    threshold: float = SIMILARITY_THRESHOLD,
) -> list[list[str]]:
    """Greedy grouping: the most frequent wording opens a group, alike wordings join it.

    Returns groups of the original texts (repeats included), largest group first.
    """
    frequency = Counter(texts)
    groups: list[tuple[Vector, list[str]]] = []
    for text, _ in sorted(frequency.items(), key=lambda item: (-item[1], item[0])):
        vector = vectorise(text)
        alike = (m for leader, m in groups if vector and cosine(vector, leader) >= threshold)
        home = next(alike, None)
        if home is None:
            home = []
            groups.append((vector, home))
        home.extend([text] * frequency[text])
    return sorted((members for _, members in groups), key=lambda m: (-len(m), m[0]))


def build_report(
    data: UsageData,
    knowledge: Knowledge | None,
    *,
    days: int,
    threshold: float = SIMILARITY_THRESHOLD,
) -> UsageReport:
    """Counts as read, unanswered questions grouped, each group matched against today's FAQ."""
    normaliser = knowledge.normaliser if knowledge else Normaliser({})
    stored_nearest: dict[str, Counter[str]] = {}
    for question in data.unanswered:
        if question.nearest_faq_id:
            stored_nearest.setdefault(question.text, Counter())[question.nearest_faq_id] += 1
    groups = group_similar(
        [q.text for q in data.unanswered], lambda t: ngram_vector(normaliser, t), threshold
    )
    intents = {c.key: c.count for c in data.intents}
    return UsageReport(
        since=data.since,
        until=data.until,
        days=days,
        total_messages=sum(intents.values()),
        distinct_users=data.distinct_users,
        emergencies=intents.get(Intent.EMERGENCY.value, 0),
        intents=data.intents,
        faqs=data.faqs,
        feedback=data.feedback,
        unanswered=tuple(_describe_group(g, knowledge, stored_nearest) for g in groups),
        job_ad_levels=data.job_ad_levels,
        job_ad_signs=data.job_ad_signs,
    )


def _describe_group(
    members: list[str], knowledge: Knowledge | None, stored_nearest: dict[str, Counter[str]]
) -> UnansweredGroup:
    examples = tuple(dict.fromkeys(members))[:EXAMPLES_PER_GROUP]
    nearest_id: str | None = None
    nearest_score: float | None = None
    if knowledge is not None:
        faqs = knowledge.intents.rank(members[0]).faqs
        if faqs:
            nearest_id, nearest_score = faqs[0].label, round(faqs[0].probability, 3)
    else:
        votes: Counter[str] = Counter()
        for text in set(members):
            votes.update(stored_nearest.get(text, Counter()))
        nearest_id = votes.most_common(1)[0][0] if votes else None
    entry = knowledge.content.faqs_by_id.get(nearest_id) if knowledge and nearest_id else None
    return UnansweredGroup(
        count=len(members),
        examples=examples,
        nearest_faq_id=nearest_id,
        nearest_question=entry.question if entry else None,
        nearest_score=nearest_score,
    )


async def usage_report(
    session_factory: async_sessionmaker[AsyncSession],
    knowledge: Knowledge | None,
    *,
    days: int,
    now: datetime | None = None,
) -> UsageReport:
    until = now or utc_now()
    data = await fetch_usage(session_factory, since=until - timedelta(days=days), until=until)
    return build_report(data, knowledge, days=days)
