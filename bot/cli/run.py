"""`python -m bot run`: the Telegram bot when a token is set, the terminal chat otherwise.

SIGTERM (docker stop, systemd) and SIGINT (Ctrl-C) stop the bot cleanly with exit status 0
after the replies under way have been sent; a second signal ends it at once. SIGHUP reloads the
content once the bot has started (`kill -HUP <pid>`, `docker compose kill -s HUP bot`).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from telegram.error import InvalidToken

from bot.cli.common import load_settings
from bot.settings import Settings

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

logger = logging.getLogger(__name__)


def run_bot() -> int:
    settings = load_settings()
    if not settings.telegram_bot_token:
        from bot.cli.console import run_console

        return run_console()
    from bot.telegram.http_server import raise_open_file_limit
    from bot.telegram.logging_setup import configure_logging

    configure_logging(settings.log_level, settings.telegram_bot_token)
    raise_open_file_limit()
    from bot.storage.keys import StorageRefused
    from bot.telegram.runner import ReceiverFailed

    try:
        asyncio.run(serve(settings))
    except InvalidToken:
        sys.exit("Telegram menolak TELEGRAM_BOT_TOKEN; periksa token dari @BotFather.")
    except StorageRefused as refusal:  # e.g. another worker's pseudonym secret
        sys.exit(str(refusal))
    except ReceiverFailed as failure:
        sys.exit(str(failure))
    return 0


async def serve(settings: Settings) -> None:
    from bot.telegram.app import build_application
    from bot.telegram.content_watch import reload_on_sighup
    from bot.telegram.runner import receiver_for, run_application

    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()

    def stop() -> None:
        stopping.set()
        for stop_signal in STOP_SIGNALS:  # the default action again: a second signal kills
            loop.remove_signal_handler(stop_signal)

    for stop_signal in STOP_SIGNALS:
        loop.add_signal_handler(stop_signal, stop)
    application = build_application(settings)
    started = asyncio.Event()
    serving = asyncio.create_task(
        run_application(application, receiver_for(application, settings), stopping, started))
    waiting = asyncio.create_task(started.wait())
    await asyncio.wait({serving, waiting}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    # post_init has created the content watch by now; before that there is nothing to reload.
    if started.is_set() and reload_on_sighup(application):
        logger.info("SIGHUP reloads the content")
    await serving
