"""Issue "Staff workflow", end to end: /reload and /laporan answer admins only, /laporan counts
from storage (edits going live and broken edits are in test_staff_reload.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.content.reloader import ContentReloader
from bot.engine.engine import Engine
from bot.telegram import staff
from bot.telegram.app import build_application
from bot.telegram.botdata import ENGINE_KEY
from bot.telegram.commands import STAFF_COMMANDS
from bot.telegram.runner import receiver_for
from bot.telegram.texts import message_html
from tests.content_copy import ContentCopy
from tests.fake_bot_api import FakeBotApi
from tests.fake_bot_api.updates import GROUP_CHAT_ID, PRIVATE_USER_ID
from tests.telegram.conftest import FAST_RETRY, RunningBot, make_settings, running

ADMIN_ID = 7770001
SILENT_ADMIN_ID = 7770002
"""An admin who never started the bot: Telegram refuses messages to them."""
FAQ = "faq_id.yaml"
FAQ_ID = "apa-itu-tppo"
QUESTION = "apa itu tppo"
NO_WATCHING = 3600.0
"""A watch interval long enough that only /reload or SIGHUP can load an edit."""
@asynccontextmanager
async def staff_bot(api: FakeBotApi, content_copy: ContentCopy, *, interval: float,
                    open_storage: bool = True) -> AsyncIterator[RunningBot]:
    """A bot loading its own content from the copy (never the session's shared engine)."""
    settings = make_settings(api, content_dir=content_copy.folder,
                             content_watch_interval=interval,
                             bot_admin_ids=frozenset({ADMIN_ID, SILENT_ADMIN_ID}))
    application = build_application(settings, retry=FAST_RETRY, open_storage=open_storage)
    receiver = receiver_for(application, settings)
    async with running(application, receiver):
        yield RunningBot(application, api, receiver)


def mark_answer(content_copy: ContentCopy, marker: str) -> int:
    return content_copy.insert_after(FAQ, r"^    answer: \|", f"      {marker}",
                                     after=content_copy.item_line(FAQ_ID))


def engine_of(bot: RunningBot) -> Engine:
    engine: Engine = bot.application.bot_data[ENGINE_KEY]
    return engine


def current_answer(bot: RunningBot) -> str:
    reply = engine_of(bot).reply_to_action(f"faq:{FAQ_ID}")
    assert reply is not None
    return reply.html


async def ask(bot: RunningBot, text: str, chat_id: int = PRIVATE_USER_ID) -> list[str]:
    calls = await bot.exchange(bot.api.updates.text(text, chat_id=chat_id))
    return [c.params["text"] for c in calls if c.method == "sendMessage"]


def refusal(bot: RunningBot) -> str:
    engine = engine_of(bot)
    return message_html(engine, engine.knowledge.content.messages.staff_only)


# --- admins only --------------------------------------------------------------------------------


async def test_others_get_a_polite_refusal_and_nothing_happens(
        api: FakeBotApi, content_copy: ContentCopy, monkeypatch: pytest.MonkeyPatch) -> None:
    reports: list[Any] = []
    reloads: list[Any] = []

    async def no_report(*args: Any, **kwargs: Any) -> None:
        reports.append(args)

    async def no_reload(self: ContentReloader) -> None:
        reloads.append(self)

    monkeypatch.setattr(staff, "usage_report", no_report)
    monkeypatch.setattr(ContentReloader, "reload", no_reload)
    async with staff_bot(api, content_copy, interval=NO_WATCHING) as bot:
        before = current_answer(bot)
        mark_answer(content_copy, "Penanda-warga.")
        assert await ask(bot, "/reload") == [refusal(bot)]
        assert await ask(bot, "/laporan") == [refusal(bot)]
        assert await ask(bot, "/laporan", chat_id=GROUP_CHAT_ID) == []  # private chats only
        assert current_answer(bot) == before
    assert reloads == [] and reports == []


async def test_staff_commands_are_shown_to_each_admin_only(api: FakeBotApi,
                                                          content_copy: ContentCopy) -> None:
    async with staff_bot(api, content_copy, interval=NO_WATCHING):
        pass
    menus = {(c.params.get("scope") or {}).get("chat_id"): [x["command"] for x in
                                                            c.params["commands"]]
             for c in api.calls_to("setMyCommands")}
    staff_names = [spec.name for spec in STAFF_COMMANDS]
    assert set(menus) == {None, ADMIN_ID, SILENT_ADMIN_ID}
    assert not set(staff_names) & set(menus[None])
    assert menus[ADMIN_ID] == [*menus[None], *staff_names]


async def test_laporan_counts_the_last_week(api: FakeBotApi, content_copy: ContentCopy) -> None:
    async with staff_bot(api, content_copy, interval=NO_WATCHING) as bot:
        await ask(bot, QUESTION)
        answer = (await bot.exchange(bot.api.updates.text("apa sih tppo itu")))[-1]
        await bot.exchange(bot.api.updates.callback(f"v1|fb:{FAQ_ID}:1", message=answer.result))
        await ask(bot, "tolong saya disekap majikan, paspor ditahan, tidak boleh pulang")
        await ask(bot, "resep nasi goreng kampung yang enak")
        [report] = await ask(bot, "/laporan", chat_id=ADMIN_ID)
    assert "Laporan 7 hari terakhir" in report
    assert "Pesan: <b>4</b> dari <b>1</b> pengguna" in report
    assert "Pesan darurat: <b>1</b>" in report
    assert "• dijawab dari FAQ: <b>2</b>" in report
    assert "• belum terjawab: <b>1</b>" in report
    assert "1. Apa itu TPPO (tindak pidana perdagangan orang)? — <b>2</b>×" in report
    assert "👍 1 membantu · 👎 0 kurang membantu" in report
    assert "<b>1</b>× “resep nasi goreng kampung yang enak”" in report
    assert "disekap" not in report  # emergencies are counted, never quoted


async def test_laporan_without_storage_says_so(api: FakeBotApi,
                                               content_copy: ContentCopy) -> None:
    async with staff_bot(api, content_copy, interval=NO_WATCHING, open_storage=False) as bot:
        engine = engine_of(bot)
        assert await ask(bot, "/laporan", chat_id=ADMIN_ID) == [
            message_html(engine, engine.knowledge.content.messages.report_unavailable)]
