"""Subscribers' chat addresses are stored encrypted, and only while they are subscribed."""

from __future__ import annotations

import pytest

from bot.storage.chat_address import ChatAddressCipher
from bot.storage.keys import PseudonymousKeys


def test_round_trip_and_no_plain_id() -> None:
    cipher = PseudonymousKeys("a-secret-long-enough-1").address_cipher()
    token = cipher.encrypt(987654321)
    assert "987654321" not in token
    assert cipher.decrypt(token) == 987654321


def test_another_secret_cannot_read_it() -> None:
    token = ChatAddressCipher("a-secret-long-enough-1").encrypt(42)
    assert ChatAddressCipher("a-secret-long-enough-2").decrypt(token) is None
    assert ChatAddressCipher("a-secret-long-enough-1").decrypt(token[:-4] + "AAAA") is None


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        ChatAddressCipher("")
