"""Logging that never shows the bot token, message text or a user's id.

The token is part of every Bot API URL (`…/bot<id>:<secret>/sendMessage`), so any library that
logs a URL or an exception about one would leak it; a filter on the root handlers redacts it
from every record, tracebacks included. httpx logs each request URL at INFO and PTB logs each
request's parameters (message text, chat ids) at DEBUG, so those loggers are kept quieter than
LOG_LEVEL.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[REDACTED]"
BOT_TOKEN_PATTERN = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LOGGERS = {"httpx": logging.WARNING, "httpcore": logging.WARNING,
                 "apscheduler": logging.WARNING, "tornado.access": logging.WARNING,
                 # Database drivers log statements with their parameters: user text and keys.
                 "aiosqlite": logging.WARNING, "sqlalchemy": logging.WARNING,
                 "asyncpg": logging.WARNING, "alembic": logging.WARNING}
TELEGRAM_MIN_LEVEL = logging.INFO


class TokenRedactingFilter(logging.Filter):
    """Replaces `bot<digits>:<secret>` and the token itself in the message and traceback."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self._token = token

    def redact(self, text: str) -> str:
        text = BOT_TOKEN_PATTERN.sub(f"bot{REDACTED}", text)
        return text.replace(self._token, REDACTED) if self._token else text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(level: str, token: str | None) -> None:
    """Root logging to stderr at `level`, with the token filter on every root handler."""
    logging.basicConfig(format=LOG_FORMAT, level=level)
    redactor = TokenRedactingFilter(token)
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, TokenRedactingFilter)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    for name, quiet_level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet_level)
    numeric_level = logging.getLevelName(level)
    logging.getLogger("telegram").setLevel(max(TELEGRAM_MIN_LEVEL, numeric_level))
