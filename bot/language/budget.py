"""Work on never-seen words, bounded per message.

Stemming a new word (Sastrawi), repairing its spelling and cutting it into character n-grams are
each cached per word, so a real question costs little. A message of 600 made-up words would do
all three for every word; inside `message_budget` each kind of work is done for at most so many
new words, and past that the words are left as they are (a 4 kB message of random words then
costs a few ms, docs/PERFORMANCE.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum


class Work(StrEnum):
    STEM = "stem"
    SPELL = "spell"
    NGRAMS = "ngrams"


NEW_WORDS_PER_MESSAGE = {Work.STEM: 4, Work.SPELL: 40, Work.NGRAMS: 60}
"""A real question has a handful of new words; a long story a few dozen. Chosen on the dev
sets: with these the understanding tables did not change."""

_left: ContextVar[dict[Work, int] | None] = ContextVar("message_budget", default=None)


@contextmanager
def message_budget(limits: dict[Work, int] | None = None) -> Iterator[None]:
    """Within this block each kind of work is done for at most its limit of new words."""
    token = _left.set(dict(limits or NEW_WORDS_PER_MESSAGE))
    try:
        yield
    finally:
        _left.reset(token)


def spend(work: Work) -> bool:
    """Use one unit of `work`; False when the message's budget for it is spent. Outside a
    message (training, content check) there is no limit."""
    left = _left.get()
    if left is None:
        return True
    if left[work] <= 0:
        return False
    left[work] -= 1
    return True
