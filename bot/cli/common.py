"""Shared start-up for commands: settings and content, with staff-readable failures."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from bot.content.loader import load_content
from bot.engine.engine import Engine
from bot.engine.knowledge import Knowledge
from bot.settings import Settings


def load_settings() -> Settings:
    """Settings or a one-line explanation and exit status 2."""
    try:
        settings = Settings()
        settings.check_webhook()
        settings.check_storage()
    except ValidationError as error:
        detail = error.errors()[0]
        field = str(detail["loc"][0]).upper() if detail["loc"] else "pengaturan"
        sys.exit(f"Pengaturan {field} tidak sah: {detail['msg']}")
    except ValueError as error:
        sys.exit(f"Pengaturan tidak sah: {error}")
    return settings


def load_engine(settings: Settings) -> Engine:
    result = load_content(settings.content_dir)
    if result.bundle is None:
        for problem in result.errors:
            print(problem, file=sys.stderr)
        sys.exit(f"Konten di {settings.content_dir} tidak sah; perbaiki lalu coba lagi.")
    return Engine(Knowledge.build(result.bundle))
