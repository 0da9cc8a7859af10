"""Statistics answers in plain Indonesian: exact figures, their source and date, and no
silence about gaps — a region absent from a year's data is "not recorded", never "safe"."""

from __future__ import annotations

from bot.content.bundle import ContentBundle
from bot.content.models import YearFigures
from bot.content.telegram_html import escape
from bot.stats.query import StatsQuery

MONTHS = ("Januari Februari Maret April Mei Juni Juli Agustus September Oktober November "
          "Desember").split()


def indonesian_date(value: object) -> str:
    day, month, year = value.day, value.month, value.year  # type: ignore[attr-defined]
    return f"{day} {MONTHS[month - 1]} {year}"


def _as_of(figures: YearFigures) -> str:
    if figures.as_of.month == 12 and figures.as_of.day == 31:
        return f"sepanjang {figures.year}"
    return f"sampai {indonesian_date(figures.as_of)}"


def _cases(count: int) -> str:
    return f"{count} kasus"


class StatsAnswers:
    def __init__(self, content: ContentBundle) -> None:
        self._content = content
        self._years = content.years_by_number
        self._regions = content.regions_by_id

    @property
    def covered(self) -> str:
        years = sorted(self._years)
        return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])

    def source_line(self) -> str:
        source = self._content.stats.source
        text = f"Sumber: {escape(source.name)}, {escape(source.publisher)}"
        if source.reported_in:
            text += f" ({escape(source.reported_in)})"
        if source.url:
            text += f' — <a href="{escape(source.url)}">tautan</a>'
        return f"<i>{text}.</i>"

    def answer(self, query: StatsQuery) -> str:
        if query.ranking and not query.regions:
            body = self.ranking()
        elif query.regions and query.years:
            body = "\n\n".join(
                self.region_in_year(region, year)
                for region in query.regions
                for year in query.years
            )
        elif query.regions:
            body = "\n\n".join(self.region(region) for region in query.regions)
        elif query.years:
            body = "\n\n".join(self.year(year) for year in query.years)
        else:
            body = self.overview()
        return f"{body}\n\n{self.source_line()}"

    def overview(self) -> str:
        lines = ["<b>Kasus TPPO di Kalimantan Timur</b> (tercatat di SIMFONI-PPA)"]
        previous: YearFigures | None = None
        for figures in self._years.values():
            change = ""
            if previous is not None:
                change = self._change(previous, figures)
            lines.append(f"• {figures.year}: <b>{_cases(figures.total)}</b> "
                         f"({_as_of(figures)}){change}")
            previous = figures
        notes = [f"{f.year}: {escape(f.note)}" for f in self._years.values() if f.note]
        if notes:
            lines.append("")
            lines.extend(f"<i>Catatan {note}</i>" for note in notes)
        lines.append("")
        lines.append("Angka ini hanya kasus yang dilaporkan dan tercatat; kasus sebenarnya "
                     "bisa lebih banyak.")
        return "\n".join(lines)

    @staticmethod
    def _change(previous: YearFigures, current: YearFigures) -> str:
        if current.total > previous.total:
            word = "naik"
        elif current.total < previous.total:
            word = "turun"
        else:
            return f", sama dengan {previous.year}"
        partial = " meski datanya belum setahun penuh" if current.as_of.month < 12 else ""
        return f", {word} dari {previous.year}{partial}"

    def year(self, year: int) -> str:
        figures = self._years.get(year)
        if figures is None:
            return (f"Data yang saya miliki <b>tidak memuat catatan untuk tahun {year}</b>. "
                    f"Ini bukan berarti tidak ada kasus; datanya hanya mencakup {self.covered}.")
        lines = [f"<b>Kasus TPPO di Kalimantan Timur tahun {year}</b>: "
                 f"<b>{_cases(figures.total)}</b> ({_as_of(figures)})"]
        for region_id, count in sorted(figures.counts.items(), key=lambda i: (-i[1], i[0])):
            lines.append(f"• {escape(self._regions[region_id].name)}: {_cases(count)}")
        if figures.unallocated:
            lines.append(f"• Tidak disebutkan wilayahnya: {_cases(figures.unallocated)}")
        if figures.note:
            lines.append(f"<i>Catatan: {escape(figures.note)}</i>")
        return "\n".join(lines)

    def region(self, region_id: str) -> str:
        region = self._regions[region_id]
        name = escape(region.name)
        lines = [f"<b>Kasus TPPO di {name}</b>"]
        total = 0
        for figures in self._years.values():
            count = figures.counts.get(region_id)
            if count is None:
                lines.append(f"• {figures.year}: tidak ada catatan")
            else:
                total += count
                lines.append(f"• {figures.year}: {_cases(count)} ({_as_of(figures)})")
        if total:
            lines.append(f"Jumlah {self.covered}: <b>{_cases(total)}</b>.")
        else:
            lines.append(f"Data {self.covered} <b>tidak mencatat kasus</b> di {name}. "
                         "Ini bukan berarti wilayah ini aman: bisa saja ada kasus yang tidak "
                         "dilaporkan atau tidak dirinci per wilayah.")
        if any(f.unallocated for f in self._years.values()):
            lines.append("<i>Sebagian kasus tidak disebutkan wilayahnya di sumber.</i>")
        return "\n".join(lines)

    def region_in_year(self, region_id: str, year: int) -> str:
        name = escape(self._regions[region_id].name)
        figures = self._years.get(year)
        if figures is None:
            return self.year(year)
        count = figures.counts.get(region_id)
        if count is None:
            return (f"Data tahun {year} <b>tidak mencatat kasus TPPO di {name}</b> "
                    f"({_as_of(figures)}). Itu belum tentu berarti tidak ada kasus. "
                    f"Seluruh Kaltim tahun itu: {_cases(figures.total)}.")
        return (f"Kasus TPPO di <b>{name}</b> tahun {year}: <b>{_cases(count)}</b> "
                f"({_as_of(figures)}), dari {_cases(figures.total)} di seluruh Kaltim.")

    def ranking(self) -> str:
        totals: dict[str, int] = {}
        for figures in self._years.values():
            for region_id, count in figures.counts.items():
                totals[region_id] = totals.get(region_id, 0) + count
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        lines = [f"<b>Wilayah dengan kasus TPPO terbanyak, {self.covered}</b>"]
        lines += [f"{i}. {escape(self._regions[r].name)}: {_cases(c)}"
                  for i, (r, c) in enumerate(ranked, 1)]
        top_year = max(self._years.values(), key=lambda f: f.total)
        lines.append(f"Tahun dengan kasus terbanyak: <b>{top_year.year}</b> "
                     f"({_cases(top_year.total)}, {_as_of(top_year)}).")
        missing = [r.name for r in self._regions.values() if r.id not in totals]
        if missing:
            lines.append(f"Tidak ada catatan untuk: {escape(', '.join(missing))}.")
        return "\n".join(lines)
