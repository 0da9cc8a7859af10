"""A stand-in Telegram Bot API server speaking real HTTP, for driving the real Application."""

from tests.fake_bot_api.server import BOT_ID, BOT_USERNAME, TOKEN, FakeBotApi, RecordedCall

__all__ = ["BOT_ID", "BOT_USERNAME", "TOKEN", "FakeBotApi", "RecordedCall"]
