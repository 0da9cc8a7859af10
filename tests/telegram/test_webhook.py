"""Webhook mode: our tornado server, the secret token, and the health check."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from bot.engine.engine import Engine
from bot.telegram.app import build_application
from bot.telegram.runner import WebhookReceiver, receiver_for
from bot.telegram.webhook import SECRET_HEADER
from tests.fake_bot_api import FakeBotApi
from tests.fake_bot_api.updates import PRIVATE_USER_ID
from tests.telegram.conftest import FAST_RETRY, make_settings, running

SECRET = "rahasia_webhook-0123456789"
WEBHOOK_URL = "https://bot.contoh.go.id/telegram/webhook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class WebhookBot:
    api: FakeBotApi
    client: httpx.AsyncClient
    drain: object

    async def post(self, update: dict[str, object], secret: str | None = SECRET,
                   **options: object) -> httpx.Response:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        update_id = await self.api.push({})  # a fresh update id; nothing is polled
        response = await self.client.post("/telegram/webhook", json={"update_id": update_id,
                                                                     **update},
                                          headers=headers, **options)  # type: ignore[arg-type]
        await self.drain()  # type: ignore[operator]
        return response


@pytest.fixture
async def webhook_bot(api: FakeBotApi, engine: Engine) -> AsyncIterator[WebhookBot]:
    settings = make_settings(api, webhook_url=WEBHOOK_URL, webhook_secret=SECRET,
                             listen_port=free_port())
    application = build_application(settings, engine=engine, retry=FAST_RETRY)
    receiver = receiver_for(application, settings)
    assert isinstance(receiver, WebhookReceiver) and application.updater is None
    async with running(application, receiver), httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{settings.listen_port}") as client:
        yield WebhookBot(api, client, application.update_queue.join)


async def test_the_webhook_is_registered_with_its_secret(webhook_bot: WebhookBot) -> None:
    [call] = webhook_bot.api.calls_to("setWebhook")
    assert call.params["url"] == WEBHOOK_URL
    assert call.params["secret_token"] == SECRET
    assert "callback_query" in call.params["allowed_updates"]
    assert webhook_bot.api.calls_to("getUpdates") == []


async def test_an_update_with_the_right_secret_is_answered(webhook_bot: WebhookBot,
                                                           engine: Engine) -> None:
    response = await webhook_bot.post(webhook_bot.api.updates.text("apa itu tppo"))
    assert response.status_code == 200
    [sent] = webhook_bot.api.sent_to(PRIVATE_USER_ID)
    assert sent.params["text"] == engine.reply_to("apa itu tppo").html


@pytest.mark.parametrize("secret", [None, "", "salah_rahasia-0123456789", SECRET[:-1],
                                    SECRET + "x", "rähasia"])
async def test_a_missing_or_wrong_secret_is_refused_and_not_processed(webhook_bot: WebhookBot,
                                                                      secret: str | None) -> None:
    if secret == "rähasia":  # not even ASCII: must still be a clean 403
        headers = {SECRET_HEADER.encode(): "rähasia".encode()}
        update = {"update_id": 99, **webhook_bot.api.updates.text("apa itu tppo")}
        response = await webhook_bot.client.post("/telegram/webhook", json=update,
                                                  headers=headers)  # type: ignore[arg-type]
    else:
        response = await webhook_bot.post(webhook_bot.api.updates.text("apa itu tppo"),
                                          secret=secret)
    assert response.status_code == 403
    assert webhook_bot.api.calls_to("sendMessage") == []


async def test_a_body_that_is_not_an_update_is_rejected(webhook_bot: WebhookBot) -> None:
    for body in (b"{not json", b"[1, 2]", b'"text"'):
        response = await webhook_bot.client.post(
            "/telegram/webhook", content=body,
            headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"})
        assert response.status_code == 400
    assert webhook_bot.api.calls_to("sendMessage") == []


async def test_health_endpoint(webhook_bot: WebhookBot, engine: Engine) -> None:
    response = await webhook_bot.client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["components"]["storage"]["state"] == "open"
    assert response.json()["content"] == engine.knowledge.content.version
    assert (await webhook_bot.client.post("/healthz")).status_code == 405
    assert (await webhook_bot.client.get("/telegram/webhook")).status_code == 405
    assert (await webhook_bot.client.get("/lain")).status_code == 404
