"""Figures for docs/PERFORMANCE.md, section "HTTP client": CPU a request of PTB's two ways
of talking to the Bot API, against a minimal local HTTP/1.1 server in another process.

    .venv/bin/python scripts/measure_http_clients.py

For each client and pool size: 3,000 form-encoded POSTs like a sendMessage (600 characters of
text), that many at once as the pool allows, after 200 to warm up; CPU time of this process.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time

from telegram.request import HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.aiohttp_request import AiohttpRequest

PORT = 18765
REQUESTS = 3000
WARM_UP = 200
POOL_SIZES = (1, 16, 64)
BODY = (b'{"ok":true,"result":{"message_id":1,"date":1700000000,'
        b'"chat":{"id":1,"type":"private"},"text":"hi"}}')
ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
          % (len(BODY), BODY))


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            await reader.readexactly(length)
            writer.write(ANSWER)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


def _serve() -> None:
    async def main() -> None:
        server = await asyncio.start_server(_answer, "127.0.0.1", PORT, backlog=1024)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


async def _cpu_per_request(request: HTTPXRequest | AiohttpRequest, pool: int) -> float:
    data = RequestData([RequestParameter("chat_id", 123, None),
                        RequestParameter("text", "x" * 600, None)])
    url = f"http://127.0.0.1:{PORT}/botTOKEN/sendMessage"
    slots = asyncio.Semaphore(pool)

    async def one() -> None:
        async with slots:
            await request.do_request(url, "POST", data)

    await request.initialize()
    try:
        await asyncio.gather(*(one() for _ in range(WARM_UP)))
        started = time.process_time()
        await asyncio.gather(*(one() for _ in range(REQUESTS)))
        return (time.process_time() - started) * 1000 / REQUESTS
    finally:
        await request.shutdown()


def main() -> None:
    server = multiprocessing.Process(target=_serve, daemon=True)
    server.start()
    time.sleep(1.0)
    try:
        for pool in POOL_SIZES:
            httpx_ms = asyncio.run(_cpu_per_request(
                HTTPXRequest(connection_pool_size=pool, pool_timeout=30.0), pool))
            aiohttp_ms = asyncio.run(_cpu_per_request(
                AiohttpRequest(connection_pool_size=pool, pool_timeout=30.0), pool))
            print(f"pool {pool:>2}: HTTPXRequest {httpx_ms:.2f} ms, "
                  f"AiohttpRequest {aiohttp_ms:.2f} ms of CPU a request")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
