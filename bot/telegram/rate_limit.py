"""Telegram's limits without holding replies to the bulk pace.

PTB's AIORateLimiter paces every request with a chat to 30/s overall and, on any 429, halts
every request of the process for `retry_after`. The 30/s is what Telegram documents for bulk
notifications (the weekly tips pace themselves, `bot/prevention/tips_broadcast.py`); a burst of
people writing at once then waited p50 16 s (deployment review). Here replies go out at full
speed; what Telegram does limit is kept:
- about 20 messages per minute in a group (as AIORateLimiter, per group chat);
- a 429 pauses only the chat it was about (its `retry_after`), and the request is repeated.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

GROUP_WINDOW_SECONDS = 60
MAX_TRACKED_CHATS = 512
"""Limiters and pauses of idle chats are dropped beyond this many."""
RETRY_SLACK_SECONDS = 0.1


class ReplyRateLimiter(BaseRateLimiter[int]):
    """Per-group pace and per-chat 429 pauses; no overall pace."""

    def __init__(self, *, max_retries: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._max_retries = max_retries
        self._clock = clock
        self._groups: dict[int | str, AsyncLimiter] = {}
        self._paused_until: dict[int | str, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = _chat_of(data)
        retries = rate_limit_args if rate_limit_args is not None else self._max_retries
        for attempt in range(retries + 1):
            await self._wait_for_pause(chat)
            try:
                if _is_group(chat):
                    async with self._group_limiter(chat):  # type: ignore[arg-type]
                        return await callback(*args, **kwargs)
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    logger.warning("%s still refused with 429 after %d retries",
                                   endpoint, retries)
                    raise
                # `_retry_after` is the timedelta PTB keeps (it reads it the same way in
                # AIORateLimiter); the public attribute warns about its type changing.
                seconds = error._retry_after.total_seconds()
                if chat is None:  # no chat named: only this request waits
                    await asyncio.sleep(seconds + RETRY_SLACK_SECONDS)
                else:
                    self._pause(chat, seconds + RETRY_SLACK_SECONDS)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _wait_for_pause(self, chat: int | str | None) -> None:
        until = None if chat is None else self._paused_until.get(chat)
        if chat is None or until is None:
            return
        delay = until - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)
        elif self._paused_until.get(chat) == until:
            del self._paused_until[chat]

    def _pause(self, chat: int | str, seconds: float) -> None:
        until = self._clock() + seconds
        self._paused_until[chat] = max(until, self._paused_until.get(chat, 0.0))
        if len(self._paused_until) > MAX_TRACKED_CHATS:
            now = self._clock()
            for key, value in list(self._paused_until.items()):
                if value < now:
                    del self._paused_until[key]

    def _group_limiter(self, group: int | str) -> AsyncLimiter:
        if len(self._groups) > MAX_TRACKED_CHATS:
            for key, limiter in list(self._groups.items()):
                if key != group and limiter.has_capacity(limiter.max_rate):
                    del self._groups[key]
        if group not in self._groups:
            self._groups[group] = AsyncLimiter(FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
                                               GROUP_WINDOW_SECONDS)
        return self._groups[group]


def _chat_of(data: dict[str, Any]) -> int | str | None:
    chat = data.get("chat_id")
    if isinstance(chat, str):
        try:
            return int(chat)
        except ValueError:
            return chat  # @channelname
    return chat if isinstance(chat, int) else None


def _is_group(chat: object) -> bool:
    return isinstance(chat, str) or (isinstance(chat, int) and chat < 0)
