"""The stand-in Bot API: records every request, answers like Telegram, injects faults on demand.

It listens on 127.0.0.1 (a free port) and serves `/bot<token>/<method>` with JSON,
form-urlencoded and multipart/form-data bodies, as PTB sends them. Like Telegram it rejects
text with broken HTML, texts over 4,096 characters and callback data over 64 bytes, so a test
that passes here would not be refused by the real API for those reasons.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.content.telegram_html import MAX_MESSAGE_LENGTH, html_problems
from tests.fake_bot_api.updates import UpdateFactory

TOKEN = "123456789:TEST-token_for-the-fake-api"
BOT_ID = 123456789
BOT_USERNAME = "TppoKaltimTestBot"
SEND_METHODS = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup",
                          "answerCallbackQuery", "answerInlineQuery", "sendPhoto",
                          "deleteMessages", "sendChatAction"})
STRING_PARAMS = frozenset({"text", "caption", "url", "secret_token", "callback_query_id",
                           "inline_query_id", "parse_mode", "action", "next_offset",
                           "description", "short_description", "photo"})
"""Sent by PTB as raw strings; everything else arrives JSON-encoded."""
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
_OK = int(HTTPStatus.OK)
"""A plain int: tests filter thousands of calls by `ok`, and an enum member costs a lookup."""
BAD_GATEWAY_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


@dataclass
class RecordedCall:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = HTTPStatus.OK
    result: Any = None
    received_at: float = field(default_factory=time.monotonic)
    responded: bool = False
    """The whole answer was written before the client went away."""
    refused_on_purpose: bool = False
    """A 400 the test asked for (`undeletable`), not a request Telegram would reject."""

    @property
    def ok(self) -> bool:
        return self.status == _OK


class TelegramError(Exception):
    def __init__(self, status: int, description: str, *, on_purpose: bool = False) -> None:
        super().__init__(description)
        self.status, self.description, self.on_purpose = status, description, on_purpose


@dataclass
class _Faults:
    next_calls: list[tuple[int, frozenset[str] | None]] = field(default_factory=list)
    fraction: float = 0.0
    fraction_methods: frozenset[str] = SEND_METHODS
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    statuses: tuple[int, ...] = (HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.BAD_GATEWAY)
    rates: tuple[tuple[int, float], ...] = ()

    def pick(self, method: str) -> int | None:
        for index, (status, methods) in enumerate(self.next_calls):
            if methods is None or method in methods:
                del self.next_calls[index]
                return status
        if method not in self.fraction_methods:
            return None
        if self.rates:
            draw = self.rng.random()
            for status, rate in self.rates:
                if draw < rate:
                    return status
                draw -= rate
            return None
        if self.fraction and self.rng.random() < self.fraction:
            return self.rng.choice(self.statuses)
        return None


class FakeBotApi:
    def __init__(self, token: str = TOKEN, *, retry_after: int = 1) -> None:
        self.token = token
        self.retry_after = retry_after
        self.calls: list[RecordedCall] = []
        self.delays: dict[str, float] = {}
        self.late_answers: dict[int, float] = {}
        """Chats whose messages the user sees at once while Telegram's answer to the bot is
        this many seconds late (the bot learns the message's id only then)."""
        self.webhook: dict[str, Any] = {}
        self.blocked_chats: set[int] = set()
        """Chats whose user blocked the bot: sends there get Telegram's 403."""
        self.undeletable: set[int] = set()
        """Message ids Telegram refuses to delete (older than 48 hours): deleteMessage for one,
        and deleteMessages naming one, get Telegram's 400."""
        self.bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "TPPO Kaltim",
                         "username": BOT_USERNAME, "can_join_groups": True,
                         "can_read_all_group_messages": False, "supports_inline_queries": True}
        self.updates = UpdateFactory(self.bot_user, self.next_message_id)
        self._faults = _Faults()
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: defaultdict[int, itertools.count[int]] = defaultdict(
            lambda: itertools.count(1))
        self._changed = asyncio.Condition()
        self._server: HTTPServer | None = None
        self._closing = False
        self.port = 0

    # -- running ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = tornado.web.Application([
            (r"/bot([^/]+)/([A-Za-z]+)", _MethodHandler, {"api": self}),
        ])
        self._server = HTTPServer(app)
        sockets = bind_sockets(0, address="127.0.0.1")
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._closing = True
        await self._notify()
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- test controls ---------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids[chat_id])

    async def push(self, update: dict[str, Any], *, update_id: int | None = None) -> int:
        """Queue an update for getUpdates; returns its update_id. An `update_id` given again
        replays an earlier update, as a redelivery would."""
        if update_id is None:
            update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, **update})
        self._pending.sort(key=lambda pending: pending["update_id"])
        await self._notify()
        return update_id

    def fail_next(self, count: int, status: int = HTTPStatus.BAD_GATEWAY,
                  methods: Iterable[str] | None = None) -> None:
        """The next `count` calls (to `methods`, or any) fail with `status` (429 or 5xx)."""
        only = frozenset(methods) if methods is not None else None
        self._faults.next_calls += [(status, only)] * count

    def fail_fraction(self, fraction: float, *, seed: int,
                      methods: Collection[str] = SEND_METHODS) -> None:
        """Fail this share of calls, 429 or 502 at random (seeded, so a run can be repeated)."""
        self._faults.fraction, self._faults.rng = fraction, random.Random(seed)
        self._faults.fraction_methods = frozenset(methods)

    def fail_at_rates(self, rates: Mapping[int, float], *, seed: int,
                      methods: Collection[str] = SEND_METHODS) -> None:
        """Fail each status's share of calls, e.g. {429: 0.10, 502: 0.05} (seeded)."""
        self._faults.rates, self._faults.rng = tuple(rates.items()), random.Random(seed)
        self._faults.fraction_methods = frozenset(methods)

    def calls_to(self, method: str, *, ok_only: bool = True) -> list[RecordedCall]:
        return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

    def sent_to(self, chat_id: int) -> list[RecordedCall]:
        """Successful sendMessage calls to one chat."""
        return [c for c in self.calls_to("sendMessage") if c.params.get("chat_id") == chat_id]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    async def wait_until_fetched(self, update_id: int, timeout: float = 10.0) -> None:
        """Until the bot asked for updates past `update_id` (so it has taken that one)."""
        await self.wait_for(lambda: any(
            c.method == "getUpdates" and int(c.params.get("offset") or 0) > update_id
            for c in self.calls), timeout)

    # -- serving ---------------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def handle(self, call: RecordedCall) -> Any:
        self.calls.append(call)
        await self._notify()
        fault = self._faults.pick(call.method)
        if fault is not None:
            raise TelegramError(fault, "Too Many Requests" if fault == 429 else "Bad Gateway")
        if call.method in self.delays:
            await asyncio.sleep(self.delays[call.method])
        method = getattr(self, f"_api_{call.method}", None)
        if method is None:
            raise TelegramError(HTTPStatus.NOT_FOUND, "Not Found")
        try:
            return await method(call.params)
        except TelegramError as error:
            call.refused_on_purpose = error.on_purpose
            raise

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self._pending = [u for u in self._pending if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: bool(self._pending) or self._closing), timeout)
        return self._pending[: int(params.get("limit") or 100)]

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        if int(params.get("chat_id", 0)) in self.blocked_chats:
            raise TelegramError(HTTPStatus.FORBIDDEN, "Forbidden: bot was blocked by the user")
        _check_text(params.get("text", ""), params, MAX_MESSAGE_LENGTH)
        return self._new_message(params, text=params["text"])

    async def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        _check_text(params.get("caption", ""), params, 1024)
        photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 960, "height": 720}]
        extra = {"caption": params["caption"]} if params.get("caption") else {}
        return self._new_message(params, photo=photo, **extra)

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        _check_text(params.get("text", ""), params, MAX_MESSAGE_LENGTH)
        return self._edited(params, text=params["text"])

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        _check_markup(params)
        return self._edited(params, text="")

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if len(params.get("text") or "") > MAX_CALLBACK_ANSWER_LENGTH:
            raise TelegramError(HTTPStatus.BAD_REQUEST, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _api_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        for result in params.get("results", []):
            content = result.get("input_message_content", {})
            _check_text(content.get("message_text", ""), content, MAX_MESSAGE_LENGTH)
            _check_markup(result)
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = dict(params)
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {}
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._pending)}

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        self._refuse_undeletable([int(params["message_id"])])
        return True

    async def _api_deleteMessages(self, params: dict[str, Any]) -> bool:
        if not 1 <= len(params.get("message_ids", [])) <= 100:
            raise TelegramError(HTTPStatus.BAD_REQUEST, "Bad Request: message_ids invalid")
        self._refuse_undeletable(params["message_ids"])
        return True

    def _refuse_undeletable(self, ids: list[int]) -> None:
        if self.undeletable.intersection(ids):
            raise TelegramError(HTTPStatus.BAD_REQUEST, "Bad Request: message can't be deleted",
                                on_purpose=True)

    async def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_logOut(self, params: dict[str, Any]) -> bool:
        return True

    def _new_message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        _check_markup(params)
        chat_id = int(params["chat_id"])
        message = {"message_id": self.next_message_id(chat_id), "date": int(time.time()),
                   "chat": self.updates.chat(chat_id), "from": self.bot_user, **content}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _edited(self, params: dict[str, Any], **content: Any) -> Any:
        if params.get("inline_message_id"):
            return True
        chat_id = int(params["chat_id"])
        message = {"message_id": int(params["message_id"]), "date": int(time.time()),
                   "edit_date": int(time.time()), "chat": self.updates.chat(chat_id),
                   "from": self.bot_user, **content}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message


def _check_text(text: str, params: dict[str, Any], limit: int) -> None:
    if len(text) > limit:
        raise TelegramError(HTTPStatus.BAD_REQUEST, "Bad Request: message is too long")
    if params.get("parse_mode") == "HTML" and html_problems(text):
        raise TelegramError(HTTPStatus.BAD_REQUEST, "Bad Request: can't parse entities")


def _check_markup(params: dict[str, Any]) -> None:
    for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise TelegramError(HTTPStatus.BAD_REQUEST, "Bad Request: BUTTON_DATA_INVALID")
            if data is None and not button.get("url"):
                raise TelegramError(HTTPStatus.BAD_REQUEST, "Bad Request: button has no action")


def _decode(name: str, raw: str) -> Any:
    if name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


class _MethodHandler(tornado.web.RequestHandler):
    def initialize(self, api: FakeBotApi) -> None:
        self.api = api
        self.closed_early = False

    def on_connection_close(self) -> None:
        self.closed_early = True

    def _params(self) -> tuple[dict[str, Any], dict[str, bytes]]:
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            return (json.loads(self.request.body or b"{}"), {})
        params = {name: _decode(name, values[-1].decode())
                  for name, values in self.request.body_arguments.items()}
        params.update({name: _decode(name, values[-1].decode())
                       for name, values in self.request.query_arguments.items()})
        files = {name: parts[0].body for name, parts in self.request.files.items()}
        return params, files

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        if token != self.api.token:
            self._answer(HTTPStatus.UNAUTHORIZED, {"ok": False, "error_code": 401,
                                                   "description": "Unauthorized"})
            return
        params, files = self._params()
        call = RecordedCall(method, params, files)
        try:
            call.result = await self.api.handle(call)
            late = self.api.late_answers.get(params.get("chat_id"))
            if late:
                await self.api._notify()  # the user sees the message now
                await asyncio.sleep(late)
        except TelegramError as error:
            call.status = error.status
            if error.status == HTTPStatus.BAD_GATEWAY:
                self.set_status(error.status)
                self.set_header("Content-Type", "text/html")
                self.finish(BAD_GATEWAY_PAGE)
            else:
                body: dict[str, Any] = {"ok": False, "error_code": error.status,
                                        "description": error.description}
                if error.status == HTTPStatus.TOO_MANY_REQUESTS:
                    body["parameters"] = {"retry_after": self.api.retry_after}
                self._answer(error.status, body)
        else:
            self._answer(HTTPStatus.OK, {"ok": True, "result": call.result})
        call.responded = not self.closed_early
        await self.api._notify()

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        if self.closed_early:
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def log_exception(self, *args: object) -> None:
        """Tests read the recorded calls; tornado's own logging would only add noise."""
