"""Reloading content while the bot runs: good edits go live, bad ones never do, and a file that
is still being written is left alone until it holds still."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import pytest

from bot.content.loader import LoadResult, load_content
from bot.content.problems import ContentProblem
from bot.content.reloader import ContentReloader, format_problems_for_admin, install_sighup
from bot.content.telegram_html import MAX_MESSAGE_LENGTH, html_problems
from bot.engine.engine import Engine
from tests.conftest import knowledge_of
from tests.content_copy import ContentCopy

FAQ = "faq_id.yaml"
FAQ_ID = "apa-itu-tppo"


def _engine(content_copy: ContentCopy) -> Engine:
    result = load_content(content_copy.folder)
    assert result.bundle is not None
    return Engine(knowledge_of(result.bundle, content_copy.folder.parent))


def _answer(engine: Engine) -> str:
    reply = engine.reply_to_action(f"faq:{FAQ_ID}")
    assert reply is not None
    return reply.html


def _mark_answer(content_copy: ContentCopy, marker: str) -> int:
    return content_copy.insert_after(FAQ, r"^    answer: \|", f"      {marker}",
                                     after=content_copy.item_line(FAQ_ID))


@pytest.fixture
def engine(content_copy: ContentCopy) -> Engine:
    return _engine(content_copy)


@pytest.fixture
def reloader(engine: Engine, content_copy: ContentCopy) -> ContentReloader:
    return ContentReloader(engine, content_copy.folder, interval=0.05)


async def test_a_valid_edit_changes_the_answer(content_copy: ContentCopy, engine: Engine,
                                               reloader: ContentReloader) -> None:
    _mark_answer(content_copy, "Penanda-uji-satu.")
    result = await reloader.reload()
    assert result.bundle is not None and result.errors == []
    assert "Penanda-uji-satu." in _answer(engine)
    assert engine.knowledge.content.version == result.bundle.version


async def test_a_broken_edit_keeps_the_previous_answer_and_says_why(
        content_copy: ContentCopy, engine: Engine, reloader: ContentReloader,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.content.reloader")
    before = _answer(engine)
    _mark_answer(content_copy, "Penanda-uji-rusak.")
    line = content_copy.replace_line(FAQ, r"^    whatsapp: ", "    whatsapp: 08111129129",
                                     after=content_copy.item_line("sapa-129"))
    result = await reloader.reload()
    assert result.bundle is None
    assert any(p.file == FAQ and p.line == line for p in result.errors)
    assert _answer(engine) == before
    report = format_problems_for_admin(result)
    assert "TIDAK dipakai" in report and f"{FAQ}:{line}" in report
    assert f"{FAQ}:{line}" in caplog.text and "tanda kutip" not in caplog.text


async def test_unchanged_files_are_not_reloaded(reloader: ContentReloader) -> None:
    for _ in range(3):
        assert await reloader.check_for_changes() is None


async def test_a_file_being_written_is_loaded_only_once_it_holds_still(
        content_copy: ContentCopy, engine: Engine, reloader: ContentReloader) -> None:
    original = content_copy.text(FAQ)
    before = _answer(engine)
    # The editor's first write: valid YAML, but not what staff meant to publish.
    _mark_answer(content_copy, "Setengah-jadi.")
    assert await reloader.check_for_changes() is None
    # Still writing: the content changed again since the last poll.
    content_copy.path(FAQ).write_text(original, encoding="utf-8")
    _mark_answer(content_copy, "Versi-final.")
    assert await reloader.check_for_changes() is None
    assert _answer(engine) == before
    # Two polls in a row saw the same content: now it is loaded.
    result = await reloader.check_for_changes()
    assert result is not None and result.bundle is not None
    assert "Versi-final." in _answer(engine) and "Setengah-jadi." not in _answer(engine)
    assert await reloader.check_for_changes() is None


async def test_a_broken_file_is_reported_once_then_left_until_it_changes(
        content_copy: ContentCopy, engine: Engine, reloader: ContentReloader) -> None:
    content_copy.replace_line(FAQ, r'^    title: "Pencegahan"', '    title: "Pencegahan')
    assert await reloader.check_for_changes() is None
    result = await reloader.check_for_changes()
    assert result is not None and result.bundle is None
    assert await reloader.check_for_changes() is None


async def test_the_watcher_picks_up_a_saved_file(content_copy: ContentCopy, engine: Engine,
                                                 reloader: ContentReloader) -> None:
    stop = asyncio.Event()
    heard: list[LoadResult] = []

    async def tell(result: LoadResult) -> None:
        heard.append(result)

    watcher = asyncio.create_task(reloader.watch(stop, on_result=tell))
    await asyncio.sleep(0.1)
    _mark_answer(content_copy, "Dari-pengamat.")
    for _ in range(100):
        if "Dari-pengamat." in _answer(engine):
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(watcher, timeout=2)
    assert "Dari-pengamat." in _answer(engine)
    assert len(heard) == 1 and heard[0].bundle is not None


async def test_files_edited_before_the_reloader_started_are_loaded(
        content_copy: ContentCopy, engine: Engine) -> None:
    _mark_answer(content_copy, "Sebelum-mulai.")
    reloader = ContentReloader(engine, content_copy.folder)
    assert await reloader.check_for_changes() is None
    assert await reloader.check_for_changes() is not None
    assert "Sebelum-mulai." in _answer(engine)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
async def test_sighup_reloads(content_copy: ContentCopy, engine: Engine,
                              reloader: ContentReloader) -> None:
    loop = asyncio.get_running_loop()
    done = asyncio.Event()

    async def tell(result: LoadResult) -> None:
        done.set()

    assert install_sighup(loop, reloader, on_result=tell)
    try:
        _mark_answer(content_copy, "Lewat-sinyal.")
        os.kill(os.getpid(), signal.SIGHUP)
        await asyncio.wait_for(done.wait(), timeout=10)
    finally:
        loop.remove_signal_handler(signal.SIGHUP)
    assert "Lewat-sinyal." in _answer(engine)


def test_the_admin_report_is_short_escaped_and_valid_telegram_html() -> None:
    problems = [ContentProblem(FAQ, 100 + i, f"tag <br> tidak didukung & seterusnya {i}")
                for i in range(40)]
    report = format_problems_for_admin(LoadResult(None, problems))
    assert html_problems(report) == []
    assert len(report) <= MAX_MESSAGE_LENGTH
    assert "&lt;br&gt;" in report
    assert f"{FAQ}:114" in report and f"{FAQ}:115" not in report
    assert "dan 25 kesalahan lain" in report


def test_the_admin_report_of_a_good_reload(content_copy: ContentCopy) -> None:
    result = load_content(content_copy.folder)
    report = format_problems_for_admin(result)
    assert report.startswith("✅") and html_problems(report) == []
