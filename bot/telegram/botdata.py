"""What the adapter keeps in `application.bot_data`: one key per shared object.

The engine is created in `post_init` (rules-bot style) and swapped content goes through
`Engine.use`, so the content watcher only needs `bot_data[ENGINE_KEY]`.
"""

from __future__ import annotations

from telegram.ext import ContextTypes

from bot.engine.engine import Engine

ENGINE_KEY = "engine"
SETTINGS_KEY = "settings"
INTERACTION_RECORDER_KEY = "interaction_recorder"
STORAGE_KEY = "storage"
STORAGE_STATE_KEY = "storage_state"
"""The `StorageState`: opening, open or gone; /healthz reports it."""
OPEN_STORAGE_KEY = "open_storage"
"""False in tests that bring their own recorder: post_init then opens no database."""
SAFE_MODE_KEY = "safe_mode"
"""The `SafeModeStore` (bot.storage.safe_mode), set with storage; absent without it."""
LATE_LOOKUPS_KEY = "late_safe_mode_lookups"
"""Safe-mode lookups still running after their reply stopped waiting (bot.telegram.conversation)."""
HEALTH_KEY = "health"
"""The `bot.telegram.health.Health`: the checks behind /healthz, beyond "running"."""
LEDGER_KEY = "update_ledger"
"""The `UpdateLedger`: every update recorded before it is acknowledged (bot/telegram/delivery)."""
CONTENT_WATCH_KEY = "content_watch"
"""The `ContentWatch` (reloader and watcher task) from post_init; /reload and SIGHUP use it."""


def engine_of(context: ContextTypes.DEFAULT_TYPE) -> Engine:
    engine: Engine = context.bot_data[ENGINE_KEY]
    return engine
