"""Weekly tips on Telegram: /langganan and /berhenti, the hourly job that sends each week's
round, and /kirimtips for staff (a dry-run count first, then a confirm button).

A round runs as a background task (never inside an update handler or a job, which
`Application.stop` would wait for), under a database lock so that one worker at a time sends
it, and stops between two sends when the bot stops."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta, timezone

from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, ContextTypes

from bot.engine.reply import Button, Intent, Reply
from bot.prevention.tips_broadcast import (
    BroadcastResult,
    SendOutcome,
    TipBroadcaster,
    round_key_for,
)
from bot.settings import Settings
from bot.storage.locks import TIPS_LOCK, job_lock
from bot.storage.transactions import describe_failure
from bot.telegram.aiohttp_request import NOT_SENT_ERRORS
from bot.telegram.botdata import ENGINE_KEY, SETTINGS_KEY, STORAGE_KEY, engine_of
from bot.telegram.conversation import respond
from bot.telegram.groups import is_private
from bot.telegram.hooks import recorder_of
from bot.telegram.staff import is_staff
from bot.telegram.texts import message_html, toast

logger = logging.getLogger(__name__)

BROADCASTER_KEY = "tip_broadcaster"
BROADCAST_TASK_KEY = "tip_broadcast_task"
CHECK_INTERVAL = timedelta(hours=1)
KALTIM_TIME = timezone(timedelta(hours=8), "WITA")
SENDING_HOURS = range(9, 20)
"""Local hours in which tips go out: nobody is woken by one."""
CONFIRM_ACTION = "tips-send"
SUBSCRIBE_ACTION = "tips-sub"


async def send_tip(bot: Bot, chat_id: int, html: str) -> SendOutcome:
    """One tip; the outcome tells the broadcaster whether it may be sent again."""
    try:
        # Silent: a tip must not draw anyone's attention to the phone.
        await bot.send_message(chat_id=chat_id, text=html, parse_mode=ParseMode.HTML,
                               disable_notification=True)
    except Forbidden:
        return SendOutcome.BLOCKED
    except BadRequest as error:
        if "chat not found" in error.message.lower():
            return SendOutcome.BLOCKED
        return SendOutcome.FAILED
    except TimedOut as error:  # before NetworkError, its base class
        if isinstance(error.__cause__, NOT_SENT_ERRORS):  # never reached Telegram
            return SendOutcome.RETRY
        return SendOutcome.UNCERTAIN
    except (RetryAfter, NetworkError):
        return SendOutcome.RETRY
    except TelegramError:
        return SendOutcome.FAILED
    return SendOutcome.SENT


def broadcaster_for(application: Application) -> TipBroadcaster | None:
    """Created on first use from storage; None when the bot runs without storage."""
    broadcaster: TipBroadcaster | None = application.bot_data.get(BROADCASTER_KEY)
    storage = application.bot_data.get(STORAGE_KEY)
    if broadcaster is None and storage is not None:
        settings: Settings = application.bot_data[SETTINGS_KEY]
        broadcaster = TipBroadcaster(storage.session_factory, storage.keys.address_cipher(),
                                     rate=settings.broadcast_rate_per_second)
        application.bot_data[BROADCASTER_KEY] = broadcaster
    return broadcaster


RoundTask = asyncio.Task[BroadcastResult | None]


def start_round(application: Application, now: datetime | None = None,
                report_to: int | None = None) -> RoundTask | None:
    """Start sending this week's round in the background (skipping everyone who already has
    it); None while a round runs in this process. The task's result is None when another
    worker holds the round's lock. With `report_to`, that chat gets the summary at the end."""
    broadcaster = broadcaster_for(application)
    running: RoundTask | None = application.bot_data.get(BROADCAST_TASK_KEY)
    if broadcaster is None or (running is not None and not running.done()):
        return None
    engine = application.bot_data[ENGINE_KEY]
    tips = [tip.model_copy(update={"text": message_html(engine, tip.message)})
            for tip in engine.knowledge.content.tips.tips]
    round_key = round_key_for(now or datetime.now(UTC))

    async def locked_round() -> BroadcastResult | None:
        result = None
        try:
            async with job_lock(application.bot_data[STORAGE_KEY].engine, TIPS_LOCK) as held:
                if held:
                    result = await broadcaster.run(
                        tips, round_key,
                        lambda chat_id, html: send_tip(application.bot, chat_id, html))
                else:
                    logger.info("Tip round %s: another worker is sending it", round_key)
        except Exception as error:  # nobody awaits a background round: say it here
            logger.error("Tip round %s failed: %s", round_key, describe_failure(error))
        if report_to is not None:
            await _report(application.bot, report_to, result)
        return result

    task = asyncio.create_task(locked_round(), name=f"tips-{round_key}")
    application.bot_data[BROADCAST_TASK_KEY] = task
    return task


async def run_round(application: Application,
                    now: datetime | None = None) -> BroadcastResult | None:
    """Send this week's round and wait for the end (see `start_round`)."""
    task = start_round(application, now)
    return None if task is None else await task


async def weekly_tips_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Hourly: within sending hours, start whatever of this week's round is still due."""
    if datetime.now(KALTIM_TIME).hour in SENDING_HOURS:
        start_round(context.application)


def schedule_weekly_tips(application: Application) -> None:
    if application.job_queue is not None:
        application.job_queue.run_repeating(weekly_tips_job, interval=CHECK_INTERVAL,
                                            first=timedelta(minutes=5), name="weekly-tips")


async def stop_broadcast(application: Application) -> None:
    """On shutdown: stop between two sends; the next start (or another worker) continues."""
    broadcaster: TipBroadcaster | None = application.bot_data.get(BROADCASTER_KEY)
    task = application.bot_data.get(BROADCAST_TASK_KEY)
    if broadcaster is not None:
        broadcaster.stop()
    if task is not None and not task.done():
        await asyncio.wait({task}, timeout=30)


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/langganan: first the warning (a weekly message can give the bot away on a phone someone
    checks); the button under it subscribes."""
    engine = engine_of(context)
    texts = engine.knowledge.content.tips
    message = update.effective_message
    if message is not None and not is_private(message):
        await _say(update, context, texts.private_only)
        return
    rows = ((Button(texts.subscribe_confirm, action=SUBSCRIBE_ACTION),),
            (Button("Batal", action="menu"),))
    await respond(update, context, Reply(Intent.SMALLTALK,
                                         message_html(engine, texts.subscribe_warning), rows))


async def confirm_subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE,
                            action: str) -> None:
    """The button under the warning: opt in to one tip a week."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await _set_subscription(update, context, subscribed=True)


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/berhenti: opt out; the encrypted chat address is deleted at once."""
    await _set_subscription(update, context, subscribed=False)


async def _set_subscription(update: Update, context: ContextTypes.DEFAULT_TYPE, *,
                            subscribed: bool) -> None:
    engine = engine_of(context)
    texts = engine.knowledge.content.tips
    message, user, recorder = update.effective_message, update.effective_user, recorder_of(context)
    if message is None or user is None:
        return
    if not is_private(message):
        await _say(update, context, texts.private_only)
        return
    saved = recorder is not None and await recorder.set_subscribed(
        user_id=user.id, subscribed=subscribed, chat_id=message.chat_id)
    if not saved:
        await _say(update, context, engine.knowledge.content.messages.storage_unavailable)
        return
    await _say(update, context, texts.subscribed if subscribed else texts.unsubscribed)


async def preview_tips(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/kirimtips (staff): how many would get which tip now, and a button to send."""
    messages = engine_of(context).knowledge.content.messages
    if not is_staff(update, context):
        await _say(update, context, messages.staff_only)
        return
    broadcaster = broadcaster_for(context.application)
    if broadcaster is None:
        await _say(update, context, messages.report_unavailable)
        return
    tips = engine_of(context).knowledge.content.tips.tips
    plan = await broadcaster.plan(tips, round_key_for(datetime.now(UTC)))
    lines = [f"<b>Pratinjau tips minggu {plan.round_key}</b> (belum dikirim)",
             f"Pelanggan aktif: {plan.subscribers}",
             f"Akan menerima tip sekarang: {plan.due}"]
    lines += [f"• {tip_id}: {count} orang" for tip_id, count in plan.tips.most_common()]
    rows: tuple[tuple[Button, ...], ...] = ((Button("Batal", action="menu"),),)
    if plan.due:
        rows = ((Button(f"📤 Kirim ke {plan.due} orang", action=CONFIRM_ACTION),), *rows)
    await respond(update, context, Reply(Intent.SMALLTALK, "\n".join(lines), rows))


async def confirm_send(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    """The staff member confirmed: send in the background and report when done."""
    query = update.callback_query
    engine = engine_of(context)
    if query is None:
        return
    if not is_staff(update, context):
        await query.answer(toast(engine, engine.knowledge.content.messages.staff_only))
        return
    chat = update.effective_chat
    task = start_round(context.application, report_to=chat.id if chat else None)
    if task is None:
        await query.answer("Pengiriman tips sedang berjalan; coba lagi nanti.")
        return
    await query.answer("Tips sedang dikirim… ringkasannya menyusul.")


def round_summary(result: BroadcastResult | None) -> str:
    """What staff read at the end of a round they started (Indonesian)."""
    if result is None:
        return ("Tips tidak dikirim dari sini: pengiriman sedang dijalankan oleh worker lain, "
                "atau database gagal (lihat log).")
    state = "dihentikan (bot berhenti); sisanya dikirim nanti" if result.stopped else "selesai"
    return (f"Tips {result.round_key} {state}: {result.sent} terkirim, {result.blocked} "
            f"memblokir bot (berhenti berlangganan), {result.failed} gagal, {result.uncertain} "
            "mungkin terkirim (waktu tunggu habis; tidak dikirim ulang), "
            f"{result.nothing_new} sudah menerima semua tip.")


async def _report(bot: Bot, chat_id: int, result: BroadcastResult | None) -> None:
    try:
        await bot.send_message(chat_id=chat_id, text=round_summary(result))
    except TelegramError as error:
        logger.warning("Could not send the tip round's summary: %s", type(error).__name__)


async def _say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    await respond(update, context, Reply(Intent.SMALLTALK, message_html(engine_of(context), text)))
