"""Storage as the running bot sees it: opening (retried in the background with back-off until
it works), open, its SQLite file gone, or refused; and what `/healthz` says about it.

A worker that could not open storage used to run without it for good, stay "healthy", and tell
people their data was deleted when nothing was (review F6). Now it keeps trying, reports 503
meanwhile, and the features that need storage say "coba lagi" until it is open.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from enum import StrEnum

from bot.settings import Settings
from bot.storage.database import Storage, open_storage, sqlite_file
from bot.storage.file_watch import DatabaseFileWatch
from bot.storage.keys import StorageRefused
from bot.storage.transactions import describe_failure
from bot.telegram.health import ComponentHealth

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 60.0
FILE_CHECK_SECONDS = 10.0
"""How often the SQLite file is checked for having been deleted or replaced."""

class StorageCondition(StrEnum):
    OPENING = "opening"
    OPEN = "open"
    FILE_MISSING = "file_missing"
    REFUSED = "refused"


class StorageState:
    """Call `start` in post_init and `stop` on shutdown; `on_open` wires an opened storage."""

    def __init__(self, settings: Settings, on_open: Callable[[Storage], None]) -> None:
        self._settings, self._on_open = settings, on_open
        self.condition = StorageCondition.OPENING
        self.storage: Storage | None = None
        self.attempts = 0
        self.last_failure: str | None = None
        self.file_watch: DatabaseFileWatch | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Try once now, then keep trying (or, once open, watch the file) in the background.
        A refusal (a secret that does not match the database) is raised: the worker must not
        start with it."""
        await self._try_open(refuse_loudly=False)
        self._task = asyncio.create_task(self._run(), name="storage-state")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.storage is not None:
            await self.storage.close()
            self.storage = None

    def check_file(self) -> bool:
        """False (and the condition FILE_MISSING) once the SQLite file is gone or replaced."""
        if self.file_watch is None or self.file_watch.check():
            return True
        self.condition = StorageCondition.FILE_MISSING
        return False

    def health(self) -> ComponentHealth:
        details: dict[str, object] = {"state": self.condition.value}
        if self.last_failure and self.condition is not StorageCondition.OPEN:
            details["last_failure"] = self.last_failure
            details["attempts"] = self.attempts
        if self.storage is not None:
            stats = self.storage.writer.stats
            details.update(pending_records=stats.pending, dropped_records=stats.dropped,
                           writes_failing=stats.failing)
        return ComponentHealth(self.condition is StorageCondition.OPEN, details)

    async def _run(self) -> None:
        delay = FIRST_RETRY_SECONDS
        while self.condition is StorageCondition.OPENING:
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)
            await self._try_open(refuse_loudly=True)
        while self.condition is StorageCondition.OPEN and self.check_file():
            await asyncio.sleep(FILE_CHECK_SECONDS)

    async def _try_open(self, *, refuse_loudly: bool) -> None:
        self.attempts += 1
        try:
            storage = await open_storage(self._settings)
        except StorageRefused as refusal:
            self.condition, self.last_failure = StorageCondition.REFUSED, str(refusal)
            if not refuse_loudly:
                raise
            logger.critical("Storage refused, this worker records nothing: %s", refusal)
            return
        except Exception as error:
            self.last_failure = describe_failure(error)
            log = logger.error if self.attempts == 1 else logger.warning
            log("Storage unavailable (%s, attempt %d); retrying in the background",
                self.last_failure, self.attempts)
            return
        self.storage, self.condition = storage, StorageCondition.OPEN
        path = sqlite_file(self._settings.database_url)
        self.file_watch = DatabaseFileWatch(path) if path is not None else None
        if self.attempts > 1:
            logger.warning("Storage opened after %d attempts", self.attempts)
        self._on_open(storage)
