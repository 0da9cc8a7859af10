"""PNG charts of the statistics, sized for a phone screen.

matplotlib is imported only when the first chart is drawn, so the engine, the terminal and the
tests that never draw stay light. Drawing uses the object API on an Agg canvas (no pyplot, no
global backend), and a lock, so a Telegram adapter may call `render_chart` from a worker thread.
"""

from __future__ import annotations

import io
import textwrap
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from bot.content.bundle import ContentBundle
from bot.content.models import YearFigures
from bot.engine.reply import ChartRequest
from bot.stats.answers import (
    MONTHS,
    NO_RECORD,
    indonesian_date,
    is_full_year,
    period,
    year_span,
)
from bot.stats.query import StatsQuery

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CHART_KINDS = ("overview", "year", "region")
FIGURE_SIZE = (8.0, 6.0)
DPI = 120
CACHE_SIZE = 64
UNALLOCATED_LABEL = "Tidak dirinci per wilayah"
UNALLOCATED_COLOUR = "#9e9e9e"
NO_RECORD_COLOUR = "#616161"
# tab10 without its grey, plus a dark blue, so "tidak dirinci per wilayah" stays unique.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#bcbd22", "#17becf", "#393b79")
CAPTION_WIDTH = 95
TITLE_SIZE = 17
LABEL_SIZE = 14
TICK_SIZE = 13
VALUE_SIZE = 14
CAPTION_SIZE = 10

_cache: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
_lock = threading.Lock()


def chart_for(content: ContentBundle, query: StatsQuery) -> ChartRequest:
    """The chart that best illustrates an answer; always one that `render_chart` can draw."""
    known_years = [y for y in query.years if y in content.years_by_number]
    if query.ranking == "region" and len(known_years) == 1:
        return ChartRequest("year", str(known_years[0]))
    if len(query.regions) == 1 and query.ranking != "region":
        return ChartRequest("region", query.regions[0])
    if len(known_years) == 1 and not query.regions and query.ranking is None:
        return ChartRequest("year", str(known_years[0]))
    return ChartRequest("overview")


def all_chart_requests(content: ContentBundle) -> list[ChartRequest]:
    """Every chart the content allows: the overview, each year, each region."""
    return [
        ChartRequest("overview"),
        *(ChartRequest("year", str(year)) for year in content.years_by_number),
        *(ChartRequest("region", region.id) for region in content.stats.regions),
    ]


def chart_request_from_action(action: str) -> ChartRequest | None:
    """Parse a button's `chart:<kind>:<key>`; None when it is not one (content not checked)."""
    name, _, rest = action.partition(":")
    kind, _, key = rest.partition(":")
    if name != "chart" or kind not in CHART_KINDS:
        return None
    return ChartRequest(kind, key)


def chart_file_name(request: ChartRequest) -> str:
    return f"{request.kind}.png" if not request.key else f"{request.kind}-{request.key}.png"


def chart_title(content: ContentBundle, request: ChartRequest) -> str:
    """A one-line plain-text description, for a photo caption and for screen readers."""
    _check(content, request)
    if request.kind == "year":
        figures = content.years_by_number[int(request.key)]
        return (f"Grafik kasus TPPO per wilayah di Kalimantan Timur, {figures.year} "
                f"({figures.total} kasus, {period(figures)})")
    if request.kind == "region":
        return f"Grafik kasus TPPO di {content.regions_by_id[request.key].name} per tahun"
    return f"Grafik kasus TPPO di Kalimantan Timur per tahun, {year_span(content.years_by_number)}"


def render_chart(content: ContentBundle, request: ChartRequest) -> bytes:
    """PNG bytes of the chart; ValueError when the kind or key is not in this content."""
    _check(content, request)
    cache_key = (content.version, request.kind, request.key)
    with _lock:
        cached = _cache.get(cache_key)
        if cached is not None:
            _cache.move_to_end(cache_key)
            return cached
        png = _draw(content, request)
        _cache[cache_key] = png
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        return png


def clear_chart_cache() -> None:
    with _lock:
        _cache.clear()


def _check(content: ContentBundle, request: ChartRequest) -> None:
    if request.kind == "overview":
        if request.key:
            raise ValueError(f"grafik overview tidak memakai kunci ({request.key!r})")
    elif request.kind == "year":
        if not request.key.isdigit() or int(request.key) not in content.years_by_number:
            raise ValueError(f"tahun {request.key!r} tidak ada dalam data")
    elif request.kind == "region":
        if request.key not in content.regions_by_id:
            raise ValueError(f"wilayah {request.key!r} tidak ada dalam data")
    else:
        raise ValueError(f"jenis grafik {request.kind!r} tidak dikenal")


def _draw(content: ContentBundle, request: ChartRequest) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGURE_SIZE, dpi=DPI)
    FigureCanvasAgg(figure)
    if request.kind == "year":
        figures = content.years_by_number[int(request.key)]
        caption = _caption_text(content, [figures], gaps=True)
        _draw_year(figure, content, figures, _bottom_margin(caption, tick_lines=1))
    elif request.kind == "region":
        caption = _caption_text(content, list(content.years_by_number.values()), gaps=True)
        _draw_region(figure, content, request.key, _bottom_margin(caption, tick_lines=2))
    else:
        caption = _caption_text(content, list(content.years_by_number.values()), gaps=False)
        _draw_overview(figure, content, _bottom_margin(caption, tick_lines=2))
    figure.text(0.02, 0.015, caption, fontsize=CAPTION_SIZE, ha="left", va="bottom",
                color="#424242")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _colours(content: ContentBundle) -> dict[str, str]:
    """One fixed colour per region, the same in every chart (never the grey of "unknown")."""
    return {r.id: PALETTE[i % len(PALETTE)] for i, r in enumerate(content.stats.regions)}


def _text_colour(background: str) -> str:
    """Black on light bars, white on dark ones."""
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "white"


def _bottom_margin(caption: str, *, tick_lines: int) -> float:
    """Room under the axes for the caption, tick labels and axis label (figure fraction)."""
    return 0.04 + (caption.count("\n") + 1) * 0.024 + tick_lines * 0.035 + 0.06


def _style(axes: Axes) -> None:
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=TICK_SIZE)


def _titles(figure: Figure, title: str, subtitle: str) -> None:
    figure.text(0.02, 0.965, title, fontsize=TITLE_SIZE, fontweight="bold", ha="left", va="top")
    figure.text(0.02, 0.91, subtitle, fontsize=LABEL_SIZE, ha="left", va="top")


def _year_label(figures: YearFigures) -> str:
    if is_full_year(figures):
        return str(figures.year)
    month = MONTHS[figures.as_of.month - 1][:3]
    return f"{figures.year}\n(s.d. {figures.as_of.day} {month})"


def _draw_overview(figure: Figure, content: ContentBundle, bottom: float) -> None:
    years = list(content.years_by_number.values())
    colours = _colours(content)
    axes = figure.add_axes((0.1, bottom, 0.55, 0.84 - bottom))
    _style(axes)
    positions = list(range(len(years)))
    stacked = [0] * len(years)
    segments: list[tuple[str, str, list[int]]] = [
        (region.name, colours[region.id], counts)
        for region in content.stats.regions
        if any(counts := [f.counts.get(region.id, 0) for f in years])
    ]
    unallocated = [f.unallocated for f in years]
    if any(unallocated):
        segments.append((UNALLOCATED_LABEL, UNALLOCATED_COLOUR, unallocated))
    for label, colour, counts in segments:
        unknown = label == UNALLOCATED_LABEL
        bars = axes.bar(positions, counts, bottom=stacked, color=colour, width=0.6,
                        label=_wrap(label), edgecolor="white", linewidth=1,
                        hatch="//" if unknown else "")
        for bar, count, base in zip(bars, counts, stacked, strict=True):
            if count:
                axes.text(bar.get_x() + bar.get_width() / 2, base + count / 2, str(count),
                          ha="center", va="center", fontsize=VALUE_SIZE - 1,
                          fontweight="bold", color=_text_colour(colour))
        stacked = [b + c for b, c in zip(stacked, counts, strict=True)]
    top = max(f.total for f in years) or 1
    for position, figures in zip(positions, years, strict=True):
        axes.text(position, figures.total + top * 0.02, f"{figures.total} kasus", ha="center",
                  va="bottom", fontsize=VALUE_SIZE, fontweight="bold")
    axes.set_ylim(0, top * 1.15)
    axes.set_xticks(positions, [_year_label(f) for f in years])
    axes.set_xlabel("Tahun", fontsize=LABEL_SIZE)
    axes.set_ylabel("Jumlah kasus", fontsize=LABEL_SIZE)
    axes.yaxis.get_major_locator().set_params(integer=True)
    if segments:
        axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=TICK_SIZE - 1,
                    frameon=False, title="Wilayah", title_fontsize=TICK_SIZE, reverse=True)
    _titles(figure, "Kasus TPPO di Kalimantan Timur",
            f"Jumlah kasus tercatat per tahun, {year_span(content.years_by_number)}")


def _draw_year(figure: Figure, content: ContentBundle, figures: YearFigures,
               bottom: float) -> None:
    """Horizontal bars for every region, so a region without a record is visibly named."""
    colours = _colours(content)
    rows: list[tuple[str, int | None, str]] = sorted(
        ((region.name, figures.counts.get(region.id), colours[region.id])
         for region in content.stats.regions),
        key=lambda row: (row[1] is None, -(row[1] or 0), row[0]),
    )
    if figures.unallocated:
        recorded = sum(1 for row in rows if row[1] is not None)
        rows.insert(recorded, (UNALLOCATED_LABEL, figures.unallocated, UNALLOCATED_COLOUR))
    rows.reverse()  # barh draws from the bottom up
    axes = figure.add_axes((0.34, bottom, 0.6, 0.85 - bottom))
    _style(axes)
    top = max((count or 0 for _, count, _ in rows), default=0) or 1
    positions = list(range(len(rows)))
    for position, (label, count, colour) in zip(positions, rows, strict=True):
        if count is None:
            axes.text(top * 0.03, position, NO_RECORD, va="center", fontsize=TICK_SIZE - 1,
                      style="italic", color=NO_RECORD_COLOUR)
            continue
        axes.barh(position, count, color=colour, height=0.7, edgecolor="white",
                  hatch="//" if label == UNALLOCATED_LABEL else "")
        axes.text(count + top * 0.02, position, str(count), va="center", fontsize=VALUE_SIZE,
                  fontweight="bold")
    axes.set_yticks(positions, [_wrap(label) for label, _, _ in rows])
    axes.set_ylim(-0.6, len(rows) - 0.4)
    axes.set_xlim(0, top * 1.2)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_xlabel("Jumlah kasus", fontsize=LABEL_SIZE)
    axes.set_ylabel("Kabupaten/kota", fontsize=LABEL_SIZE)
    _titles(figure, f"Kasus TPPO di Kalimantan Timur, {figures.year}",
            f"Total {figures.total} kasus ({period(figures)})")


def _draw_region(figure: Figure, content: ContentBundle, region_id: str, bottom: float) -> None:
    """A bar per year; a year without a record is left empty and labelled as such."""
    region = content.regions_by_id[region_id]
    years = list(content.years_by_number.values())
    colour = _colours(content)[region_id]
    axes = figure.add_axes((0.11, bottom, 0.85, 0.84 - bottom))
    _style(axes)
    counts = [f.counts.get(region_id) for f in years]
    top = max((c for c in counts if c is not None), default=0) or 1
    positions = list(range(len(years)))
    for position, count in zip(positions, counts, strict=True):
        if count is None:
            axes.text(position, top * 0.03, "tidak ada\ncatatan", ha="center", va="bottom",
                      fontsize=TICK_SIZE - 1, style="italic", color=NO_RECORD_COLOUR)
            continue
        axes.bar(position, count, color=colour, width=0.6)
        axes.text(position, count + top * 0.02, f"{count} kasus", ha="center", va="bottom",
                  fontsize=VALUE_SIZE, fontweight="bold")
    axes.set_xticks(positions, [_year_label(f) for f in years])
    axes.set_xlim(-0.6, len(years) - 0.4)
    axes.set_ylim(0, top * 1.2)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_xlabel("Tahun", fontsize=LABEL_SIZE)
    axes.set_ylabel("Jumlah kasus", fontsize=LABEL_SIZE)
    kind = "Kabupaten" if region.type == "kabupaten" else "Kota"
    _titles(figure, f"Kasus TPPO di {region.name}",
            f"{kind} {region.name}, Kalimantan Timur, {year_span(content.years_by_number)}")


def _wrap(label: str) -> str:
    return textwrap.fill(label, 20)


def _caption_text(content: ContentBundle, years: list[YearFigures], *, gaps: bool) -> str:
    """Source and as-of date under every chart, wrapped to the figure's width."""
    source = content.stats.source
    parts: list[str] = []
    if any(f.source is None for f in years):
        text = f"{source.name}, {source.publisher}"
        if source.reported_in:
            text += f" ({source.reported_in})"
        parts.append(text)
    parts += [f"data {f.year}: {f.source}" for f in years if f.source]
    latest = max(f.as_of for f in years)
    text = f"Sumber: {'; '.join(parts)}. Data tercatat sampai {indonesian_date(latest)}."
    partial = [f for f in years if not is_full_year(f)]
    if partial:
        text += " " + " ".join(f"Data {f.year} hanya {period(f)}." for f in partial)
    if gaps:
        text += " \u201cTidak ada catatan\u201d belum tentu berarti tidak ada kasus."
    return textwrap.fill(text, CAPTION_WIDTH)
