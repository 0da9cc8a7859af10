"""Pseudonymous user keys: an HMAC of the Telegram id, so the raw id is never stored.

The same person gets the same key (counts, feedback and deletion work), but the key cannot be
turned back into an id without the secret, which lives outside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path

from bot.settings import Settings
from bot.storage.chat_address import ChatAddressCipher

KEY_FILE_NAME = "pseudonym.key"
KEY_FILE_MODE = 0o600
GENERATED_SECRET_BYTES = 32

log = logging.getLogger(__name__)


class PseudonymousKeys:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("pseudonym secret is empty")
        self._secret = secret.encode()

    def key_for(self, user_id: int) -> str:
        """HMAC-SHA256(secret, str(user_id)) as 64 hex digits."""
        return hmac.new(self._secret, str(user_id).encode(), hashlib.sha256).hexdigest()

    @classmethod
    def from_settings(cls, settings: Settings) -> PseudonymousKeys:
        """PSEUDONYM_SECRET when set, otherwise `<data_dir>/pseudonym.key` (created if missing)."""
        if settings.pseudonym_secret:
            return cls(settings.pseudonym_secret)
        return cls(read_or_create_secret(settings.data_dir / KEY_FILE_NAME))

    def derived_key(self, context: bytes) -> bytes:
        """A 32-byte key for one purpose (`context`), derived from the same secret."""
        return hashlib.sha256(context + b"\x00" + self._secret).digest()

    def address_cipher(self) -> ChatAddressCipher:
        """Encrypts subscribers' chat addresses with a key derived from the same secret."""
        return ChatAddressCipher(self._secret.decode())

    def __repr__(self) -> str:
        return "PseudonymousKeys(<secret>)"


def read_or_create_secret(path: Path) -> str:
    """The secret in `path`; a new random one, readable by the owner only, when there is none.

    Losing this file makes every stored key unlinkable to new messages (old feedback can no
    longer be replaced, "hapus data saya" no longer finds old rows): back it up with the data.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    except FileExistsError:
        return _read_secret(path)
    secret = secrets.token_hex(GENERATED_SECRET_BYTES)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secret + "\n")
        file.flush()
        os.fsync(file.fileno())
    log.info("created a new pseudonym key file in %s", path.parent)
    return secret


def _read_secret(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s is readable by others (mode %o); chmod 600 it", path, mode)
    secret = path.read_text(encoding="ascii").strip()
    if not secret:
        raise ValueError(f"{path} is empty; delete it to create a new key or restore a backup")
    return secret
