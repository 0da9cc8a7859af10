"""Building the python-telegram-bot Application: requests, rate limits, handlers, start-up.

This module only wires; the callbacks live in `handlers.py` and `actions.py`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.engine.engine import Engine
from bot.settings import Settings
from bot.telegram import broadcast, handlers, safe_mode, staff
from bot.telegram.aiohttp_request import AiohttpRequest
from bot.telegram.botdata import ENGINE_KEY, LEDGER_KEY, OPEN_STORAGE_KEY, SETTINGS_KEY
from bot.telegram.commands import (
    ENGINE_COMMANDS,
    RELOAD,
    REPORT,
    SAFE_MODE,
    SEND_TIPS,
    SUBSCRIBE,
    UNSUBSCRIBE,
)
from bot.telegram.delivery import DeliveryApplication, UpdateLedger
from bot.telegram.fetching import DeliveryBot
from bot.telegram.groups import ADDRESSED_TO_BOT
from bot.telegram.lifecycle import post_init, post_shutdown, post_stop
from bot.telegram.rate_limit import ReplyRateLimiter
from bot.telegram.requests import RetryingRequest, RetryPolicy

logger = logging.getLogger(__name__)

CONCURRENT_UPDATES = 64
"""Updates handled at once; one slow send must not hold up everyone else's answers."""
RATE_LIMIT_RETRIES = 8
"""How often a request answered with 429 is repeated (after that chat's retry_after). Every
attempt can be refused again: with 3, about one reply in 10,000 was lost (the user got the
apology instead) while 10% of sends were refused (`python -m bot bench load`)."""
CONNECTION_POOL_SIZE = 64
POOL_TIMEOUT_SECONDS = 10.0
"""How long a request may wait for a free connection (PTB's default is 1 s). Waiting is safe
(nothing was sent) and is the back-pressure when replies are not paced: with per-chat 429
pauses instead of a process-wide halt, a slow Bot API left 1 s too short (replies lost to
TimedOut in the PostgreSQL load test on a loaded machine)."""
GET_UPDATES_READ_TIMEOUT = 10.0
"""Added to the long-poll timeout by PTB; getUpdates has its own connection (PTB's design)."""


def file_base_url(base_url: str) -> str:
    """`https://api.telegram.org/bot` → `https://api.telegram.org/file/bot`, same for a local
    Bot API server or the test stand-in."""
    if base_url.endswith("/bot"):
        return base_url[: -len("bot")] + "file/bot"
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/file/bot"


def build_application(settings: Settings, *, engine: Engine | None = None,
                      retry: RetryPolicy | None = None, open_storage: bool = True) -> Application:
    """The Application for `settings`; an `engine` given here is used instead of loading one,
    and `open_storage=False` leaves storage to the caller (tests with their own recorder)."""
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is required for the Telegram adapter")
    ledger = UpdateLedger(lease=timedelta(seconds=settings.update_lease_seconds))
    bot = DeliveryBot(
        token=settings.telegram_bot_token,
        base_url=settings.telegram_api_base_url,
        base_file_url=file_base_url(settings.telegram_api_base_url),
        request=RetryingRequest(retry=retry, connection_pool_size=CONNECTION_POOL_SIZE,
                                pool_timeout=POOL_TIMEOUT_SECONDS),
        get_updates_request=AiohttpRequest(connection_pool_size=1,
                                           read_timeout=GET_UPDATES_READ_TIMEOUT),
        rate_limiter=ReplyRateLimiter(max_retries=RATE_LIMIT_RETRIES),
        ledger=ledger,
    )
    builder = (
        ApplicationBuilder()
        .application_class(DeliveryApplication)
        .bot(bot)
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    if settings.webhook_url:
        builder = builder.updater(None)  # our own webhook server feeds the update queue
    application = builder.build()
    application.bot_data[SETTINGS_KEY] = settings
    application.bot_data[OPEN_STORAGE_KEY] = open_storage
    application.bot_data[LEDGER_KEY] = ledger
    if engine is not None:
        application.bot_data[ENGINE_KEY] = engine
    add_handlers(application)
    return application


def add_handlers(application: Application) -> None:
    """Register callbacks. Within a group the first matching handler wins, so order matters."""
    message = filters.UpdateType.MESSAGE
    addressed = message & ADDRESSED_TO_BOT

    # Group -1 runs before the others and never answers: it notes private message ids for
    # "Hapus jejak" (ids only: in memory, and queued for storage at once so that another worker
    # taking the tap knows them before this one has replied).
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & message, handlers.remember_incoming), group=-1)

    # Commands first: in groups they are answered without a mention (`/cmd@other_bot` is
    # ignored by PTB), and edited commands are not run again.
    application.add_handler(CommandHandler("start", handlers.start, filters=message))
    application.add_handler(CommandHandler([spec.name for spec in ENGINE_COMMANDS],
                                           handlers.engine_command, filters=message))
    application.add_handler(CommandHandler("hapusdata", handlers.delete_data_command,
                                           filters=message))
    # Staff commands only in private chats (a report in a group would be read by everyone);
    # their callbacks refuse anyone not in BOT_ADMIN_IDS.
    private = message & filters.ChatType.PRIVATE
    application.add_handler(CommandHandler(RELOAD.name, staff.reload_content, filters=private))
    application.add_handler(CommandHandler(REPORT.name, staff.weekly_report, filters=private))
    application.add_handler(CommandHandler(SEND_TIPS.name, broadcast.preview_tips,
                                           filters=private))
    application.add_handler(CommandHandler(SAFE_MODE.name, safe_mode.toggle_command,
                                           filters=message))
    application.add_handler(CommandHandler(SUBSCRIBE.name, broadcast.subscribe, filters=message))
    application.add_handler(CommandHandler(UNSUBSCRIBE.name, broadcast.unsubscribe,
                                           filters=message))
    application.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE & message,
                                           handlers.unknown_command))

    # Text (typed or forwarded) goes to the engine; in groups only when addressed to the bot.
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & addressed,
                                           handlers.question))
    # Everything else a person sends: a kind note and the menu. Service messages (members
    # joining, pins, …) are not from a person and are ignored.
    application.add_handler(MessageHandler(addressed & ~filters.TEXT & ~filters.StatusUpdate.ALL,
                                           handlers.other_message))
    application.add_handler(MessageHandler(
        filters.UpdateType.EDITED_MESSAGE & ADDRESSED_TO_BOT, handlers.edited_message))

    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    application.add_error_handler(handlers.on_error)
