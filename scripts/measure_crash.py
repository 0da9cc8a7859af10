"""Figures for docs/PERFORMANCE.md, section "A kill at an arbitrary moment".

    .venv/bin/python scripts/measure_crash.py [--runs 10] [--mode polling|webhook|both]

tests/telegram/test_crash.py proves "nothing lost, nothing twice" for a staged kill: sends are
refused and every accepted reply is marked handled before SIGKILL. This measures what the staging
leaves out. Each run starts a worker, gives it a burst of BURST updates from BURST chats, kills it
with SIGKILL the moment the stand-in has accepted a random number of replies (nothing refused,
nothing waited for), starts a second worker on the same database and counts the chats that got no
answer and the chats answered twice. Set TEST_DATABASE_URL to a PostgreSQL URL to measure on
PostgreSQL (each run gets its own schema), as the test suite does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli.common import load_engine, load_settings  # noqa: E402
from bot.content.telegram_html import split_message  # noqa: E402
from tests.conftest import isolated_database_url  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402
from tests.telegram.test_crash import BURST, FIRST_CHAT, LEASE_SECONDS, QUESTION  # noqa: E402
from tests.telegram.test_webhook import SECRET, WEBHOOK_URL, free_port  # noqa: E402
from tests.telegram.workers import TelegramDriver, start_worker, wait_until_listening  # noqa: E402

CATCH_UP_SECONDS = 60
"""Ample for the second worker (it answers the rest of a burst within seconds); chats still
without an answer after it are counted as unanswered."""


@dataclass(frozen=True)
class RunOutcome:
    mode: str
    killed_after: int
    """Replies the stand-in had accepted when SIGKILL was sent."""
    unanswered: int
    twice: int


def _answers_per_chat(api: FakeBotApi) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in api.calls_to("sendMessage"))


async def _one_run(mode: str, kill_after: int, per_reply: int, folder: Path) -> RunOutcome:
    api = FakeBotApi()
    await api.start()
    port = free_port()
    settings = {"DATA_DIR": str(folder), "DATABASE_URL": isolated_database_url(folder),
                "UPDATE_LEASE_SECONDS": LEASE_SECONDS, "LISTEN_HOST": "127.0.0.1",
                "LISTEN_PORT": str(port)}
    if mode == "webhook":
        settings.update(WEBHOOK_URL=WEBHOOK_URL, WEBHOOK_SECRET=SECRET)
    updates = [api.updates.text(QUESTION, chat_id=FIRST_CHAT + n) for n in range(BURST)]
    workers = [await start_worker(api, folder, "first", **settings)]
    delivery: asyncio.Task[None] | None = None
    try:
        if mode == "polling":
            await api.wait_for(lambda: bool(api.calls_to("getUpdates")), timeout=180)
            for update in updates:
                await api.push(update)
        else:
            await wait_until_listening(port, timeout=180)
            delivery = asyncio.create_task(TelegramDriver([port], SECRET).deliver(
                [{"update_id": n + 1, **update} for n, update in enumerate(updates)]))
        await api.wait_for(lambda: len(api.calls_to("sendMessage")) >= kill_after, timeout=120)
        await workers[0].kill()
        killed_after = len(api.calls_to("sendMessage"))
        workers.append(await start_worker(api, folder, "second", **settings))
        if delivery is not None:
            await asyncio.wait_for(delivery, CATCH_UP_SECONDS)
        with contextlib.suppress(TimeoutError):  # chats never answered are counted below
            await api.wait_for(lambda: len(_answers_per_chat(api)) >= BURST,
                               timeout=CATCH_UP_SECONDS)
        await asyncio.sleep(2 * float(LEASE_SECONDS))  # time for a second answer to arrive
    finally:
        for worker in workers:
            await worker.stop()
        await api.stop()
    per_chat = _answers_per_chat(api)
    return RunOutcome(mode, killed_after, BURST - len(per_chat),
                      sum(count > per_reply for count in per_chat.values()))


async def _measure(modes: list[str], runs: int, seed: int) -> list[RunOutcome]:
    per_reply = len(split_message(load_engine(load_settings()).reply_to(QUESTION).html))
    rng = random.Random(seed)
    outcomes = []
    for mode in modes:
        for _ in range(runs):
            kill_after = rng.randint(1, (BURST - 50) * per_reply)
            with tempfile.TemporaryDirectory(prefix="tppo-crash-") as folder:
                outcome = await _one_run(mode, kill_after, per_reply, Path(folder))
            print(f"{mode}: killed after {outcome.killed_after} replies: "
                  f"{outcome.unanswered} unanswered, {outcome.twice} answered twice", flush=True)
            outcomes.append(outcome)
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="kills per mode")
    parser.add_argument("--mode", choices=("polling", "webhook", "both"), default="both")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    modes = ["polling", "webhook"] if args.mode == "both" else [args.mode]
    outcomes = asyncio.run(_measure(modes, args.runs, args.seed))
    for mode in modes:
        mine = [o for o in outcomes if o.mode == mode]
        print(f"{mode}: {len(mine)} kills of {BURST}-update bursts: "
              f"{sum(o.unanswered for o in mine)} updates unanswered, "
              f"{sum(o.twice for o in mine)} answered twice, "
              f"{sum(o.twice > 0 for o in mine)} kills with any answered twice")


if __name__ == "__main__":
    main()
