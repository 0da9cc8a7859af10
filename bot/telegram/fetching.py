"""Taking updates in: parsed one by one, recorded before they are confirmed, conflicts counted.

PTB's `Bot.get_updates` (PTB 22.8, telegram/_bot.py) parses the whole batch with
`Update.de_list`; one update it cannot parse (a field a newer Bot API added, e.g. a poll
without `allows_revoting`) fails the batch, PTB's Updater logs it with the raw data (message
text) and fetches the same batch again, for ever. `DeliveryBot.get_updates` makes the same
request, parses each update alone, records the batch in the update ledger, and returns one
`Update` per element: the parsed one, or a bare `Update(update_id)` for an update that cannot
be parsed or was already handled. The Updater confirms the offset past the last element on its
next call, so nothing is confirmed before it is recorded, and a bad update is skipped. While
an update's record is late (storage slow), the offset stays before it, unless storage is
stalled (`UpdateLedger.unconfirmed_from`); Telegram then sends it again and it is left out.
"""

from __future__ import annotations

import datetime as dtm
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import JSONDict, ODVInput, TimePeriod
from telegram.error import Conflict, NetworkError, TelegramError
from telegram.ext import ExtBot

from bot.storage.update_ledger import Incoming
from bot.telegram.delivery import Admission, ThrottledLog, UpdateLedger

logger = logging.getLogger(__name__)

MAX_CONFLICTS = 3
CONFLICT_WINDOW_SECONDS = 120.0
"""getUpdates answered 409 MAX_CONFLICTS times within this window: another process polls with
the token, or a webhook is set. Two pollers take turns, so the conflicts need not be
consecutive."""
LATE_RECORD_PAUSE_SECONDS = 0.1
"""How long a poll that brought back only updates kept for their late records waits before
the next (Telegram answers it at once, and would be asked again and again)."""


@dataclass
class FetchCounts:
    unparseable: int = 0
    """Updates skipped because they could not be read."""


class DeliveryBot(ExtBot[None]):
    """ExtBot that records each update in `ledger` before the offset may move past it."""

    __slots__ = ("_counts", "_ledger", "_next_new", "_throttled")

    def __init__(self, *args: Any, ledger: UpdateLedger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ledger = ledger
        self._counts = FetchCounts()
        self._throttled = ThrottledLog(logger)
        self._next_new = 0
        """Update ids below it were taken by this process: Telegram sends one again only
        because `UpdateLedger.unconfirmed_from` kept it there."""

    @property
    def ledger(self) -> UpdateLedger:
        return self._ledger

    @property
    def counts(self) -> FetchCounts:
        return self._counts

    def parse(self, data: object) -> Update | None:
        """The update in `data`, or None (logged without its content, and counted)."""
        try:
            update = Update.de_json(data, self) if isinstance(data, dict) else None
        except Exception as error:
            update, reason = None, type(error).__name__
        else:
            reason = "not an update"
        if update is None:
            self._counts.unparseable += 1
            update_id = data.get("update_id") if isinstance(data, dict) else None
            self._throttled.warning("Skipped an update that cannot be read (update_id %s, %s); "
                                    "%d so far", update_id, reason, self._counts.unparseable)
        return update

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: TimePeriod | None = None,
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> tuple[Update, ...]:
        data: JSONDict = {"timeout": timeout, "offset": self.ledger.unconfirmed_from(offset),
                          "limit": limit, "allowed_updates": allowed_updates}
        result: list[Any] = await self._post(
            "getUpdates", data, read_timeout=_long_poll_read_timeout(self, read_timeout, timeout),
            write_timeout=write_timeout, connect_timeout=connect_timeout,
            pool_timeout=pool_timeout, api_kwargs=api_kwargs)
        items = [(item["update_id"], item) for item in result
                 if isinstance(item, dict) and isinstance(item.get("update_id"), int)]
        fresh = [(update_id, item) for update_id, item in items if update_id >= self._next_new]
        if items and not fresh:  # only updates kept back for their records: let them land
            await self.ledger.wait_recorded(LATE_RECORD_PAUSE_SECONDS)
        if fresh:
            self._next_new = fresh[-1][0] + 1
        items = fresh
        parsed = {update_id: self.parse(item) for update_id, item in items}
        admission = await self.ledger.admit([
            Incoming(update_id, json.dumps(item, ensure_ascii=False))
            for update_id, item in items if parsed[update_id] is not None])
        updates = []
        for update_id, _ in items:
            update = parsed[update_id]
            if update is None or admission[update_id] is Admission.DUPLICATE:
                updates.append(Update(update_id=update_id))
            else:
                self.insert_callback_data(update)
                updates.append(update)
        return tuple(updates)


def _long_poll_read_timeout(bot: ExtBot[None], read_timeout: ODVInput[float],
                            timeout: TimePeriod | None) -> float:
    """As PTB computes it: the request's read timeout plus the long-poll wait."""
    if isinstance(read_timeout, DefaultValue):
        base = bot._request[0].read_timeout or 0
    else:
        base = read_timeout or 0
    if isinstance(timeout, dtm.timedelta):
        return base + timeout.total_seconds()
    return base + timeout if timeout else base


def polling_error_callback(give_up: Callable[[str], None], *,
                           clock: Callable[[], float] = time.monotonic
                           ) -> Callable[[TelegramError], None]:
    """For PTB's Updater: one line per error, no traceback; `give_up` after MAX_CONFLICTS."""
    throttled = ThrottledLog(logger, interval=30.0)
    conflicts: deque[float] = deque(maxlen=MAX_CONFLICTS)

    def on_error(error: TelegramError) -> None:
        if isinstance(error, Conflict):
            conflicts.append(clock())
            recent = sum(clock() - at <= CONFLICT_WINDOW_SECONDS for at in conflicts)
            logger.error("Telegram refused getUpdates (409 Conflict, %d of %d): another "
                         "process is polling with this token, or a webhook is set",
                         recent, MAX_CONFLICTS)
            if recent >= MAX_CONFLICTS:
                give_up(f"getUpdates was refused with 409 Conflict {MAX_CONFLICTS} times; "
                        "stopping. Run one poller per token, or use webhooks.")
        elif isinstance(error, NetworkError):
            throttled.warning("Cannot reach Telegram for updates (%s); retrying",
                              type(error).__name__)
        else:
            throttled.warning("getUpdates failed: %s", error.message)

    return on_error
