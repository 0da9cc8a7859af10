"""An event loop of its own, in a thread: storage work that must not wait for the main loop.

In a burst the main loop is busy answering, and every await of a write there resumes only when
the loop next comes round (a round took 100-400 ms). The update ledger's "handled" marks waited
that long after their replies were out, and a worker killed mid-burst answered a hundred updates
a second time (scripts/measure_crash.py). Work handed to this loop starts at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
STOP_TIMEOUT_SECONDS = 5.0


class LoopThread:
    """A daemon thread running an event loop; a stuck database cannot keep the process alive."""

    def __init__(self, name: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def call(self, function: Callable[..., object], *args: object) -> None:
        """Run `function(*args)` on this loop soon (from any thread)."""
        self._loop.call_soon_threadsafe(function, *args)

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Start `coroutine` on this loop; cancelling the future cancels it."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    async def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """`coroutine`'s result, awaited from another event loop."""
        return await asyncio.wrap_future(self.submit(coroutine))

    def stop(self) -> None:
        """Stop the loop (its tasks should be finished or cancelled) and close it."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(STOP_TIMEOUT_SECONDS)
        if not self._thread.is_alive():
            self._loop.close()
