"""SQLite transactions run whole in a thread of their own, on a plain sqlite3 connection.

Through aiosqlite every statement is a round trip through the event loop: sent to its thread,
and resumed when the loop next comes round. In a burst the loop is busy answering (a round took
~70 ms), so a write-behind batch of a few hundred statements held SQLite's one write lock for
13 s, and the update ledger's own connection gave up after the 5 s busy timeout: updates
handled without a record, "handled" marks retried (docs/PERFORMANCE.md, "Burst"). Here a whole
transaction is one hand-over to the thread and one back, so the lock is held for the
milliseconds SQLite needs.

The transaction's work is the same coroutine functions the asyncio path runs
(`work(session)`): they only await the session, which here answers at once, so each coroutine
is driven to its end without an event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")


class SessionNow:
    """The few `AsyncSession` methods storage's work uses, answered by a sync `Session`."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, instance: object) -> None:
        self._session.add(instance)

    def add_all(self, instances: Sequence[object]) -> None:
        self._session.add_all(instances)

    def get_bind(self) -> Engine | Connection:
        return self._session.get_bind()

    @property
    def info(self) -> dict[Any, Any]:
        """Data kept for this transaction only (`Session.info`)."""
        return self._session.info

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self._session.execute(*args, **kwargs)

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return self._session.scalar(*args, **kwargs)

    async def scalars(self, *args: Any, **kwargs: Any) -> Any:
        return self._session.scalars(*args, **kwargs)

    async def flush(self) -> None:
        self._session.flush()


class ConnectionNow:
    """The `AsyncConnection` methods the update ledger uses, answered by a sync `Connection`."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.dialect = connection.dialect

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self._connection.execute(*args, **kwargs)


def finished(coroutine: Awaitable[T]) -> T:
    """The result of a coroutine that only awaits things answered at once."""
    running = cast(Coroutine[Any, Any, T], coroutine)
    try:
        running.send(None)
    except StopIteration as done:
        return cast(T, done.value)
    running.close()
    raise RuntimeError("storage work waited for something other than the database")


class ThreadedTransactions:
    """One thread, one sync engine: transactions one after another, each whole in the thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")

    async def session_work(self, works: Sequence[Callable[[Any], Awaitable[Any]]]) -> list[Any]:
        """Run each `work(session)` in one transaction; their results."""
        return await self._in_thread(self._sessions_run, works)

    async def connection_work(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """Run `work(connection)` in one transaction (`engine.begin()`); its result."""
        return await self._in_thread(self._connection_run, work)

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, function, *args)

    def _sessions_run(self, works: Sequence[Callable[[Any], Awaitable[Any]]]) -> list[Any]:
        with self._sessions.begin() as session:
            view = SessionNow(session)
            return [finished(work(view)) for work in works]

    def _connection_run(self, work: Callable[[Any], Awaitable[T]]) -> T:
        with self.engine.begin() as connection:
            return finished(work(ConnectionNow(connection)))

    async def close(self) -> None:
        """Close the connection (in its thread) and end the thread."""
        await self._in_thread(self.engine.dispose)
        self._thread.shutdown(wait=True)
