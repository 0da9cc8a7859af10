"""Pseudonymous user keys: an HMAC of the Telegram id, so the raw id is never stored.

The same person gets the same key (counts, feedback and deletion work), but the key cannot be
turned back into an id without the secret, which lives outside the database. Every worker on
one database must use the same secret: the database keeps a check value derived from it
(`check_value`), and `bot.storage.identity` refuses a worker whose secret does not match.
"""

from __future__ import annotations

import contextlib
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
_CHECK_CONTEXT = b"tppo-bot pseudonym secret check v1"

log = logging.getLogger(__name__)


class PseudonymousKeys:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("pseudonym secret is empty")
        self._secret = secret.encode()

    def key_for(self, user_id: int) -> str:
        """HMAC-SHA256(secret, str(user_id)) as 64 hex digits."""
        return hmac.new(self._secret, str(user_id).encode(), hashlib.sha256).hexdigest()

    def check_value(self) -> str:
        """HMAC of a constant: equal for equal secrets, and reveals nothing about the secret."""
        return hmac.new(self._secret, _CHECK_CONTEXT, hashlib.sha256).hexdigest()

    @classmethod
    def from_settings(cls, settings: Settings, *, may_create: bool = True) -> PseudonymousKeys:
        """PSEUDONYM_SECRET when set, otherwise `<data_dir>/pseudonym.key` (created if missing
        and `may_create`; a database that already holds keys needs its old file back)."""
        if settings.pseudonym_secret:
            return cls(settings.pseudonym_secret)
        path = settings.data_dir / KEY_FILE_NAME
        if not may_create and not path.exists():
            raise MissingKeyFile(path)
        return cls(read_or_create_secret(path))

    def derived_key(self, context: bytes) -> bytes:
        """A 32-byte key for one purpose (`context`), derived from the same secret."""
        return hashlib.sha256(context + b"\x00" + self._secret).digest()

    def address_cipher(self) -> ChatAddressCipher:
        """Encrypts subscribers' chat addresses with a key derived from the same secret."""
        return ChatAddressCipher(self._secret.decode())

    def __repr__(self) -> str:
        return "PseudonymousKeys(<secret>)"


class StorageRefused(RuntimeError):
    """Storage is reachable but must not be used as configured; the message is for operators
    (one line, Indonesian), and the bot refuses to start rather than split identities."""


class MissingKeyFile(StorageRefused):
    """The database holds pseudonymous keys but the key file that made them is gone."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} tidak ada, padahal database sudah berisi data yang dibuat dengan kunci itu. "
            "Pulihkan berkas itu dari cadangan (atau isi PSEUDONYM_SECRET dengan rahasia lama); "
            "bot tidak membuat kunci baru, karena data lama tidak akan terhubung lagi.")


def read_or_create_secret(path: Path) -> str:
    """The secret in `path`; a new random one, readable by the owner only, when there is none.

    The new file appears complete or not at all (written to a temporary file, synced, then
    linked into place), so a second process starting at the same moment never reads it empty,
    and the one that loses the race reads the winner's secret.

    Losing this file makes every stored key unlinkable to new messages (old feedback can no
    longer be replaced, "hapus data saya" no longer finds old rows): back it up with the data.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return _read_secret(path)
    secret = secrets.token_hex(GENERATED_SECRET_BYTES)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secret + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)  # unlike rename, never replaces a file made meanwhile
        except FileExistsError:
            return _read_secret(path)
        _sync_folder(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    log.info("created a new pseudonym key file in %s", path.parent)
    return secret


def _sync_folder(folder: Path) -> None:
    """Make the new directory entry durable too (a crash must not leave the key unnamed)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _read_secret(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s is readable by others (mode %o); chmod 600 it", path, mode)
    secret = path.read_text(encoding="ascii").strip()
    if not secret:
        raise ValueError(f"{path} is empty; delete it to create a new key or restore a backup")
    return secret
