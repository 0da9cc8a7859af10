"""A tornado HTTP server that a flood of idle sockets cannot take down (reliability review F3).

With tornado's defaults a connection may sit idle for an hour, a body may trickle in for ever
and nothing limits how many are open: 1,100 half-open connections under the usual 1,024 open
files exhausted them, and tornado's accept loop then spun on EMFILE writing 875 MB of
tracebacks in a minute. Here:
- headers must arrive within `HEADER_TIMEOUT` (tornado applies `idle_connection_timeout` to
  waiting for the headers, also between keep-alive requests), a body within `BODY_TIMEOUT`;
- at most `connection_cap()` connections are open: a new one closes the oldest, so a flood of
  idle sockets cannot keep out the load balancer's or Telegram's next request;
- EMFILE on accept closes the oldest connection (or pauses accepting) instead of spinning;
- the open-file limit is raised to the hard limit at start-up where allowed
  (`raise_open_file_limit`), and repeated errors are logged once a minute (`throttle_logs`).
A buffering proxy in front (docs/DEPLOY.md) is still the first defence.
"""

from __future__ import annotations

import errno
import logging
import resource
import socket
import time
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.iostream import IOStream
from tornado.netutil import bind_sockets

logger = logging.getLogger(__name__)

HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 10.0
MAX_HEADER_BYTES = 16 * 1024
MAX_BODY_BYTES = 1024 * 1024
"""Updates are a few kilobytes; anything near this size is not from Telegram."""
MAX_CONNECTIONS = 1000
"""Telegram opens at most 40 (setWebhook's max_connections default); a proxy a few more."""
RESERVED_FILES = 200
"""Open files kept for everything else: database connections, the Bot API pool (64), logs."""
RAISED_LIMIT_CEILING = 65536
ACCEPT_PAUSE_SECONDS = 0.5
THROTTLED_LOGGERS = ("tornado.access", "tornado.application", "tornado.general", "asyncio",
                     __name__)


def raise_open_file_limit() -> int:
    """Soft RLIMIT_NOFILE up to the hard limit (at most RAISED_LIMIT_CEILING); the new soft
    limit. Systemd's and Docker's usual soft limit is 1,024 with a much higher hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = RAISED_LIMIT_CEILING if hard == resource.RLIM_INFINITY else min(
        hard, RAISED_LIMIT_CEILING)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as error:
            logger.warning("Could not raise the open-file limit from %d (%s)", soft, error)
            return soft
        logger.info("Open-file limit raised from %d to %d", soft, target)
        return target
    return soft


def connection_cap() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(16, min(MAX_CONNECTIONS, soft - RESERVED_FILES))


class _Throttle(logging.Filter):
    """Lets the first of a kind of record through per `interval`, then counts the rest."""

    def __init__(self, interval: float = 60.0) -> None:
        super().__init__()
        self._interval = interval
        self._last: dict[tuple[str, object], float] = {}
        self._suppressed: dict[tuple[str, object], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.msg)
        now = time.monotonic()
        if now - self._last.get(key, -self._interval) < self._interval:
            self._suppressed[key] = self._suppressed.get(key, 0) + 1
            return False
        self._last[key] = now
        if len(self._last) > 1000:
            self._last.clear()
        again = self._suppressed.pop(key, 0)
        if again:
            record.msg = f"{record.msg} (and {again} similar since the last report)"
        return True


def throttle_logs() -> None:
    """Repeated errors from the HTTP server and event loop: one line per kind per minute."""
    for name in THROTTLED_LOGGERS:
        target = logging.getLogger(name)
        if not any(isinstance(f, _Throttle) for f in target.filters):
            target.addFilter(_Throttle())


class BoundedHTTPServer:
    """`HTTPServer` for `app` with the limits above, bound to host:port by `start`."""

    def __init__(self, app: tornado.web.Application, *, host: str, port: int) -> None:
        self.host, self.requested_port = host, port
        self.port: int | None = None
        """The bound port (differs from the requested one when that was 0)."""
        self._server = _CappedHTTPServer(
            app, idle_connection_timeout=HEADER_TIMEOUT, body_timeout=BODY_TIMEOUT,
            max_header_size=MAX_HEADER_BYTES, max_body_size=MAX_BODY_BYTES)

    def start(self) -> None:
        throttle_logs()
        sockets = bind_sockets(self.requested_port, address=self.host)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.port is None:
            return
        self._server.stop()
        await self._server.close_all_connections()
        self.port = None


class _CappedHTTPServer(HTTPServer):
    """Closes the oldest connection when the cap is reached or accept() hits EMFILE."""

    def initialize(self, *args: Any, **kwargs: Any) -> None:  # tornado's constructor hook
        super().initialize(*args, **kwargs)
        self._streams: dict[IOStream, None] = {}
        self._cap = connection_cap()

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        self._forget_closed()
        while len(self._streams) >= self._cap and self._close_oldest():
            pass
        self._streams[stream] = None
        super().handle_stream(stream, address)

    def _forget_closed(self) -> None:
        for stream in [s for s in self._streams if s.closed()]:
            del self._streams[stream]

    def _close_oldest(self) -> bool:
        for stream in self._streams:
            del self._streams[stream]
            stream.close()
            return True
        return False

    def add_sockets(self, sockets: list[socket.socket]) -> None:
        for sock in sockets:
            self._sockets[sock.fileno()] = sock
            self._handlers[sock.fileno()] = self._accept_handler(sock)

    def _accept_handler(self, sock: socket.socket) -> Any:
        """tornado.netutil.add_accept_handler, with EMFILE/ENFILE handled."""
        io_loop = IOLoop.current()
        removed = False

        def accept(fd: object, events: int) -> None:
            for _ in range(128):
                if removed:
                    return
                try:
                    connection, address = sock.accept()
                except BlockingIOError:
                    return
                except ConnectionAbortedError:
                    continue
                except OSError as error:
                    if error.errno not in (errno.EMFILE, errno.ENFILE):
                        raise
                    logger.warning("Out of open files while accepting; closing the oldest "
                                   "connection")
                    self._forget_closed()
                    if not self._close_oldest():
                        io_loop.remove_handler(sock)
                        io_loop.call_later(ACCEPT_PAUSE_SECONDS, resume)
                    return
                self._handle_connection(connection, address)

        def resume() -> None:
            if not removed:
                io_loop.add_handler(sock, accept, IOLoop.READ)

        def remove() -> None:
            nonlocal removed
            removed = True
            io_loop.remove_handler(sock)

        io_loop.add_handler(sock, accept, IOLoop.READ)
        return remove
