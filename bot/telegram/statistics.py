"""Statistics on Telegram: charts drawn off the event loop and sent as photos.

A statistics page opened on purpose (/statistik, the `statistik` link, the menu, a year or
region button) shows its chart first and then the text with the buttons; a typed question gets
the text and the "Lihat grafik" button, so a chat about numbers is not flooded with pictures.
When a chart cannot be drawn the text still goes out: the numbers matter, the picture helps.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging

from telegram import Message, Update
from telegram.constants import ChatAction, MessageLimit, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.content.bundle import ContentBundle
from bot.content.telegram_html import escape
from bot.engine.reply import Button, ChartRequest, Intent, Reply
from bot.telegram import hooks
from bot.telegram.botdata import engine_of
from bot.telegram.conversation import respond
from bot.telegram.trail import remember

logger = logging.getLogger(__name__)

CAPTION_MAX_LENGTH = int(MessageLimit.CAPTION_LENGTH)  # 1024, Bot API limit
CHART_ACTION_PREFIX = "chart:"


@dataclasses.dataclass(frozen=True)
class Chart:
    png: bytes
    caption: str
    """Plain text (the chart's title); escaped when sent."""


async def draw_chart(content: ContentBundle, request: ChartRequest) -> Chart | None:
    """The chart, drawn in a worker thread so other people's replies are not held up.

    None when charts are unavailable or drawing failed (logged); ValueError when the request
    names a year or region this content does not have (an old button after a reload).
    """
    charts = hooks.load_chart_renderer()
    if charts is None:
        return None
    render, title = charts
    try:
        png = await asyncio.to_thread(render, content, request)
        caption = title(content, request) if title else ""
    except ValueError:
        raise
    except Exception:
        logger.exception("Drawing a %s chart failed", request.kind)
        return None
    return Chart(png, caption)


async def send_chart_photo(context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                           chart: Chart) -> Message:
    """Send the PNG with its title as caption; remembered for "Hapus jejak" like any reply.
    Always silent: it answers a tap the person just made, and must not sound in safe mode."""
    caption = chart.caption[:CAPTION_MAX_LENGTH]
    sent = await context.bot.send_photo(chat_id, photo=chart.png,
                                        caption=escape(caption) if caption else None,
                                        parse_mode=ParseMode.HTML, disable_notification=True)
    await remember(context, [sent])
    return sent


async def respond_with_chart(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply,
                             *, record: bool = False, replace: int | None = None) -> None:
    """`respond`, but a statistics page brings its chart first (see the module docstring).

    Once the chart is shown its "Lihat grafik" button is dropped from the text; when the chart
    fails the button stays, so the person can try again.
    """
    chat = update.effective_chat
    if reply.intent is not Intent.STATS or reply.chart is None or chat is None:
        await respond(update, context, reply, record=record, replace=replace)
        return
    if await _chart_sent(context, chat.id, reply.chart):
        reply = dataclasses.replace(reply, buttons=without_chart_buttons(reply.buttons))
    await respond(update, context, reply, record=record)


async def _chart_sent(context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                      request: ChartRequest) -> bool:
    content = engine_of(context).knowledge.content
    with contextlib.suppress(TelegramError):  # only the "sending a photo…" hint
        await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
    try:
        chart = await draw_chart(content, request)
    except ValueError:  # content reloaded between the reply and the drawing
        return False
    if chart is None:
        return False
    try:
        await send_chart_photo(context, chat_id, chart)
    except TelegramError as error:
        logger.warning("Sending a chart failed, sending the text alone: %s", type(error).__name__)
        return False
    return True


def without_chart_buttons(rows: tuple[tuple[Button, ...], ...]) -> tuple[tuple[Button, ...], ...]:
    """The rows minus any "Lihat grafik" button (rows left empty are dropped)."""
    kept = (tuple(b for b in row if not (b.action or "").startswith(CHART_ACTION_PREFIX))
            for row in rows)
    return tuple(row for row in kept if row)
