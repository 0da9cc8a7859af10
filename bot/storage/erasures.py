"""/hapusdata with several workers: a deletion also covers writes other workers still hold.

Each worker queues its writes (`bot.storage.write_behind`), and a deletion runs in the queue of
the worker that got the "Ya, hapus" tap. Another worker may still hold rows about the same user
(the prompt's message ids, a 👍 a moment earlier) and write them after the deletion, which would
make "data sudah dihapus" untrue. So a deletion leaves a marker (`Erasure`: the user's key and
when), and every write of a user's rows checks it in its own transaction: a write caused before
the erasure is skipped. With one worker nothing changes (its queue already ordered the two).

A write is caused when its worker began handling the update behind it (`handling`, set by the
adapter for each update), else when it was queued. Not the time it is queued: a worker may
queue a reply's rows after the user has already seen that reply and tapped "Ya, hapus".
Workers' clocks are trusted to agree within the time a person takes to read and tap (NTP keeps
them within milliseconds); a clock behind the others only skips rows written just after an
erasure, never keeps one caused before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Erasure
from bot.storage.transactions import dialect_insert

_HANDLING_SINCE: ContextVar[datetime | None] = ContextVar("handling_since", default=None)
_MARKERS_INFO = "erasure_markers"
"""Where a transaction keeps the markers it read (`Session.info`)."""


@contextmanager
def handling(since: datetime) -> Iterator[None]:
    """Writes queued inside (an update's handlers, and the tasks they start) were caused at
    `since`, when the update's handling began."""
    token = _HANDLING_SINCE.set(since)
    try:
        yield
    finally:
        _HANDLING_SINCE.reset(token)


def caused_at(now: datetime) -> datetime:
    """When a write queued `now` was caused: when its update's handling began, if any."""
    since = _HANDLING_SINCE.get()
    return now if since is None else min(since, now)


async def erased_since(session: AsyncSession, *, user_key: str, caused: datetime) -> bool:
    """Whether this user's data was erased at or after `caused` (so the write must not happen)."""
    erased = (await _markers(session)).get(user_key)
    return erased is not None and erased >= caused


async def mark_erased(session: AsyncSession, *, user_key: str, at: datetime) -> None:
    """Note the erasure (a later one moves the marker forward, an earlier one never back)."""
    insert = dialect_insert(session.get_bind().dialect.name, Erasure)
    await session.execute(insert.values(user_key=user_key, created_at=at).on_conflict_do_update(
        index_elements=[Erasure.user_key], set_={"created_at": insert.excluded.created_at},
        where=Erasure.created_at <= insert.excluded.created_at))
    markers = await _markers(session)
    markers[user_key] = max(at, markers.get(user_key, at))


async def _markers(session: AsyncSession) -> dict[str, datetime]:
    """Every marker, read once per transaction: a write-behind batch of 200 writes asking one
    by one doubled the time SQLite's write lock was held. The table holds only the last day's
    deletions (`ERASURE_KEPT` and the daily purge)."""
    markers: dict[str, datetime] | None = session.info.get(_MARKERS_INFO)
    if markers is None:
        rows = await session.execute(select(Erasure.user_key, Erasure.created_at))
        markers = session.info[_MARKERS_INFO] = {key: at for key, at in rows.all()}
    return markers
