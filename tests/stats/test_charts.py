"""Charts: valid PNGs for every kind and key, honest gaps, a cache per content version, and
matplotlib loaded only when a chart is drawn."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from bot.cli.main import main
from bot.content.bundle import ContentBundle
from bot.engine.engine import Engine
from bot.engine.reply import ChartRequest
from bot.stats import charts
from bot.stats.charts import (
    DPI,
    FIGURE_SIZE,
    all_chart_requests,
    chart_file_name,
    chart_request_from_action,
    chart_title,
    render_chart,
)
from bot.stats.query import StatsQuery
from tests.conftest import CONTENT_DIR, ROOT, seed_model_cache

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _assert_png(data: bytes) -> None:
    assert data.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.size == (round(FIGURE_SIZE[0] * DPI), round(FIGURE_SIZE[1] * DPI))


def test_every_chart_renders(content: ContentBundle) -> None:
    requests = all_chart_requests(content)
    kinds = [r.kind for r in requests]
    assert kinds.count("overview") == 1
    assert kinds.count("year") == len(content.years_by_number)
    assert kinds.count("region") == len(content.stats.regions)
    for request in requests:
        _assert_png(render_chart(content, request))
        assert chart_title(content, request)


@pytest.mark.parametrize("request_", [
    ChartRequest("pie"),
    ChartRequest("year", "2023"),
    ChartRequest("year", "dua ribu"),
    ChartRequest("region", "atlantis"),
    ChartRequest("region", ""),
    ChartRequest("overview", "2018"),
])
def test_unknown_kind_or_key_is_a_value_error(
    content: ContentBundle, request_: ChartRequest
) -> None:
    with pytest.raises(ValueError):
        render_chart(content, request_)


@pytest.fixture
def counted_draws(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[ChartRequest]]:
    """Replace drawing with a counter, so cache tests are fast and exact."""
    drawn: list[ChartRequest] = []

    def fake_draw(content: ContentBundle, request: ChartRequest) -> bytes:
        drawn.append(request)
        return PNG_MAGIC + content.version.encode()

    charts.clear_chart_cache()
    monkeypatch.setattr(charts, "_draw", fake_draw)
    yield drawn
    charts.clear_chart_cache()


def test_cache_is_per_content_version(
    content: ContentBundle, counted_draws: list[ChartRequest]
) -> None:
    request = ChartRequest("region", "bontang")
    render_chart(content, request)
    render_chart(content, request)
    assert len(counted_draws) == 1
    changed = replace(content, version=content.version + "-baru")
    assert render_chart(changed, request).endswith(b"-baru")
    assert len(counted_draws) == 2


def test_cache_is_bounded(
    content: ContentBundle, counted_draws: list[ChartRequest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "CACHE_SIZE", 3)
    versions = [replace(content, version=f"v{i}") for i in range(5)]
    for version in versions:
        render_chart(version, ChartRequest("overview"))
    render_chart(versions[-1], ChartRequest("overview"))
    assert len(counted_draws) == 5
    render_chart(versions[0], ChartRequest("overview"))  # evicted, drawn again
    assert len(counted_draws) == 6


def test_added_year_shows_up_in_charts(extended_content: ContentBundle) -> None:
    requests = all_chart_requests(extended_content)
    assert ChartRequest("year", "2025") in requests
    for request in requests:
        _assert_png(render_chart(extended_content, request))
    assert "2025" in chart_title(extended_content, ChartRequest("overview"))


def test_every_stats_reply_offers_a_chart_that_renders(engine: Engine) -> None:
    questions = [
        "berapa kasus tppo di kaltim", "kasus tppo 2019", "kasus tppo 2023",
        "kasus tppo di ppu", "kasus tppo di bontang 2023", "kasus tppo 2018 sampai 2020",
        "daerah mana paling banyak kasus tppo", "wilayah mana terbanyak kasus tppo 2020",
        "tahun berapa paling banyak kasus tppo",
    ]
    for question in questions:
        reply = engine.reply_to(question)
        assert reply.chart is not None, question
        action = f"chart:{reply.chart.kind}:{reply.chart.key}"
        assert any(b.action == action for row in reply.buttons for b in row)
        request = chart_request_from_action(action)
        assert request == reply.chart
        _assert_png(render_chart(engine.knowledge.content, request))


def test_chart_for_never_points_at_a_missing_year(content: ContentBundle) -> None:
    assert charts.chart_for(content, StatsQuery(years=(2023,))) == ChartRequest("overview")
    assert charts.chart_for(content, StatsQuery(years=(2019,))) == ChartRequest("year", "2019")
    assert charts.chart_for(content, StatsQuery(regions=("paser",), years=(2023,))) == (
        ChartRequest("region", "paser"))


def test_chart_action_parsing() -> None:
    assert chart_request_from_action("chart:overview:") == ChartRequest("overview")
    assert chart_request_from_action("chart:region:paser") == ChartRequest("region", "paser")
    assert chart_request_from_action("chart:pie:x") is None
    assert chart_request_from_action("stats:year:2018") is None


def test_engine_does_not_import_matplotlib(tmp_path: Path) -> None:
    models = seed_model_cache(tmp_path)  # loaded, not trained: seconds of CPU
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from bot.content.loader import load_content\n"
        "from bot.engine.engine import Engine\n"
        "from bot.engine.knowledge import Knowledge, UnderstandingSetup\n"
        "from bot.understanding.store import ModelStore\n"
        "import bot.stats.charts\n"
        f"content = load_content(Path({str(CONTENT_DIR)!r})).bundle\n"
        f"setup = UnderstandingSetup(store=ModelStore(Path({str(models)!r})))\n"
        "reply = Engine(Knowledge.build(content, setup)).reply_to('berapa kasus tppo di bontang')\n"
        "assert reply.chart is not None\n"
        "assert not [m for m in sys.modules if m.startswith('matplotlib')], 'matplotlib loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_chart_command_writes_every_file(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    content: ContentBundle,
) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(CONTENT_DIR))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    out = tmp_path / "grafik" / "baru"
    assert main(["chart", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    expected = [chart_file_name(r) for r in all_chart_requests(content)]
    assert sorted(p.rsplit("/", 1)[-1] for p in printed) == sorted(expected)
    for name in expected:
        _assert_png((out / name).read_bytes())
