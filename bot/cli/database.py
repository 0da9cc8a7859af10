"""`db upgrade` / `db downgrade`: run the migrations against DATABASE_URL."""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.cli.common import load_settings
from bot.storage.database import downgrade_database, upgrade_database
from bot.storage.transactions import describe_failure


def run_db(command: str) -> int:
    settings = load_settings()
    target = make_url(settings.database_url).render_as_string(hide_password=True)
    try:
        if command == "upgrade":
            asyncio.run(upgrade_database(settings.database_url))
            print(f"Basis data {target} sudah versi terbaru.")
            return 0
        if command == "downgrade":
            asyncio.run(downgrade_database(settings.database_url))
            print(f"Semua tabel bot di {target} sudah dihapus (versi kosong).")
            return 0
    except (SQLAlchemyError, OSError) as error:
        print(f"Migrasi {target} gagal: {describe_failure(error)}", file=sys.stderr)
        return 1
    print(f"Perintah db tidak dikenal: {command}", file=sys.stderr)
    return 2
