"""One identity per person across workers: the database remembers which secret made its keys.

Each worker derives pseudonymous keys from its own secret. Two workers with different secrets
would give one person two identities (/hapusdata leaves rows behind, tips go out twice), so the
first worker stores a check value (`PseudonymousKeys.check_value`) and every later one must
match it or refuse to start.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from bot.storage.keys import PseudonymousKeys, StorageRefused
from bot.storage.models import USER_TABLES, StorageMeta
from bot.storage.transactions import dialect_insert

SECRET_CHECK = "pseudonym_check"


class SecretMismatch(StorageRefused):
    def __init__(self) -> None:
        super().__init__(
            "Rahasia samaran (PSEUDONYM_SECRET atau pseudonym.key) berbeda dengan rahasia yang "
            "dipakai database ini; semua worker harus memakai rahasia yang sama. Bot tidak "
            "dijalankan.")


async def keys_for_database(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession]
) -> PseudonymousKeys:
    """The keys for this database: the configured secret if it is the one the data was made
    with (recording it on first use), never a freshly generated one next to existing data."""
    async with session_factory() as session:
        stored = await _stored_check(session)
        holds_data = stored is not None or await _holds_user_data(session)
    keys = PseudonymousKeys.from_settings(settings, may_create=not holds_data)
    if stored is None:
        async with session_factory() as session, session.begin():
            insert = dialect_insert(session.get_bind().dialect.name, StorageMeta)
            await session.execute(insert.values(name=SECRET_CHECK, value=keys.check_value())
                                  .on_conflict_do_nothing())
            stored = await _stored_check(session)  # another worker may have won the race
    if stored != keys.check_value():
        raise SecretMismatch()
    return keys


async def _stored_check(session: AsyncSession) -> str | None:
    value: str | None = await session.scalar(
        select(StorageMeta.value).where(StorageMeta.name == SECRET_CHECK))
    return value


async def _holds_user_data(session: AsyncSession) -> bool:
    for model in USER_TABLES:
        if await session.scalar(select(model.user_key).limit(1)) is not None:
            return True
    return False
