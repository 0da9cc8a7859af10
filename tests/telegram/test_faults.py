"""Not falling over: 429 and 5xx from Telegram, network failures, and our own errors."""

from __future__ import annotations

import asyncio
from collections import Counter
from http import HTTPStatus

import httpx
import pytest
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest

from bot.engine.engine import Engine
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
        """Each call to the real HTTPXRequest.do_request, answered from `outcomes`."""
        seen: list[str] = []
        outcomes: list[object] = []

        async def fake_do_request(self: HTTPXRequest, url: str, *args: object,
                                  **kwargs: object) -> tuple[int, bytes]:
            seen.append(url.rsplit("/", 1)[-1])
            outcome = outcomes.pop(0)
            if isinstance(outcome, BaseException):
                raise outcome
            assert isinstance(outcome, tuple)
            return outcome

        monkeypatch.setattr(HTTPXRequest, "do_request", fake_do_request)
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
            self.failure(NetworkError("refused"), httpx.ConnectError("refused")),
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
        self.outcomes += [self.failure(TimedOut(), httpx.ReadTimeout("slow"))]
        with pytest.raises(TimedOut):
            await self.post("sendMessage")
        assert attempts == ["sendMessage"]

    async def test_429_is_left_to_the_rate_limiter(self, attempts: list[str]) -> None:
        self.outcomes += [(429, b'{"ok": false, "error_code": 429, "description": "Too Many '
                                b'Requests", "parameters": {"retry_after": 3}}')]
        with pytest.raises(Exception, match="Flood control"):
            await self.post("sendMessage")
        assert attempts == ["sendMessage"]


@pytest.mark.parametrize(("cause", "endpoint", "repeat"), [
    (httpx.ConnectError("x"), "sendMessage", True),
    (httpx.PoolTimeout("x"), "sendMessage", True),
    (httpx.ReadTimeout("x"), "sendMessage", False),
    (httpx.RemoteProtocolError("x"), "sendPhoto", False),
    (httpx.ReadTimeout("x"), "editMessageText", True),
    (httpx.ReadTimeout("x"), "answerCallbackQuery", True),
])
def test_which_failures_may_be_repeated(cause: Exception, endpoint: str, repeat: bool) -> None:
    error = NetworkError("failed")
    error.__cause__ = cause
    assert may_repeat_after(error, endpoint) is repeat
