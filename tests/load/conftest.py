"""The Telegram tests' stand-in fixture (it also checks nothing sent was refused as invalid)."""

from tests.telegram.conftest import api

__all__ = ["api"]
