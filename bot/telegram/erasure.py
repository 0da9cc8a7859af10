"""Erasing a private conversation from the phone: "Hapus jejak", "Keluar cepat" and safe mode.

A privacy promise must never be false, so the result says how many messages could not be
deleted, and ids that could not be deleted are remembered again for the next try.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.engine.engine import Engine
from bot.telegram.texts import message_html

logger = logging.getLogger(__name__)

DELETE_BATCH = 100
"""deleteMessages takes at most 100 ids."""


class EraseOutcome(StrEnum):
    DONE = "done"
    PARTLY = "partly"
    """Some messages stay (older than 48 hours, or refused): the user must delete them by hand."""
    FAILED = "failed"
    """Nothing could be deleted (network, Telegram down): try again."""


@dataclass(frozen=True)
class EraseResult:
    deleted: tuple[int, ...]
    left: tuple[int, ...]
    unknown: bool = False
    """Some ids could not be read (storage down): messages may be left that nobody tried."""

    @property
    def outcome(self) -> EraseOutcome:
        if not self.left and not self.unknown:
            return EraseOutcome.DONE
        return EraseOutcome.PARTLY if self.deleted else EraseOutcome.FAILED


async def _delete_one_by_one(bot: Bot, chat_id: int, ids: Sequence[int]) -> list[int]:
    """The ids that could not be deleted."""
    left = []
    for message_id in ids:
        try:
            if not await bot.delete_message(chat_id, message_id):
                left.append(message_id)
        except TelegramError:
            left.append(message_id)
    return left


async def erase_messages(bot: Bot, chat_id: int, ids: Sequence[int]) -> EraseResult:
    """Delete `ids` in this chat; a refused batch is retried message by message so one old
    message does not keep the others on screen."""
    ordered = sorted(set(ids))
    left: list[int] = []
    for start in range(0, len(ordered), DELETE_BATCH):
        batch = ordered[start : start + DELETE_BATCH]
        try:
            if await bot.delete_messages(chat_id, batch):
                continue
        except BadRequest:
            pass
        except TelegramError as error:
            logger.warning("Deleting messages failed: %s", type(error).__name__)
            left += batch
            continue
        left += await _delete_one_by_one(bot, chat_id, batch)
    kept = set(left)
    return EraseResult(tuple(i for i in ordered if i not in kept), tuple(left))


async def neutral_line(bot: Bot, engine: Engine, chat_id: int) -> Message | None:
    """The one message left after erasing: nothing in it, or in its preview, about trafficking.
    None when it could not be sent (the chat is erased all the same)."""
    try:
        return await bot.send_message(
            chat_id, message_html(engine, engine.knowledge.content.messages.neutral_line),
            parse_mode=ParseMode.HTML, disable_notification=True)
    except TelegramError as error:
        logger.warning("Sending the neutral line failed: %s", type(error).__name__)
        return None

