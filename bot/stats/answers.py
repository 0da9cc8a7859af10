"""Statistics answers in plain Indonesian: exact figures, their source and date, and no
silence about gaps — a region absent from a year's data is "not recorded", never "safe"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from bot.content.bundle import ContentBundle
from bot.content.models import YearFigures
from bot.content.telegram_html import escape
from bot.stats.query import StatsQuery

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
NO_RECORD = "tidak ada catatan"
NOT_SAFE = ("Ini bukan berarti tidak ada kasus: bisa saja ada kasus yang tidak dilaporkan "
            "atau tidak dirinci per wilayah.")
UNDER_REPORTED = ("Angka ini hanya kasus yang dilaporkan dan tercatat; kasus sebenarnya bisa "
                  "lebih banyak.")


def indonesian_date(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def is_full_year(figures: YearFigures) -> bool:
    return figures.as_of >= date(figures.year, 12, 31)


def period(figures: YearFigures) -> str:
    """ "sepanjang 2019" or "sampai 1 Oktober 2020" for a year recorded only in part."""
    if is_full_year(figures):
        return f"sepanjang {figures.year}"
    return f"sampai {indonesian_date(figures.as_of)}"


def cases(count: int) -> str:
    return f"{count} kasus"


def year_span(years: Iterable[int]) -> str:
    """ "2018–2020 dan 2025": consecutive years joined, so gaps in the data stay visible."""
    ordered = sorted(set(years))
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " dan " + parts[-1]


def ranked(items: Iterable[tuple[str, int]]) -> list[tuple[int, str, int]]:
    """(rank, key, count), highest first; equal counts share a rank (1, 2, 3, 3, 5)."""
    ordered = sorted(items, key=lambda item: (-item[1], item[0]))
    result: list[tuple[int, str, int]] = []
    for position, (key, count) in enumerate(ordered, 1):
        rank = result[-1][0] if result and result[-1][2] == count else position
        result.append((rank, key, count))
    return result


class StatsAnswers:
    def __init__(self, content: ContentBundle) -> None:
        self._content = content
        self._years = content.years_by_number
        self._regions = content.regions_by_id

    @property
    def covered(self) -> str:
        return year_span(self._years)

    def _known(self, years: Iterable[int] | None) -> list[YearFigures]:
        if years is None:
            return list(self._years.values())
        return [self._years[y] for y in sorted(set(years)) if y in self._years]

    def source_line(self, years: Iterable[int] | None = None) -> str:
        """Who counted the figures and up to which date; per-year sources are named too."""
        figures = self._known(years) or list(self._years.values())
        source = self._content.stats.source
        parts: list[str] = []
        if any(f.source is None for f in figures):
            text = f"{escape(source.name)}, {escape(source.publisher)}"
            if source.reported_in:
                text += f" ({escape(source.reported_in)})"
            if source.url:
                text += f' — <a href="{escape(source.url)}">tautan</a>'
            parts.append(text)
        parts += [f"data {f.year}: {escape(f.source)}" for f in figures if f.source]
        latest = max(f.as_of for f in figures)
        return (f"<i>Sumber: {'; '.join(parts)}. "
                f"Data tercatat sampai {indonesian_date(latest)}.</i>")

    def answer(self, query: StatsQuery) -> str:
        years = query.years or None
        if query.ranking == "year" and not query.regions:
            body = self.year_ranking(years)
        elif query.ranking == "region":
            body = self.region_ranking(years)
        elif query.regions and len(query.years) == 1:
            body = "\n\n".join(self.region_in_year(r, query.years[0]) for r in query.regions)
        elif query.regions:
            body = "\n\n".join(self.region(r, years) for r in query.regions)
        elif len(query.years) == 1:
            body = self.year(query.years[0])
        else:
            body = self.overview(years)
        return f"{body}\n\n{self.source_line(years)}"

    def _no_year(self, year: int) -> str:
        return (f"Data yang saya miliki <b>tidak memuat catatan untuk tahun {year}</b>. "
                f"Ini bukan berarti tidak ada kasus; datanya hanya mencakup {self.covered}.")

    def _no_years(self, years: Sequence[int]) -> str:
        return (f"Data yang saya miliki <b>tidak memuat catatan untuk {year_span(years)}</b>. "
                f"Ini bukan berarti tidak ada kasus; datanya hanya mencakup {self.covered}.")

    def overview(self, years: Sequence[int] | None = None) -> str:
        """Each year's total and its direction of change; `years` limits it to a range."""
        shown = self._known(years)
        if not shown:
            return self._no_years(years or ())
        title = "Kasus TPPO di Kalimantan Timur"
        if years is not None:
            title += f", {year_span(years)}"
        lines = [f"<b>{title}</b> (tercatat di SIMFONI-PPA)"]
        previous: YearFigures | None = None
        for figures in shown:
            change = self._change(previous, figures) if previous is not None else ""
            lines.append(f"• {figures.year}: <b>{cases(figures.total)}</b> "
                         f"({period(figures)}){change}")
            previous = figures
        missing = sorted(set(years or ()) - set(self._years))
        if missing:
            lines.append(f"• {year_span(missing)}: {NO_RECORD} (di luar data yang saya miliki)")
        if len(shown) > 1:
            total = sum(f.total for f in shown)
            partial = [f for f in shown if not is_full_year(f)]
            lines.append(f"Jumlah {year_span(f.year for f in shown)}: <b>{cases(total)}</b>"
                         + (f" ({', '.join(f'{f.year} {period(f)}' for f in partial)})"
                            if partial else "") + ".")
        notes = [f"<i>Catatan {f.year}: {escape(f.note)}</i>" for f in shown if f.note]
        if notes:
            lines += ["", *notes]
        lines += ["", f"Data terbaru yang tersedia: {max(self._years)}. {UNDER_REPORTED}"]
        return "\n".join(lines)

    @staticmethod
    def _change(previous: YearFigures, current: YearFigures) -> str:
        if current.total == previous.total:
            return f", sama dengan {previous.year}"
        rising = current.total > previous.total
        text = f", {'naik' if rising else 'turun'} dari {previous.year}"
        if not is_full_year(current):
            text += (" meski datanya belum setahun penuh" if rising
                     else ", tetapi datanya belum setahun penuh")
        return text

    def year(self, year: int) -> str:
        figures = self._years.get(year)
        if figures is None:
            return self._no_year(year)
        lines = [f"<b>Kasus TPPO di Kalimantan Timur tahun {year}</b>: "
                 f"<b>{cases(figures.total)}</b> ({period(figures)})"]
        for _, region_id, count in ranked(figures.counts.items()):
            lines.append(f"• {escape(self._regions[region_id].name)}: {cases(count)}")
        if figures.unallocated:
            lines.append(f"• Tidak dirinci per wilayah oleh sumber: {cases(figures.unallocated)}")
        missing = [r.name for r in self._regions.values() if r.id not in figures.counts]
        if missing:
            lines.append(f"Tidak ada catatan untuk {escape(', '.join(missing))}; "
                         "itu belum tentu berarti tidak ada kasus.")
        if figures.note:
            lines.append(f"<i>Catatan: {escape(figures.note)}</i>")
        return "\n".join(lines)

    def region(self, region_id: str, years: Sequence[int] | None = None) -> str:
        """One region across all years (or the years asked for), gaps named as gaps."""
        name = escape(self._regions[region_id].name)
        lines = [f"<b>Kasus TPPO di {name}</b>"]
        shown = self._known(years)
        recorded = 0
        for figures in shown:
            count = figures.counts.get(region_id)
            if count is None:
                lines.append(f"• {figures.year}: {NO_RECORD}")
            else:
                recorded += 1
                lines.append(f"• {figures.year}: {cases(count)} ({period(figures)})")
        missing = sorted(set(years or ()) - set(self._years))
        if missing:
            lines.append(f"• {year_span(missing)}: {NO_RECORD} (di luar data yang saya miliki, "
                         f"yang hanya mencakup {self.covered})")
        span = year_span(f.year for f in shown) if shown else ""
        if recorded:
            total = sum(f.counts.get(region_id, 0) for f in shown)
            if len(shown) > 1:
                lines.append(f"Jumlah {span}: <b>{cases(total)}</b>.")
        elif shown:
            lines.append(f"Data {span} <b>tidak mencatat kasus</b> di {name}. {NOT_SAFE}")
        unallocated = [f for f in shown if f.unallocated]
        if unallocated:
            lines.append("<i>Catatan: " + "; ".join(
                f"{cases(f.unallocated)} tahun {f.year} tidak dirinci per wilayah"
                for f in unallocated) + " oleh sumber.</i>")
        return "\n".join(lines)

    def region_in_year(self, region_id: str, year: int) -> str:
        name = escape(self._regions[region_id].name)
        figures = self._years.get(year)
        if figures is None:
            return self._no_year(year)
        count = figures.counts.get(region_id)
        if count is None:
            text = (f"Data tahun {year} <b>tidak mencatat kasus TPPO di {name}</b> "
                    f"({period(figures)}). Itu belum tentu berarti tidak ada kasus. "
                    f"Seluruh Kaltim tahun itu: {cases(figures.total)}.")
        else:
            text = (f"Kasus TPPO di <b>{name}</b> tahun {year}: <b>{cases(count)}</b> "
                    f"({period(figures)}), dari {cases(figures.total)} di seluruh Kaltim.")
        if figures.unallocated:
            text += (f"\n<i>{cases(figures.unallocated)} tahun itu tidak dirinci per "
                     "wilayah oleh sumber.</i>")
        return text

    def region_ranking(self, years: Sequence[int] | None = None) -> str:
        """Which region has the most recorded cases, over all years or the years asked for."""
        shown = self._known(years)
        if not shown:
            return self._no_years(years or ())
        totals: dict[str, int] = {}
        for figures in shown:
            for region_id, count in figures.counts.items():
                totals[region_id] = totals.get(region_id, 0) + count
        span = year_span(f.year for f in shown)
        lines = [f"<b>Wilayah dengan kasus TPPO terbanyak, {span}</b>"]
        lines += [f"{rank}. {escape(self._regions[r].name)}: {cases(c)}"
                  for rank, r, c in ranked(totals.items())]
        unallocated = sum(f.unallocated for f in shown)
        if unallocated:
            lines.append(f"Tidak dirinci per wilayah oleh sumber: {cases(unallocated)}.")
        missing = [r.name for r in self._regions.values() if r.id not in totals]
        if missing:
            lines.append(f"Tidak ada catatan untuk: {escape(', '.join(missing))} "
                         "(belum tentu berarti tidak ada kasus).")
        partial = [f for f in shown if not is_full_year(f)]
        if partial:
            lines.append("<i>" + "; ".join(f"Data {f.year} hanya {period(f)}" for f in partial)
                         + ".</i>")
        return "\n".join(lines)

    def year_ranking(self, years: Sequence[int] | None = None) -> str:
        """Years from most to fewest recorded cases."""
        shown = self._known(years)
        if not shown:
            return self._no_years(years or ())
        by_year = {f.year: f for f in shown}
        lines = [f"<b>Tahun dengan kasus TPPO terbanyak di Kalimantan Timur, "
                 f"{year_span(by_year)}</b>"]
        for rank, year, count in ranked((str(f.year), f.total) for f in shown):
            figures = by_year[int(year)]
            suffix = "" if is_full_year(figures) else f" ({period(figures)}, belum setahun penuh)"
            lines.append(f"{rank}. {year}: {cases(count)}{suffix}")
        lines += ["", f"Data terbaru yang tersedia: {max(self._years)}. {UNDER_REPORTED}"]
        return "\n".join(lines)
