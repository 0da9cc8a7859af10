"""Issue "Regional statistics" on Telegram: real charts as photos, then the text and buttons."""

from __future__ import annotations

import io
import threading

import pytest
from matplotlib import image

from bot.content.bundle import ContentBundle
from bot.content.telegram_html import escape
from bot.engine.engine import Engine
from bot.engine.reply import ChartRequest
from bot.stats import charts
from bot.telegram import hooks
from tests.fake_bot_api import RecordedCall
from tests.telegram.conftest import RunningBot, buttons

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHART_SIZE = (720, 960)
"""Height and width in pixels: charts.FIGURE_SIZE at charts.DPI."""


def methods(calls: list[RecordedCall]) -> list[str]:
    return [c.method for c in calls]


def callback_data(call: RecordedCall) -> list[str]:
    return [b["callback_data"].removeprefix("v1|") for b in buttons(call) if "callback_data" in b]


def assert_chart(photo: RecordedCall, content: ContentBundle, request: ChartRequest) -> None:
    """A real, decodable PNG of phone-screen size, captioned with the chart's title."""
    png = photo.files["photo"]
    assert png.startswith(PNG_SIGNATURE)
    assert image.imread(io.BytesIO(png)).shape[:2] == CHART_SIZE
    assert photo.params["caption"] == escape(charts.chart_title(content, request))
    assert len(charts.chart_title(content, request)) <= 1024


def assert_page(calls: list[RecordedCall], engine: Engine, action: str,
                request: ChartRequest) -> RecordedCall:
    """Chart first, then the page's text with year and region buttons but no chart button."""
    sent = [c for c in calls if c.method in ("sendPhoto", "sendMessage")]
    assert methods(sent) == ["sendPhoto", "sendMessage"]
    photo, text = sent
    assert_chart(photo, engine.knowledge.content, request)
    expected = engine.reply_to_action(action)
    assert expected is not None and expected.chart == request
    assert text.params["text"] == expected.html
    data = callback_data(text)
    assert any(d.startswith("stats:year:") for d in data)
    assert any(d.startswith("stats:region:") for d in data)
    assert not any(d.startswith("chart:") for d in data)
    return text


async def test_statistik_sends_the_overview_chart_then_the_text(bot: RunningBot,
                                                                engine: Engine) -> None:
    calls = await bot.exchange(bot.api.updates.text("/statistik"))
    assert methods(calls) == ["sendChatAction", "sendPhoto", "sendMessage"]
    assert calls[0].params["action"] == "upload_photo"
    assert_page(calls, engine, "stats", ChartRequest("overview"))


@pytest.mark.parametrize("opening", ["/start statistik", "menu"])
async def test_the_deep_link_and_the_menu_button_show_the_chart_too(
        bot: RunningBot, engine: Engine, opening: str) -> None:
    if opening == "menu":
        menu = (await bot.exchange(bot.api.updates.text("/menu")))[-1]
        calls = await bot.exchange(bot.api.updates.callback("v1|stats", message=menu.result))
    else:
        calls = await bot.exchange(bot.api.updates.text(opening))
    assert_page(calls, engine, "stats", ChartRequest("overview"))


async def test_year_and_region_buttons_send_their_chart_and_text(bot: RunningBot,
                                                                 engine: Engine) -> None:
    page = assert_page(await bot.exchange(bot.api.updates.text("/statistik")), engine, "stats",
                       ChartRequest("overview"))
    year = next(d for d in callback_data(page) if d.startswith("stats:year:"))
    calls = await bot.exchange(bot.api.updates.callback(f"v1|{year}", message=page.result))
    assert methods(calls)[:2] == ["answerCallbackQuery", "sendChatAction"]
    page = assert_page(calls, engine, year, ChartRequest("year", year.rsplit(":", 1)[1]))
    region = next(d for d in callback_data(page) if d.startswith("stats:region:"))
    calls = await bot.exchange(bot.api.updates.callback(f"v1|{region}", message=page.result))
    assert_page(calls, engine, region, ChartRequest("region", region.rsplit(":", 1)[1]))


async def test_a_typed_question_gets_text_and_a_working_chart_button(bot: RunningBot,
                                                                     engine: Engine) -> None:
    question = "berapa kasus tppo di samarinda"
    calls = await bot.exchange(bot.api.updates.text(question))
    assert methods(calls) == ["sendMessage"]
    [answer] = calls
    assert answer.params["text"] == engine.reply_to(question).html
    [chart] = [d for d in callback_data(answer) if d.startswith("chart:")]
    calls = await bot.exchange(bot.api.updates.callback(f"v1|{chart}", message=answer.result))
    assert methods(calls) == ["sendChatAction", "answerCallbackQuery", "sendPhoto"]
    assert_chart(calls[2], engine.knowledge.content, ChartRequest("region", "samarinda"))


async def test_charts_are_drawn_off_the_event_loop(bot: RunningBot,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []

    def render(content: ContentBundle, request: ChartRequest) -> bytes:
        threads.append(threading.get_ident())
        return charts.render_chart(content, request)

    monkeypatch.setattr(hooks, "load_chart_renderer", lambda: (render, charts.chart_title))
    await bot.exchange(bot.api.updates.text("/statistik"))
    assert threads and threading.get_ident() not in threads


async def test_when_drawing_fails_the_text_still_comes_with_the_chart_button(
        bot: RunningBot, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(content: ContentBundle, request: ChartRequest) -> bytes:
        raise RuntimeError("matplotlib exploded")

    monkeypatch.setattr(hooks, "load_chart_renderer", lambda: (broken, None))
    calls = await bot.exchange(bot.api.updates.text("/statistik"))
    assert methods(calls) == ["sendChatAction", "sendMessage"]
    assert calls[1].params["text"] == engine.reply_to_action("stats").html
    assert "chart:overview:" in callback_data(calls[1])
