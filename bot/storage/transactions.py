"""Running storage work safely: one transaction whose failure never reaches the reply, errors
described without their text, and upserts that work on SQLite and PostgreSQL alike.

SQLAlchemy's error messages carry the statement's parameters (user keys, question text), so a
failure is only ever logged by its class and driver code (`describe_failure`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.threaded import ThreadedTransactions

log = logging.getLogger(__name__)
T = TypeVar("T")


def describe_failure(error: BaseException) -> str:
    """Error class and driver code (SQLITE_BUSY, a PostgreSQL SQLSTATE) — never the message."""
    parts = [type(error).__name__]
    original = getattr(error, "orig", None)
    if original is not None:
        parts.append(type(original).__name__)
        code = getattr(original, "sqlite_errorname", None) or getattr(original, "sqlstate", None)
        if code:
            parts.append(str(code))
    return "/".join(parts)


async def guarded_transaction(
    sessions: async_sessionmaker[AsyncSession], operation: str,
    work: Callable[[AsyncSession], Awaitable[T]], failed: T, *,
    threaded: ThreadedTransactions | None = None,
) -> T:
    """Run `work` in one transaction (whole in `threaded`'s thread when given: SQLite); on any
    database failure log `operation` and return `failed`, so a storage fault never breaks a
    reply."""
    try:
        if threaded is not None:
            [result] = await threaded.session_work([work])
            return cast(T, result)
        async with sessions() as session, session.begin():
            return await work(session)
    except Exception as error:
        log.warning("storage %s failed: %s", operation, describe_failure(error))
        return failed


def dialect_insert(dialect_name: str, table: Any) -> Any:
    """INSERT with ON CONFLICT support: one atomic statement, safe under concurrency."""
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    raise NotImplementedError(f"upsert is not implemented for {dialect_name}")
