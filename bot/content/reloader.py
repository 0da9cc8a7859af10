"""New content without a restart: /reload, SIGHUP, or simply saving a file.

The reloader owns the swap of an `Engine`'s `Knowledge`. Loading, validating and building (a
second or two: the intent classifier is retrained) run in a worker thread so replies are never
held up; the swap itself is one assignment on the event loop. Content that fails validation is
never used: the bot keeps answering from the last good version, and the problems go back to
whoever asked (the admin's /reload) and to the log.

The watcher polls the files' hashes (no extra dependency) and reloads only when the content has
been the same for two polls in a row: an editor that is still writing a file changes its hash
between polls, and a half-written file may even be valid YAML with fewer entries, so validation
alone would not protect against it. Saving identical content (or `touch`) is not a change.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import signal
import threading
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TypeVar

from bot.content.loader import CONTENT_FILES, LoadResult, content_version, load_content
from bot.content.problems import ContentProblem
from bot.content.telegram_html import MAX_MESSAGE_LENGTH, escape
from bot.content.yaml_source import ContentFileRefused, read_content_bytes
from bot.engine.engine import Engine
from bot.engine.heap import freeze_long_lived
from bot.engine.knowledge import Knowledge

log = logging.getLogger(__name__)

ADMIN_PROBLEM_LIMIT = 15
"""Problems listed in the admin's Telegram message; the rest are counted, not shown."""
_PROBLEM_TEXT_LIMIT = 200

LOAD_TIMEOUT_SECONDS = 60.0
"""A reload that takes longer is given up (the bot keeps its content); normal loads take ~0.3 s
and every file's parsing stops by itself after 10 s."""

ResultListener = Callable[[LoadResult], Awaitable[None]]
_T = TypeVar("_T")


Fingerprint = Mapping[str, str]
"""The sha256 of every *.yaml file in the content folder, by file name."""


def fingerprint(content_dir: Path) -> dict[str, str]:
    """Hash every content file: reading ~150 kB every few seconds costs nothing measurable, and
    unlike sizes and times a hash cannot miss two quick writes of the same length."""
    state: dict[str, str] = {}
    try:
        paths = sorted(content_dir.glob("*.yaml"))
    except OSError:
        return state
    for path in paths:
        try:
            state[path.name] = hashlib.sha256(read_content_bytes(path)).hexdigest()
        except ContentFileRefused as refused:  # a FIFO, /dev/zero, 50 MB: never read, still seen
            state[path.name] = f"refused: {refused}"
        except OSError:  # deleted or replaced between listing and reading: next poll sees it
            continue
    return state


async def in_daemon_thread(function: Callable[[], _T], *, timeout: float) -> _T:
    """Run `function` in a daemon thread and wait at most `timeout` seconds.

    Not `asyncio.to_thread`: a stuck default-executor thread blocks `asyncio.run()` at exit, so
    a load that never ends would stop the bot from shutting down. A daemon thread that is still
    running when the wait gives up is simply abandoned.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def settle(value: _T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)  # type: ignore[arg-type]

    def work() -> None:
        value: _T | None = None
        failure: BaseException | None = None
        try:
            value = function()
        except BaseException as error:
            failure = error
        with contextlib.suppress(RuntimeError):  # the loop closed while this was abandoned
            loop.call_soon_threadsafe(settle, value, failure)

    threading.Thread(target=work, name="content-load", daemon=True).start()
    return await asyncio.wait_for(future, timeout)


class ContentReloader:
    """Keeps `engine` answering from the newest *valid* content in `content_dir`."""

    def __init__(self, engine: Engine, content_dir: Path, *, interval: float = 2.0) -> None:
        """Create it right after the engine was built from `content_dir`.

        When the files on disk already differ from the engine's content (edited during
        start-up), the watcher's first stable poll loads them.
        """
        self._engine = engine
        self._content_dir = content_dir
        self.interval = interval
        self.load_timeout = LOAD_TIMEOUT_SECONDS
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[LoadResult]] = set()
        current = fingerprint(content_dir)
        digests = {name: current[name] for name in CONTENT_FILES if name in current}
        matches_engine = (len(digests) == len(CONTENT_FILES)
                          and content_version(digests) == engine.knowledge.content.version)
        self._loaded: Fingerprint | None = current if matches_engine else None
        """The files as they were at the last load attempt (good or not)."""
        self._pending: Fingerprint | None = None
        """What the previous poll saw, while waiting for it to stay the same."""
        self.last_result: LoadResult | None = None

    @property
    def engine(self) -> Engine:
        return self._engine

    async def reload(self) -> LoadResult:
        """Load and validate now; swap the engine's knowledge only when there is no error."""
        async with self._lock:
            try:
                state, result, knowledge = await in_daemon_thread(
                    self._load, timeout=self.load_timeout)
            except TimeoutError:
                state, result, knowledge = self._gave_up()
            self._loaded, self._pending = state, None
            self.last_result = result
            if knowledge is not None:
                self._engine.use(knowledge)
                freeze_long_lived(collect=False)
                log.info("content reloaded: version %s, %d warnings",
                         knowledge.content.version, len(result.warnings))
            elif result.bundle is not None:
                log.info("content unchanged (version %s)", result.bundle.version)
            else:
                # Where, not what: the texts quote content, and admins get them via /reload.
                log.warning("new content rejected, keeping version %s: %d errors at %s",
                            self._engine.knowledge.content.version, len(result.errors),
                            ", ".join(p.where for p in result.errors[:50]))
            return result

    def _load(self) -> tuple[Fingerprint, LoadResult, Knowledge | None]:
        """Runs in a worker thread: read, validate, and build the new knowledge.

        Never raises: whatever goes wrong, the bot keeps its current content and the caller
        gets a result to show.
        """
        state = fingerprint(self._content_dir)
        result = LoadResult(None, [])
        try:
            result = load_content(self._content_dir)
            if result.bundle is None:
                return state, result, None
            if result.bundle.version == self._engine.knowledge.content.version:
                return state, result, None
            return state, result, self._engine.knowledge.rebuilt(result.bundle)
        except Exception as error:
            log.exception("reloading content failed")
            problem = ContentProblem(
                "konten", None, f"konten baru gagal disiapkan ({type(error).__name__}: {error}); "
                "bot tetap memakai konten sebelumnya, kabari tim teknis")
            return state, LoadResult(None, [*result.problems, problem], result.documents), None

    def _gave_up(self) -> tuple[Fingerprint, LoadResult, None]:
        """The files as they are now count as tried, so the next change is tried afresh."""
        log.error("content reload took more than %.0f s and was abandoned", self.load_timeout)
        problem = ContentProblem(
            "konten", None, f"memuat konten baru memakan waktu lebih dari "
            f"{self.load_timeout:.0f} detik dan dihentikan; bot tetap memakai konten sebelumnya. "
            "Periksa perubahan terakhir dengan bash scripts/content-check.sh, lalu kabari tim "
            "teknis")
        return fingerprint(self._content_dir), LoadResult(None, [problem]), None

    async def check_for_changes(self) -> LoadResult | None:
        """One poll: the result of a reload when the files changed and have settled, else None.

        Fit for PTB's JobQueue (`run_repeating(lambda _: reloader.check_for_changes(), ...)`).
        """
        if self._lock.locked():
            return None
        state = await in_daemon_thread(lambda: fingerprint(self._content_dir),
                                       timeout=self.load_timeout)
        if state == self._loaded:
            self._pending = None
            return None
        if state != self._pending:
            self._pending = state  # changed since the last poll: wait until it holds still
            return None
        return await self.reload()

    async def watch(self, stop: asyncio.Event, *, on_result: ResultListener | None = None) -> None:
        """Poll every `interval` seconds until `stop` is set; `on_result` hears every reload."""
        while not stop.is_set():
            try:
                result = await self.check_for_changes()
                if result is not None and on_result is not None:
                    await on_result(result)
            except Exception:
                log.exception("content watch poll failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.interval)

    def schedule_reload(self, on_result: ResultListener | None = None) -> asyncio.Task[LoadResult]:
        """Start a reload from synchronous code (a signal handler); keeps the task alive."""
        task = asyncio.get_running_loop().create_task(self._reload_and_tell(on_result))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _reload_and_tell(self, on_result: ResultListener | None) -> LoadResult:
        result = await self.reload()
        if on_result is not None:
            try:
                await on_result(result)
            except Exception:
                log.exception("reporting a reload failed")
        return result


def install_sighup(loop: asyncio.AbstractEventLoop, reloader: ContentReloader, *,
                   on_result: ResultListener | None = None) -> bool:
    """`kill -HUP <pid>` reloads the content. False where there is no SIGHUP (Windows)."""
    sighup = getattr(signal, "SIGHUP", None)
    if sighup is None:
        return False
    try:
        loop.add_signal_handler(sighup, reloader.schedule_reload, on_result)
    except (NotImplementedError, RuntimeError, ValueError):
        return False
    return True


def format_problems_for_admin(result: LoadResult, *, limit: int = ADMIN_PROBLEM_LIMIT) -> str:
    """A short Telegram-HTML report of a reload, in Indonesian, for the admin who asked."""
    if result.bundle is not None:
        faq = result.bundle.faq
        version = escape(result.bundle.version)
        text = (f"✅ <b>Konten berhasil dimuat</b> (versi <code>{version}</code>): "
                f"{len(faq.faqs)} pertanyaan, {len(faq.channels)} kanal.")
        if result.warnings:
            text += (f"\n{len(result.warnings)} peringatan (misalnya nomor yang perlu "
                     "dikonfirmasi ulang); daftar lengkapnya: <code>bash "
                     "scripts/content-check.sh --verbose</code>")
        return text
    errors = result.errors
    lines = [f"❌ <b>Konten baru TIDAK dipakai</b>: {len(errors)} kesalahan. Bot tetap menjawab "
             "dengan konten sebelumnya.", ""]
    lines += [f"• <code>{escape(problem.where)}</code> {escape(_shorten(problem.message))}"
              for problem in errors[:limit]]
    hidden = len(errors) - min(limit, len(errors))
    if hidden:
        lines.append(f"… dan {hidden} kesalahan lain.")
    lines += ["", "Perbaiki, simpan, lalu kirim /reload lagi. Daftar lengkap: "
              "<code>bash scripts/content-check.sh</code>"]
    text = "\n".join(lines)
    if len(text) > MAX_MESSAGE_LENGTH and limit > 1:
        return format_problems_for_admin(result, limit=limit - 1)
    return text


def _shorten(text: str) -> str:
    return text if len(text) <= _PROBLEM_TEXT_LIMIT else text[: _PROBLEM_TEXT_LIMIT - 1] + "…"
