"""Replies and row dumps shared by the storage tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.engine.reply import Intent, Reply
from bot.storage.models import USER_TABLES


def faq_reply(faq_id: str, score: float = 0.9) -> Reply:
    return Reply(Intent.FAQ, "<b>jawaban</b>", faq_id=faq_id, score=score)


def fallback_reply(score: float = 0.05, suggestions: tuple[str, ...] = ()) -> Reply:
    return Reply(Intent.FALLBACK, "Maaf, belum ada jawaban.", score=score, suggestions=suggestions)


def emergency_reply() -> Reply:
    return Reply(Intent.EMERGENCY, "Hubungi 110 sekarang.", score=1.0, sensitive=True)


def other_reply(intent: Intent) -> Reply:
    return Reply(intent, "teks", score=1.0)


async def all_rows(
    session_factory: async_sessionmaker[AsyncSession],
) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the bot writes, as plain dicts keyed by table name."""
    rows: dict[str, list[dict[str, Any]]] = {}
    async with session_factory() as session:
        for model in USER_TABLES:
            table = model.__table__
            result = await session.execute(select(table))
            rows[table.name] = [dict(row._mapping) for row in result]
    return rows


def all_values(rows: dict[str, list[dict[str, Any]]]) -> list[str]:
    return [str(value) for table in rows.values() for row in table for value in row.values()]
