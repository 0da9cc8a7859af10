"""The Telegram adapter: translates between python-telegram-bot and the engine, nothing more.

No module here decides what to answer; they turn updates into engine calls and `Reply` objects
into Bot API requests. Start with `app.py` (wiring) and `runner.py` (polling or webhook).
"""
