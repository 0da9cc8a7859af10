"""Issue "Staff workflow", end to end: content edited on disk goes live without a restart, a
broken edit never does and staff hear why (the admins-only commands are in test_staff.py)."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Callable
from typing import cast

import pytest
from telegram import Bot

from bot.content.bundle import ContentBundle
from bot.content.loader import LoadResult
from bot.content.problems import ContentProblem
from bot.content.reloader import format_problems_for_admin
from bot.telegram.botdata import CONTENT_WATCH_KEY
from bot.telegram.content_watch import AdminNotifier
from tests.conftest import CONTENT_DIR
from tests.content_copy import ContentCopy
from tests.fake_bot_api import TOKEN, FakeBotApi
from tests.fake_bot_api.updates import PRIVATE_USER_ID
from tests.telegram.test_run_process import bot_env
from tests.telegram.test_staff import (
    ADMIN_ID,
    FAQ,
    FAQ_ID,
    NO_WATCHING,
    QUESTION,
    SILENT_ADMIN_ID,
    ask,
    current_answer,
    engine_of,
    mark_answer,
    staff_bot,
)

BROKEN_EDITS = {
    "unquoted phone": (r"^    whatsapp: ", "    whatsapp: 08111129129", "sapa-129"),
    "bad HTML": (r"^    answer: \|", "    answer: |\n      <blink>Penanda-rusak</blink>", FAQ_ID),
}
"""pattern, replacement, the item whose block holds the line; each breaks exactly one line."""


def break_content(content_copy: ContentCopy, kind: str) -> int:
    """Make one line invalid; returns its number."""
    pattern, new, item = BROKEN_EDITS[kind]
    line = content_copy.replace_line(FAQ, pattern, new, after=content_copy.item_line(item))
    return line + 1 if kind == "bad HTML" else line


async def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.05)


def sent_to(api: FakeBotApi, chat_id: int, *, ok_only: bool = True) -> list[str]:
    return [c.params["text"] for c in api.calls_to("sendMessage", ok_only=ok_only)
            if int(c.params["chat_id"]) == chat_id]


# --- content goes live without a restart ------------------------------------------------------


async def test_a_saved_edit_changes_the_answer_without_a_restart(
        api: FakeBotApi, content_copy: ContentCopy) -> None:
    async with staff_bot(api, content_copy, interval=0.1) as bot:
        [before] = await ask(bot, QUESTION)
        assert "Penanda-baru." not in before
        mark_answer(content_copy, "Penanda-baru.")
        await eventually(lambda: "Penanda-baru." in current_answer(bot))
        [after] = await ask(bot, QUESTION)
        assert "Penanda-baru." in after
        assert sent_to(api, ADMIN_ID) == []  # a good change is not worth a message


def collected(thing: object) -> bool:
    """Whether the cycle collector's generations hold `thing` (a frozen object is in none)."""
    return any(tracked is thing for tracked in gc.get_objects())


async def test_the_knowledge_in_use_is_kept_out_of_the_cycle_collector(
        api: FakeBotApi, content_copy: ContentCopy) -> None:
    """A full collection walks every tracked object with replies waiting (bot.engine.heap)."""
    async with staff_bot(api, content_copy, interval=0.1) as bot:
        started = engine_of(bot).knowledge
        assert not collected(started.content.faqs_by_id)
        mark_answer(content_copy, "Penanda-beku.")
        await eventually(lambda: "Penanda-beku." in current_answer(bot))
        reloaded = engine_of(bot).knowledge
        assert reloaded is not started and not collected(reloaded.content.faqs_by_id)
        assert gc.isenabled()  # frozen, not switched off: new cycles are still collected


@pytest.mark.parametrize("kind", list(BROKEN_EDITS))
async def test_a_broken_edit_keeps_the_answer_and_reload_tells_the_admin_where(
        api: FakeBotApi, content_copy: ContentCopy, kind: str) -> None:
    async with staff_bot(api, content_copy, interval=NO_WATCHING) as bot:
        [before] = await ask(bot, QUESTION)
        mark_answer(content_copy, "Penanda-tertunda.")
        line = break_content(content_copy, kind)
        [report] = await ask(bot, "/reload", chat_id=ADMIN_ID)
        assert "TIDAK dipakai" in report and f"{FAQ}:{line}" in report
        assert await ask(bot, QUESTION) == [before]

        content_copy.path(FAQ).write_text(
            (CONTENT_DIR / FAQ).read_text(encoding="utf-8"), encoding="utf-8")
        mark_answer(content_copy, "Penanda-diperbaiki.")
        [report] = await ask(bot, "/reload", chat_id=ADMIN_ID)
        assert report.startswith("✅ <b>Konten berhasil dimuat</b>")
        [after] = await ask(bot, QUESTION)
        assert "Penanda-diperbaiki." in after


async def test_the_watcher_tells_every_admin_once_about_a_broken_change(
        api: FakeBotApi, content_copy: ContentCopy, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    api.blocked_chats.add(SILENT_ADMIN_ID)
    async with staff_bot(api, content_copy, interval=0.1) as bot:
        before = current_answer(bot)
        line = break_content(content_copy, "unquoted phone")
        await api.wait_for(lambda: len(sent_to(api, ADMIN_ID)) == 1)
        [notice] = sent_to(api, ADMIN_ID)
        assert "TIDAK dipakai" in notice and f"{FAQ}:{line}" in notice
        await eventually(lambda: len(sent_to(api, SILENT_ADMIN_ID, ok_only=False)) == 1)
        assert current_answer(bot) == before

        watch = bot.application.bot_data[CONTENT_WATCH_KEY]
        await watch.reloader.reload()  # the same broken version again (as by SIGHUP)
        await watch.admins.tell_if_rejected(watch.reloader.last_result)
        await asyncio.sleep(0.5)
        assert len(sent_to(api, ADMIN_ID)) == 1

        line = break_content(content_copy, "bad HTML")  # a second, different mistake
        await api.wait_for(lambda: len(sent_to(api, ADMIN_ID)) == 2)
        assert f"{FAQ}:{line}" in sent_to(api, ADMIN_ID)[1]
    assert "An admin who never started the bot was not told of rejected content" in caplog.text
    for private in (str(ADMIN_ID), str(SILENT_ADMIN_ID), "Penanda"):
        assert private not in caplog.text


def test_admins_hear_of_the_same_problems_once_until_a_good_version_went_live(
        content: ContentBundle) -> None:
    notifier = AdminNotifier(cast(Bot, None), [ADMIN_ID])
    broken = LoadResult(None, [ContentProblem(FAQ, 31, "whatsapp tanpa tanda kutip")])
    assert notifier.note(broken) == format_problems_for_admin(broken)
    assert notifier.note(broken) is None
    assert notifier.note(LoadResult(content, [])) is None
    assert notifier.note(broken) is not None


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
async def test_sighup_reloads_the_running_process(api: FakeBotApi,
                                                  content_copy: ContentCopy) -> None:
    env = bot_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                  CONTENT_DIR=str(content_copy.folder), CONTENT_WATCH_INTERVAL=str(NO_WATCHING),
                  DATA_DIR=str(content_copy.folder.parent), LOG_LEVEL="INFO")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=content_copy.folder.parent, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    assert process.stderr is not None

    async def log_line(text: str) -> None:
        async with asyncio.timeout(30):
            while True:
                line = await process.stderr.readline()  # type: ignore[union-attr]
                assert line, f"the bot exited before logging {text!r}"
                if text in line.decode():
                    return

    try:
        await log_line("SIGHUP reloads the content")
        mark_answer(content_copy, "Lewat-SIGHUP.")
        process.send_signal(signal.SIGHUP)
        await log_line("content reloaded")
        await api.push(api.updates.text(QUESTION))
        await api.wait_for(lambda: any("Lewat-SIGHUP." in text
                                       for text in sent_to(api, PRIVATE_USER_ID)), timeout=10)
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
