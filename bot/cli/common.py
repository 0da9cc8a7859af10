"""Shared start-up for commands: settings and content, with staff-readable failures."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from bot.content.loader import load_content
from bot.engine.engine import Engine
from bot.engine.knowledge import Knowledge, UnderstandingSetup
from bot.settings import Settings
from bot.understanding.encoder import EmbeddingCache, load_encoder
from bot.understanding.store import ModelStore


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
    return Engine(Knowledge.build(result.bundle, understanding_setup(settings)))


def understanding_setup(settings: Settings) -> UnderstandingSetup:
    """The encoder the settings ask for; its vectors and the trained model kept under
    DATA_DIR/cache, so a restart with the same content neither embeds nor trains."""
    folder = settings.data_dir / "cache"
    return UnderstandingSetup(encoder=load_encoder(settings.sentence_encoder),
                              cache=EmbeddingCache(folder), store=ModelStore(folder))
