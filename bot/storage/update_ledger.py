"""The update ledger in SQL: record and claim updates, renew and hand over leases, mark handled.

A claim is a lease: the worker named in `lease_owner` handles the update before `lease_until`
and renews the lease while it works. A lease that ran out belongs to a worker that died; any
worker may then claim the update with a conditional UPDATE, which only one of them wins (on
PostgreSQL the row lock makes the second re-check `lease_until` and find it taken).
Statements are Core and portable: INSERT … ON CONFLICT DO NOTHING RETURNING and
UPDATE … RETURNING exist in SQLite ≥ 3.35 and in PostgreSQL.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.models import UpdateRecord
from bot.storage.transactions import dialect_insert

PENDING, HANDLED = "pending", "handled"
KEY_CONTEXT = b"tppo-bot update ledger v1"
"""Payload encryption key: derived from the pseudonym secret (`PseudonymousKeys.derived_key`),
so every worker sharing the secret can take over another's updates, and the database or a
backup alone holds no message text even before the payload is cleared."""
CHUNK = 200
"""Rows per statement: well under SQLite's limit of bound parameters."""

ledger = UpdateRecord.__table__
T = TypeVar("T")


class PayloadCipher:
    """Seals the ledger's payloads, so the table and its backups hold no readable message."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, payload: str) -> str:
        return self._fernet.encrypt(payload.encode()).decode("ascii")

    def open(self, sealed: str) -> str | None:
        """The payload, or None when it was sealed with another secret."""
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode()
        except InvalidToken:
            return None

    def __repr__(self) -> str:
        return "PayloadCipher(<key>)"


@dataclass(frozen=True)
class Incoming:
    update_id: int
    payload: str
    """The update's JSON as received (sealed with `PayloadCipher` before it is written)."""


@dataclass(frozen=True)
class Claimed:
    update_id: int
    payload: str | None
    attempts: int


@dataclass(frozen=True)
class Lease:
    owner: str
    now: datetime
    length: timedelta

    @property
    def until(self) -> datetime:
        return self.now + self.length


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


async def admit(connection: AsyncConnection, incoming: Sequence[Incoming],
                lease: Lease) -> set[int]:
    """Record `incoming` claimed by `lease.owner`; the ids this worker must handle: the new ones
    and known ones left unhandled by a worker whose lease ran out. The others are duplicates
    (already handled, or being handled by a live worker)."""
    claimed: set[int] = set()
    for chunk in _chunks(incoming):
        rows = [{"update_id": item.update_id, "status": PENDING, "payload": item.payload,
                 "lease_owner": lease.owner, "lease_until": lease.until, "attempts": 1,
                 "received_at": lease.now} for item in chunk]
        statement = (dialect_insert(connection.dialect.name, ledger).values(rows)
                     .on_conflict_do_nothing(index_elements=["update_id"])
                     .returning(ledger.c.update_id))
        claimed.update((await connection.execute(statement)).scalars())
    known = [item.update_id for item in incoming if item.update_id not in claimed]
    claimed.update(claim.update_id for claim in await claim_expired(connection, known, lease))
    return claimed


async def claim_expired(connection: AsyncConnection, update_ids: Sequence[int],
                        lease: Lease) -> list[Claimed]:
    """Take over those of `update_ids` still pending whose lease ran out."""
    claims: list[Claimed] = []
    for chunk in _chunks(update_ids):
        statement = (
            update(ledger)
            .where(and_(ledger.c.update_id.in_(chunk), ledger.c.status == PENDING,
                        ledger.c.lease_until < lease.now))
            .values(lease_owner=lease.owner, lease_until=lease.until,
                    attempts=ledger.c.attempts + 1)
            .returning(ledger.c.update_id, ledger.c.payload, ledger.c.attempts))
        claims += [Claimed(*row) for row in (await connection.execute(statement)).all()]
    return claims


async def abandoned(connection: AsyncConnection, now: datetime, limit: int) -> list[int]:
    """Pending updates whose lease ran out, oldest first: their worker stopped."""
    statement = (select(ledger.c.update_id)
                 .where(and_(ledger.c.status == PENDING, ledger.c.lease_until < now))
                 .order_by(ledger.c.update_id).limit(limit))
    return list((await connection.execute(statement)).scalars())


async def renew(connection: AsyncConnection, update_ids: Sequence[int], lease: Lease) -> None:
    """Extend this worker's leases on updates it is still handling."""
    for chunk in _chunks(update_ids):
        await connection.execute(
            update(ledger)
            .where(and_(ledger.c.update_id.in_(chunk), ledger.c.status == PENDING,
                        ledger.c.lease_owner == lease.owner))
            .values(lease_until=lease.until))


async def mark_handled(connection: AsyncConnection, update_ids: Sequence[int]) -> None:
    """Handled: the text goes (payload NULL); the id stays to recognise a redelivery."""
    for chunk in _chunks(update_ids):
        await connection.execute(
            update(ledger).where(ledger.c.update_id.in_(chunk))
            .values(status=HANDLED, payload=None, lease_owner=None, lease_until=None))


async def purge_handled(connection: AsyncConnection, received_before: datetime) -> int:
    """Forget handled updates received before `received_before`; returns how many."""
    result = await connection.execute(
        delete(ledger).where(and_(ledger.c.status == HANDLED,
                                  ledger.c.received_at < received_before)))
    return int(result.rowcount or 0)
