"""Reliability review F3 / issue 17.4: 1,100 idle sockets against a webhook worker limited to
1,024 open files. Before, /healthz timed out, nothing was answered and the accept loop wrote
875 MB of tracebacks in a minute; now the oldest idle connections are closed, /healthz and
real updates are answered, and the log stays small."""

from __future__ import annotations

import asyncio
import resource
import time
from pathlib import Path

import httpx

from bot.telegram.webhook import SECRET_HEADER
from tests.conftest import isolated_database_url
from tests.fake_bot_api import FakeBotApi
from tests.fake_bot_api.updates import PRIVATE_USER_ID
from tests.telegram.test_webhook import SECRET, WEBHOOK_URL, free_port
from tests.telegram.workers import WEBHOOK_PATH, start_worker, wait_until_listening

ATTACK_SOCKETS = 1100
FILE_LIMIT = 1024
PARTIAL_REQUEST = b"POST /telegram/webhook HTTP/1.1\r\nHost: bot\r\nContent-Length: 10"
MAX_LOG_BYTES = 20_000


def _limit_open_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


async def _open_idle(port: int) -> asyncio.StreamWriter | None:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return None
    writer.write(PARTIAL_REQUEST)  # the headers never finish
    return writer


async def test_idle_sockets_beyond_the_file_limit_do_not_take_the_webhook_down(
        api: FakeBotApi, tmp_path: Path) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < ATTACK_SOCKETS + 200:  # the attacking side needs the files too
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    port = free_port()
    worker = await start_worker(
        api, tmp_path, "flooded", preexec=_limit_open_files, WEBHOOK_URL=WEBHOOK_URL,
        WEBHOOK_SECRET=SECRET, LISTEN_HOST="127.0.0.1", LISTEN_PORT=str(port),
        DATA_DIR=str(tmp_path), DATABASE_URL=isolated_database_url(tmp_path))
    writers: list[asyncio.StreamWriter | None] = []
    try:
        await wait_until_listening(port)
        writers = list(await asyncio.gather(*(_open_idle(port) for _ in range(ATTACK_SOCKETS))))
        assert sum(w is not None for w in writers) == ATTACK_SOCKETS
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=2) as client:
            for _ in range(3):
                started = time.monotonic()
                health = await client.get("/healthz")
                assert health.status_code == 200 and time.monotonic() - started < 2
                await asyncio.sleep(0.3)
            update = {"update_id": 1, **api.updates.text("apa itu tppo")}
            answer = await client.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
            assert answer.status_code == 200
        await api.wait_for(lambda: bool(api.sent_to(PRIVATE_USER_ID)), timeout=10)
    finally:
        for writer in writers:
            if writer is not None:
                writer.close()
        await worker.stop()
    assert worker.log.stat().st_size < MAX_LOG_BYTES, worker.log.read_text()[-3000:]
