"""PTB's Bot API requests over aiohttp instead of httpx.

In a burst the bot's CPU is the limit, and PTB's HTTPXRequest cost ~1.4 ms of CPU a request
with one connection and 3-4 ms with 16-64 (httpcore scans every pooled connection, asking each
socket whether it is readable, at the start and end of every request); aiohttp, whose HTTP
parser is compiled, 0.25-0.5 ms (`scripts/measure_http_clients.py`, docs/PERFORMANCE.md).

Same contract as HTTPXRequest: form-encoded parameters, multipart when files are uploaded,
TimedOut for timeouts and NetworkError for other failures, the aiohttp error as `__cause__`.
aiohttp has no write timeout; a stalled upload ends at the read timeout instead.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

NOT_SENT_ERRORS: tuple[type[BaseException], ...] = (aiohttp.ClientConnectorError,
                                                    aiohttp.ConnectionTimeoutError)
"""aiohttp failures that happen before the request reached Telegram: no connection could be
opened, or none became free in time (the pool wait counts toward aiohttp's `connect`)."""

_DEFAULT = type(BaseRequest.DEFAULT_NONE)
"""PTB's DefaultValue class, reached without importing its private module."""


class AiohttpRequest(BaseRequest):
    """A BaseRequest with its own aiohttp session, opened by `initialize` (it needs the loop)."""

    def __init__(self, *, connection_pool_size: int = 1, read_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, pool_timeout: float | None = 1.0) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

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
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        timeout = self._timeout(read_timeout, connect_timeout, pool_timeout)
        try:
            async with self._session.request(method, url, data=_body(request_data),
                                             timeout=timeout) as response:
                return response.status, await response.read()
        except (aiohttp.ServerTimeoutError, TimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _timeout(self, read: Any, connect: Any, pool: Any) -> aiohttp.ClientTimeout:
        """A DefaultValue (PTB's DEFAULT_NONE) means this request's own default."""
        read = self._read_timeout if isinstance(read, _DEFAULT) else read
        connect = self._connect_timeout if isinstance(connect, _DEFAULT) else connect
        pool = self._pool_timeout if isinstance(pool, _DEFAULT) else pool
        waiting = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(total=None, connect=waiting, sock_connect=connect,
                                     sock_read=read)


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields, or multipart with the files when something is uploaded (a chart)."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
