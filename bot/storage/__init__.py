"""What the bot keeps (pseudonymous counts, scrubbed unanswered questions) and its upkeep.

The Telegram adapter uses `open_storage(settings)` at start-up and `storage.recorder` after
each reply; `purge_expired` runs daily; `python -m bot report` reads it for staff.
"""
