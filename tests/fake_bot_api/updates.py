"""Builders for the JSON updates Telegram would deliver (only the fields PTB needs)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

Json = dict[str, Any]
PRIVATE_USER_ID = 5550001
GROUP_CHAT_ID = -1001234567890

MEDIA = {
    "sticker": {"file_id": "s1", "file_unique_id": "s1", "type": "regular", "width": 512,
                "height": 512, "is_animated": False, "is_video": False},
    "photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}],
    "voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 3},
    "video": {"file_id": "vd1", "file_unique_id": "vd1", "width": 640, "height": 480,
              "duration": 5},
    "video_note": {"file_id": "vn1", "file_unique_id": "vn1", "length": 240, "duration": 4},
    "document": {"file_id": "d1", "file_unique_id": "d1", "file_name": "surat.pdf"},
    "location": {"latitude": -0.5022, "longitude": 117.1536},
    "contact": {"phone_number": "+6281200000000", "first_name": "Siti"},
    "animation": {"file_id": "a1", "file_unique_id": "a1", "width": 320, "height": 240,
                  "duration": 2},
    "poll": {"id": "poll1", "question": "Setuju?", "options": [
        {"text": "Ya", "voter_count": 0, "persistent_id": "o1"},
        {"text": "Tidak", "voter_count": 0, "persistent_id": "o2"}],
        "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
        "allows_multiple_answers": False, "allows_revoting": False,
        "members_only": False},
}


class UpdateFactory:
    def __init__(self, bot_user: Json, next_message_id: Callable[[int], int]) -> None:
        self.bot_user = bot_user
        self._next_message_id = next_message_id
        self._query_ids = itertools.count(1)

    @staticmethod
    def user(user_id: int = PRIVATE_USER_ID) -> Json:
        return {"id": user_id, "is_bot": False, "first_name": "Warga", "language_code": "id"}

    @staticmethod
    def chat(chat_id: int) -> Json:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Warga"}
        return {"id": chat_id, "type": "supergroup", "title": "Warga Samarinda"}

    def message(self, *, chat_id: int = PRIVATE_USER_ID, user_id: int | None = None,
                **content: Any) -> Json:
        """A message from a user; `user_id` defaults to the private chat's id."""
        sender = user_id if user_id is not None else (chat_id if chat_id > 0 else PRIVATE_USER_ID)
        return {"message_id": self._next_message_id(chat_id), "date": int(time.time()),
                "chat": self.chat(chat_id), "from": self.user(sender), **content}

    def text(self, text: str, *, edited: bool = False, **options: Any) -> Json:
        message = self.message(text=text, **options)
        mention = f"@{self.bot_user['username']}"
        start = text.find(mention)
        if start >= 0:
            message["entities"] = [{"type": "mention", "offset": _utf16_len(text[:start]),
                                    "length": len(mention)}]
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": _utf16_len(command)}]
        if edited:
            message["edit_date"] = message["date"] + 5
            return {"edited_message": message}
        return {"message": message}

    def forwarded_text(self, text: str, **options: Any) -> Json:
        update = self.text(text, **options)
        update["message"]["forward_origin"] = {"type": "hidden_user", "date": 1700000000,
                                               "sender_user_name": "Seseorang"}
        return update

    def media(self, kind: str, **options: Any) -> Json:
        return {"message": self.message(**{kind: MEDIA[kind]}, **options)}

    def reply_to_bot(self, text: str, bot_message: Json, **options: Any) -> Json:
        update = self.text(text, chat_id=bot_message["chat"]["id"], **options)
        update["message"]["reply_to_message"] = bot_message
        return update

    def callback(self, data: str, *, message: Json, user_id: int = PRIVATE_USER_ID) -> Json:
        """A tap on a button of `message` (a message the bot sent, as the fake returned it)."""
        return {"callback_query": {"id": f"cq{next(self._query_ids)}", "from": self.user(user_id),
                                   "chat_instance": "ci1", "data": data, "message": message}}

    def inline_query(self, query: str, *, user_id: int = PRIVATE_USER_ID) -> Json:
        return {"inline_query": {"id": f"iq{next(self._query_ids)}", "from": self.user(user_id),
                                 "query": query, "offset": "", "chat_type": "sender"}}


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
