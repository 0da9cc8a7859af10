"""Bot API requests that survive a flaky network: bounded exponential back-off on 5xx and
connection failures.

PTB's requests never retry, and AIORateLimiter only retries 429 answers (it reads
`retry_after` from the error PTB raises above this layer, so 429 passes through here untouched).
A 5xx answer reaches `do_request` as a status code (PTB later turns 502 into NetworkError); a
connection failure arrives as NetworkError/TimedOut with the aiohttp error as its cause.

Repeating a request must never send a reply twice: 5xx answers and failures to connect mean
Telegram did not act, so they are always retried; a timeout while waiting for the answer may
mean it did act, so then only requests that are safe to repeat are retried.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from typing import Any

from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from bot.telegram.aiohttp_request import NOT_SENT_ERRORS, AiohttpRequest

logger = logging.getLogger(__name__)

NOT_REPEATABLE_PREFIXES = ("send", "forward", "copy")
"""Methods that post something new: repeating one after a lost answer could duplicate it."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    first_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, retry: int) -> float:
        """Exponential with full jitter, so many waiting replies do not retry in lockstep."""
        return random.uniform(0, min(self.max_delay, self.first_delay * 2**retry))


def _endpoint(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def may_repeat_after(error: NetworkError, endpoint: str) -> bool:
    if isinstance(error.__cause__, NOT_SENT_ERRORS):
        return True
    return not endpoint.startswith(NOT_REPEATABLE_PREFIXES)


class RetryingRequest(AiohttpRequest):
    """AiohttpRequest that repeats a request on 5xx answers and network failures."""

    def __init__(self, *, retry: RetryPolicy | None = None, **request_options: Any) -> None:
        super().__init__(**request_options)
        self.retry = retry or RetryPolicy()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        endpoint = _endpoint(url)
        retry = 0
        while True:
            final = retry + 1 >= self.retry.attempts
            try:
                code, payload = await super().do_request(
                    url, method, request_data, read_timeout=read_timeout,
                    write_timeout=write_timeout, connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout)
            except NetworkError as error:
                if final or not may_repeat_after(error, endpoint):
                    raise
                logger.warning("%s failed (%s); retrying", endpoint, type(error).__name__)
            else:
                if code < 500 or final:
                    return code, payload
                logger.warning("%s answered %d; retrying", endpoint, code)
            await asyncio.sleep(self.retry.delay(retry))
            retry += 1
