"""The one reversible thing kept: an encrypted chat address, only for people who subscribed to
tips (a bot cannot message anyone without it), deleted when they unsubscribe or /hapusdata.

The key is derived from the pseudonym secret, so the database alone reveals nothing.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

_KEY_CONTEXT = b"tppo-bot chat address v1\x00"


class ChatAddressCipher:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("secret is empty")
        digest = hashlib.sha256(_KEY_CONTEXT + secret.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def encrypt(self, chat_id: int) -> str:
        return self._fernet.encrypt(str(chat_id).encode()).decode("ascii")

    def decrypt(self, token: str) -> int | None:
        """The chat id, or None for a token made with another secret or tampered with."""
        try:
            return int(self._fernet.decrypt(token.encode("ascii")))
        except (InvalidToken, ValueError):
            return None

    def __repr__(self) -> str:
        return "ChatAddressCipher(<secret>)"
