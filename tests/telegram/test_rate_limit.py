"""Replies are not held to a global pace: a 429 pauses only its own chat, a group keeps
Telegram's 20 messages a minute, and private chats are not paced at all."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from telegram.constants import FloodLimit
from telegram.error import RetryAfter

from bot.telegram.rate_limit import ReplyRateLimiter

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

PRIVATE_CHAT, OTHER_PRIVATE_CHAT = 1001, 1002
GROUP, OTHER_GROUP = -100200, -100300
PROMPT_SECONDS = 0.3
"""Well under any pause or pacing interval below: "not held back"."""


class Telegram:
    """A send that Telegram refuses with 429 the first `refusals` times for a chat."""

    def __init__(self, refusals: dict[int, int] | None = None, retry_after: int = 1) -> None:
        self._refusals = dict(refusals or {})
        self._retry_after = retry_after
        self.sent: list[tuple[int, float]] = []

    async def send(self, chat_id: int) -> dict[str, Any]:
        if self._refusals.get(chat_id, 0) > 0:
            self._refusals[chat_id] -= 1
            raise RetryAfter(self._retry_after)
        self.sent.append((chat_id, time.monotonic()))
        return {"ok": True}


async def _send(limiter: ReplyRateLimiter, telegram: Telegram, chat_id: int) -> float:
    """Seconds until the send went through."""
    started = time.monotonic()
    await limiter.process_request(telegram.send, (chat_id,), {}, "sendMessage",
                                  {"chat_id": chat_id}, None)
    return time.monotonic() - started


async def test_a_429_pauses_only_its_own_chat() -> None:
    limiter = ReplyRateLimiter(max_retries=2)
    telegram = Telegram(refusals={PRIVATE_CHAT: 1}, retry_after=1)
    refused = asyncio.create_task(_send(limiter, telegram, PRIVATE_CHAT))
    await asyncio.sleep(0.05)  # the first attempt has been refused: the chat is paused
    assert await _send(limiter, telegram, OTHER_PRIVATE_CHAT) < PROMPT_SECONDS
    same_chat = asyncio.create_task(_send(limiter, telegram, PRIVATE_CHAT))
    assert await refused >= 1.0
    assert await same_chat >= 0.9  # it waited out the pause too, and was then sent
    assert [chat for chat, _ in telegram.sent] == [OTHER_PRIVATE_CHAT, PRIVATE_CHAT,
                                                   PRIVATE_CHAT]


async def test_a_chat_still_refused_after_its_retries_gets_the_error() -> None:
    limiter = ReplyRateLimiter(max_retries=1)
    telegram = Telegram(refusals={PRIVATE_CHAT: 5}, retry_after=0)
    with pytest.raises(RetryAfter):
        await _send(limiter, telegram, PRIVATE_CHAT)
    assert telegram.sent == []


async def test_private_chats_are_not_paced() -> None:
    limiter = ReplyRateLimiter(max_retries=2)
    telegram = Telegram()
    started = time.monotonic()
    await asyncio.gather(*(_send(limiter, telegram, PRIVATE_CHAT + n % 3) for n in range(200)))
    assert time.monotonic() - started < PROMPT_SECONDS
    assert len(telegram.sent) == 200


async def test_a_group_keeps_twenty_a_minute_without_holding_other_groups() -> None:
    limiter = ReplyRateLimiter(max_retries=2)
    telegram = Telegram()
    allowed = FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP
    await asyncio.wait_for(
        asyncio.gather(*(_send(limiter, telegram, GROUP) for _ in range(allowed))),
        PROMPT_SECONDS)
    one_too_many = asyncio.create_task(_send(limiter, telegram, GROUP))
    assert await _send(limiter, telegram, OTHER_GROUP) < PROMPT_SECONDS
    await asyncio.sleep(PROMPT_SECONDS)
    assert not one_too_many.done()  # waits for the group's minute to leak a slot
    one_too_many.cancel()
    assert [chat for chat, _ in telegram.sent].count(GROUP) == allowed
