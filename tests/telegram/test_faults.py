"""Not falling over: 429 and 5xx from Telegram, network failures, and our own errors."""

from __future__ import annotations

import asyncio
from collections import Counter
from http import HTTPStatus

import aiohttp
import pytest
from telegram.error import NetworkError, TimedOut

from bot.engine.engine import Engine
from bot.telegram.aiohttp_request import AiohttpRequest
from bot.telegram.requests import RetryingRequest, RetryPolicy, may_repeat_after
from bot.telegram.texts import message_html
from tests.fake_bot_api.updates import PRIVATE_USER_ID
from tests.telegram.conftest import RunningBot

# PTB itself reads RetryAfter.retry_after while building the 429 error, which warns about a
# future type change; nothing here reads it.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

QUESTIONS = [
    "apa itu tppo", "cara melapor tppo", "ciri lowongan kerja palsu", "berapa kasus di bontang",
    "halo", "apa hukuman pelaku tppo", "bagaimana cek agen resmi", "apa hak korban",
    "terima kasih", "tolong saya disekap", "siapa yang rentan jadi korban", "modus online scam",
    "berapa kasus tppo tahun 2022", "apa itu jeratan utang", "paspor saya ditahan agen",
    "bagaimana lapor anonim", "apa bedanya dengan penyelundupan", "resep rendang",
    "perkawinan anak", "apakah lapor itu gratis",
]


async def test_every_question_is_answered_exactly_once_despite_429_and_502(
        bot: RunningBot, engine: Engine) -> None:
    bot.api.fail_fraction(0.1, seed=5)
    chats = [PRIVATE_USER_ID + n for n in range(len(QUESTIONS))]
    update_ids = [await bot.api.push(bot.api.updates.text(q, chat_id=c))
                  for q, c in zip(QUESTIONS, chats, strict=True)]
    await bot.api.wait_until_fetched(max(update_ids))
    await asyncio.wait_for(bot.application.update_queue.join(), 30)
    faults = Counter(c.status for c in bot.api.calls if not c.ok)
    assert faults[HTTPStatus.TOO_MANY_REQUESTS] and faults[HTTPStatus.BAD_GATEWAY]
    for question, chat in zip(QUESTIONS, chats, strict=True):
        assert [c.params["text"] for c in bot.api.sent_to(chat)] == [
            engine.reply_to(question).html], question


async def test_a_burst_of_502_is_waited_out(bot: RunningBot, engine: Engine) -> None:
    bot.api.fail_next(3, HTTPStatus.BAD_GATEWAY, methods={"sendMessage"})
    calls = await bot.exchange(bot.api.updates.text("apa itu tppo"))
    assert [c.params["text"] for c in calls] == [engine.reply_to("apa itu tppo").html]
    assert len(bot.api.calls_to("sendMessage", ok_only=False)) == 4


async def test_when_retries_run_out_the_user_hears_about_it(bot: RunningBot,
                                                            engine: Engine) -> None:
    bot.api.fail_next(5, HTTPStatus.BAD_GATEWAY, methods={"sendMessage"})
    calls = await bot.exchange(bot.api.updates.text("apa itu tppo"))
    error = message_html(engine, engine.knowledge.content.messages.error)
    assert [c.params["text"] for c in calls if c.method == "sendMessage"] == [error]


async def test_a_bug_in_a_handler_is_logged_without_user_data(
        bot: RunningBot, engine: Engine, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(text: str, **options: object) -> None:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(engine, "reply_to", broken)
    calls = await bot.exchange(bot.api.updates.text("rahasia pribadi saya"))
    error = message_html(engine, engine.knowledge.content.messages.error)
    assert [c.params["text"] for c in calls] == [error]
    failures = [r for r in caplog.records if r.name == "bot.telegram.handlers"]
    assert [r.getMessage() for r in failures] == ["Handling an update failed: RuntimeError"]
    assert "rahasia pribadi" not in caplog.text and str(PRIVATE_USER_ID) not in caplog.text


class TestRetryingRequest:
    @pytest.fixture
    def attempts(self, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        """Each call to the real AiohttpRequest.do_request, answered from `outcomes`."""
        seen: list[str] = []
        outcomes: list[object] = []

        async def fake_do_request(self: AiohttpRequest, url: str, *args: object,
                                  **kwargs: object) -> tuple[int, bytes]:
            seen.append(url.rsplit("/", 1)[-1])
            outcome = outcomes.pop(0)
            if isinstance(outcome, BaseException):
                raise outcome
            assert isinstance(outcome, tuple)
            return outcome

        monkeypatch.setattr(AiohttpRequest, "do_request", fake_do_request)
        self.outcomes = outcomes
        return seen

    @staticmethod
    def failure(error: NetworkError, cause: BaseException) -> NetworkError:
        error.__cause__ = cause
        return error

    async def post(self, method: str) -> object:
        request = RetryingRequest(retry=RetryPolicy(attempts=4, first_delay=0.001,
                                                    max_delay=0.002))
        await request.initialize()
        try:
            return await request.post(f"http://127.0.0.1:9/botTOKEN/{method}")
        finally:
            await request.shutdown()

    async def test_connection_failures_and_5xx_are_retried(self, attempts: list[str]) -> None:
        self.outcomes += [
            self.failure(NetworkError("refused"), aiohttp.ConnectionTimeoutError("no slot")),
            (502, b"<html>Bad Gateway</html>"),
            (503, b'{"ok": false}'),
            (200, b'{"ok": true, "result": true}'),
        ]
        assert await self.post("sendMessage") is True
        assert attempts == ["sendMessage"] * 4

    async def test_gives_up_after_the_last_attempt(self, attempts: list[str]) -> None:
        self.outcomes += [(502, b"Bad Gateway")] * 4
        with pytest.raises(NetworkError):
            await self.post("sendMessage")
        assert len(attempts) == 4

    async def test_a_lost_answer_to_a_send_is_not_repeated(self, attempts: list[str]) -> None:
        self.outcomes += [self.failure(TimedOut(), aiohttp.SocketTimeoutError("slow"))]
        with pytest.raises(TimedOut):
            await self.post("sendMessage")
        assert attempts == ["sendMessage"]

    async def test_429_is_left_to_the_rate_limiter(self, attempts: list[str]) -> None:
        self.outcomes += [(429, b'{"ok": false, "error_code": 429, "description": "Too Many '
                                b'Requests", "parameters": {"retry_after": 3}}')]
        with pytest.raises(Exception, match="Flood control"):
            await self.post("sendMessage")
        assert attempts == ["sendMessage"]


async def test_a_refused_connection_is_a_network_error_that_may_be_repeated() -> None:
    """A real connection attempt to a closed port, through the real request class."""
    request = AiohttpRequest(connect_timeout=2.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as failure:
            await request.do_request("http://127.0.0.1:9/botTOKEN/sendMessage", "POST")
    finally:
        await request.shutdown()
    assert isinstance(failure.value.__cause__, aiohttp.ClientConnectorError)
    assert may_repeat_after(failure.value, "sendMessage")


async def test_a_slow_answer_is_timed_out_and_not_repeated_for_a_send() -> None:
    """A server that accepts and never answers: the read timeout, not a hang."""
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut) as failure:
            await request.do_request(f"http://127.0.0.1:{port}/botTOKEN/sendMessage", "POST")
    finally:
        await request.shutdown()
        server.close()
    assert not may_repeat_after(failure.value, "sendMessage")


@pytest.mark.parametrize(("cause", "endpoint", "repeat"), [
    (aiohttp.ConnectionTimeoutError("x"), "sendMessage", True),
    (aiohttp.SocketTimeoutError("x"), "sendMessage", False),
    (aiohttp.ServerDisconnectedError(), "sendPhoto", False),
    (aiohttp.SocketTimeoutError("x"), "editMessageText", True),
    (aiohttp.SocketTimeoutError("x"), "answerCallbackQuery", True),
])
def test_which_failures_may_be_repeated(cause: Exception, endpoint: str, repeat: bool) -> None:
    error = NetworkError("failed")
    error.__cause__ = cause
    assert may_repeat_after(error, endpoint) is repeat
