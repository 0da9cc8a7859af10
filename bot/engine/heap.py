"""Keep Python's cycle collector off the knowledge: a full collection must not pause replies.

The content, the trained model and the libraries are some 370,000 objects that live as long as
the process. Every full (oldest-generation) collection walks them all: 100-230 ms with the
event loop stopped, every emergency in flight waiting (docs/PERFORMANCE.md). `gc.freeze` moves
them to a generation that collections skip; they are still freed when nothing refers to them.
"""

from __future__ import annotations

import gc


def freeze_long_lived(*, collect: bool) -> None:
    """Exempt every object alive now from future collections. `collect` first frees what
    is garbage already (at start-up, before any reply waits); without it (a content reload,
    while replies go on) a cycle that was garbage at this moment stays in memory."""
    if collect:
        gc.collect()
    gc.freeze()
