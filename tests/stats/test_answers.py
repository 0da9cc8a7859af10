"""Every figure in content/stats.yaml reaches the user correctly, with its source and date,
and gaps in the data are called gaps, never "safe" or "0 kasus"."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.engine.engine import Engine
from bot.engine.reply import Intent, Reply

NOT_SAFE_WORDS = re.compile(r"\baman\b|\b0 kasus\b", re.IGNORECASE)


def _years(stats_yaml: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(stats_yaml["years"], key=lambda y: y["year"])


def _regions(stats_yaml: dict[str, Any]) -> list[dict[str, Any]]:
    return stats_yaml["regions"]


def _stats(engine: Engine, text: str) -> Reply:
    reply = engine.reply_to(text)
    assert reply.intent is Intent.STATS, (text, reply.intent, reply.plain_text[:200])
    return reply


def _assert_honest_gap(text: str) -> None:
    assert "tidak ada catatan" in text or "tidak mencatat" in text or "tidak memuat" in text
    assert "bukan berarti" in text or "belum tentu" in text
    assert not NOT_SAFE_WORDS.search(text), text


def _all_combinations(stats_yaml: dict[str, Any]) -> list[tuple[str, int]]:
    return [(r["id"], y["year"]) for y in _years(stats_yaml) for r in _regions(stats_yaml)]


def test_every_region_in_every_year_gets_its_figure(
    engine: Engine, stats_yaml: dict[str, Any]
) -> None:
    names = {r["id"]: r["name"] for r in _regions(stats_yaml)}
    for year in _years(stats_yaml):
        for region_id, name in names.items():
            text = _stats(engine, f"berapa kasus tppo di {name} tahun {year['year']}").plain_text
            count = year["counts"].get(region_id)
            if count is None:
                assert f"tidak mencatat kasus TPPO di {name}" in text
                _assert_honest_gap(text)
            else:
                assert f"{name} tahun {year['year']}: {count} kasus" in text
            assert f"dari {year['total']} kasus" in text or f"itu: {year['total']} kasus" in text


def test_every_year_lists_its_total_and_breakdown(
    engine: Engine, stats_yaml: dict[str, Any]
) -> None:
    names = {r["id"]: r["name"] for r in _regions(stats_yaml)}
    for year in _years(stats_yaml):
        text = _stats(engine, f"data kasus tppo tahun {year['year']}").plain_text
        assert f"tahun {year['year']}: {year['total']} kasus" in text
        for region_id, count in year["counts"].items():
            assert f"• {names[region_id]}: {count} kasus" in text
        if year.get("unallocated"):
            assert f"Tidak dirinci per wilayah oleh sumber: {year['unallocated']} kasus" in text
        missing = [n for i, n in names.items() if i not in year["counts"]]
        for name in missing:
            assert name in text.split("Tidak ada catatan untuk", 1)[1]


def test_every_region_across_years(engine: Engine, stats_yaml: dict[str, Any]) -> None:
    for region in _regions(stats_yaml):
        text = _stats(engine, f"jumlah kasus tppo di {region['name']}").plain_text
        total = 0
        for year in _years(stats_yaml):
            count = year["counts"].get(region["id"])
            if count is None:
                assert f"• {year['year']}: tidak ada catatan" in text
            else:
                total += count
                assert f"• {year['year']}: {count} kasus" in text
        if total:
            assert f": {total} kasus." in text
        else:
            _assert_honest_gap(text)


@pytest.mark.parametrize("alias_index", [0, 1, 2])
def test_every_alias_reaches_its_region(
    engine: Engine, stats_yaml: dict[str, Any], alias_index: int
) -> None:
    for region in _regions(stats_yaml):
        if alias_index >= len(region["aliases"]):
            continue
        alias = region["aliases"][alias_index]
        text = _stats(engine, f"berapa kasus tppo di {alias}").plain_text
        assert text.startswith(f"Kasus TPPO di {region['name']}\n"), (alias, text[:80])


@pytest.mark.parametrize(("question", "region_name"), [
    ("jumlah kasus tppo di bontan", "Bontang"),
    ("kasus tppo di balikpapn brp", "Balikpapan"),
    ("kasus tppo di kutai kertanegara ada berapa", "Kutai Kartanegara"),
    ("bpp brp kasus trafficking nya", "Balikpapan"),
    ("smd kasus tppo", "Samarinda"),
    ("kutim ada kasus tppo gak? berapa", "Kutai Timur"),
    ("mahulu pernah ada kasus perdagangan orang?", "Mahakam Ulu"),
    ("BERAPA KASUS TPPO DI TENGGARONG", "Kutai Kartanegara"),
])
def test_typos_and_informal_names(engine: Engine, question: str, region_name: str) -> None:
    assert _stats(engine, question).plain_text.startswith(f"Kasus TPPO di {region_name}\n")


def test_informal_region_and_year(engine: Engine, stats_yaml: dict[str, Any]) -> None:
    kukar_2018 = next(y for y in stats_yaml["years"] if y["year"] == 2018)["counts"][
        "kutai-kartanegara"]
    reply = _stats(engine, "brp kasus tppo di kukar thn 2018")
    assert f"Kutai Kartanegara tahun 2018: {kukar_2018} kasus" in reply.plain_text
    assert reply.chart is not None
    assert (reply.chart.kind, reply.chart.key) == ("region", "kutai-kartanegara")


@pytest.mark.parametrize(("question", "expected", "not_expected"), [
    ("kasus tppo di paser", "Paser", "Penajam"),
    ("kasus tppo di kabupaten paser tahun 2018", "Paser", "Penajam"),
    ("kasus tppo di tanah grogot", "Paser", "Penajam"),
    ("kasus tppo di penajam paser utara", "Penajam Paser Utara", None),
    ("kasus tppo di penajam paser", "Penajam Paser Utara", None),
    ("kasus tppo di paser utara", "Penajam Paser Utara", None),
    ("kasus tppo di ppu 2018", "Penajam Paser Utara", None),
    ("kasus tppo di penajam", "Penajam Paser Utara", None),
])
def test_paser_and_penajam_paser_utara_are_never_confused(
    engine: Engine, question: str, expected: str, not_expected: str | None
) -> None:
    body = _stats(engine, question).plain_text.split("\n\nSumber:")[0]
    assert expected in body
    if expected == "Paser":
        assert "Penajam" not in body
    else:
        assert not re.search(r"(?<!Penajam )\bPaser\b(?! Utara)", body), body


def test_paser_and_ppu_figures_differ_as_in_the_data(
    engine: Engine, stats_yaml: dict[str, Any]
) -> None:
    for year in _years(stats_yaml):
        for region_id, name in (("paser", "Paser"), ("penajam-paser-utara", "Penajam Paser Utara")):
            text = _stats(engine, f"kasus tppo di {name} {year['year']}").plain_text
            count = year["counts"].get(region_id)
            expected = f"{name} tahun {year['year']}: {count} kasus" if count is not None else (
                f"tidak mencatat kasus TPPO di {name}")
            assert expected in text


@pytest.mark.parametrize("question", [
    "berapa kasus tppo tahun 2023",
    "kasus tppo di kaltim 2023 ada berapa",
    "kasus tppo di bontang tahun 2023",
])
def test_unknown_year_is_answered_honestly(
    engine: Engine, stats_yaml: dict[str, Any], question: str
) -> None:
    text = _stats(engine, question).plain_text
    _assert_honest_gap(text)
    years = [y["year"] for y in stats_yaml["years"]]
    assert f"{min(years)}–{max(years)}" in text  # what the data does cover


@pytest.mark.parametrize("question", [
    "kasus tppo di mahakam ulu",
    "mahulu berapa kasus tppo tahun 2019",
    "statistik tppo kabupaten kutai barat",
])
def test_region_without_records_is_not_called_safe(engine: Engine, question: str) -> None:
    _assert_honest_gap(_stats(engine, question).plain_text)


def test_overview_gives_each_total_and_direction(
    engine: Engine, stats_yaml: dict[str, Any]
) -> None:
    text = _stats(engine, "berapa jumlah kasus tppo di kaltim").plain_text
    previous = None
    for year in _years(stats_yaml):
        assert f"• {year['year']}: {year['total']} kasus" in text
        if previous is not None:
            word = ("naik" if year["total"] > previous["total"]
                    else "turun" if year["total"] < previous["total"] else "sama dengan")
            line = next(line for line in text.splitlines() if line.startswith(f"• {year['year']}"))
            assert word in line
        previous = year
    assert "dilaporkan dan tercatat" in text


@pytest.mark.parametrize("question", [
    "kasus tppo kaltim 2018 sampai 2020",
    "jumlah kasus tppo 2018-2020",
    "data tppo dari thn 2018 sampe 2020",
    "kasus tppo 2018 s/d 2020",
])
def test_year_range(engine: Engine, stats_yaml: dict[str, Any], question: str) -> None:
    text = _stats(engine, question).plain_text
    in_range = [y for y in _years(stats_yaml) if 2018 <= y["year"] <= 2020]
    for year in in_range:
        assert f"• {year['year']}: {year['total']} kasus" in text
    assert f"Jumlah 2018–2020: {sum(y['total'] for y in in_range)} kasus" in text


def test_region_over_a_year_range(engine: Engine, stats_yaml: dict[str, Any]) -> None:
    text = _stats(engine, "kasus tppo di bontang 2019 sampai 2020").plain_text
    for year in _years(stats_yaml):
        count = year["counts"].get("bontang")
        if year["year"] in (2019, 2020):
            assert f"• {year['year']}: {count} kasus" in text
        else:
            assert f"• {year['year']}:" not in text


def test_which_year_has_the_most(engine: Engine, stats_yaml: dict[str, Any]) -> None:
    text = _stats(engine, "tahun berapa kasus tppo di kaltim paling banyak").plain_text
    ranked = sorted(_years(stats_yaml), key=lambda y: -y["total"])
    positions = [text.index(f"{y['year']}: {y['total']} kasus") for y in ranked]
    assert positions == sorted(positions)
    assert text.startswith("Tahun dengan kasus TPPO terbanyak")


@pytest.mark.parametrize("question", [
    "daerah mana di kaltim yg paling banyak kasus tppo",
    "kabupaten/kota dengan kasus perdagangan orang terbanyak di kaltim apa",
])
def test_which_region_has_the_most(
    engine: Engine, stats_yaml: dict[str, Any], question: str
) -> None:
    text = _stats(engine, question).plain_text
    totals: dict[str, int] = {}
    for year in stats_yaml["years"]:
        for region_id, count in year["counts"].items():
            totals[region_id] = totals.get(region_id, 0) + count
    names = {r["id"]: r["name"] for r in _regions(stats_yaml)}
    best = max(totals.values())
    first_line = text.splitlines()[1]
    assert first_line.startswith("1. ") and first_line.endswith(f": {best} kasus")
    assert names[max(totals, key=lambda r: totals[r])] in first_line
    for region_id, name in names.items():
        if region_id not in totals:
            assert name in text.split("Tidak ada catatan untuk", 1)[1]


def test_which_region_has_the_most_in_one_year(
    engine: Engine, stats_yaml: dict[str, Any]
) -> None:
    year = _years(stats_yaml)[1]
    reply = _stats(engine, f"wilayah mana yang kasus tppo terbanyak tahun {year['year']}")
    best = max(year["counts"].values())
    assert reply.plain_text.splitlines()[1].endswith(f": {best} kasus")
    assert reply.chart is not None
    assert (reply.chart.kind, reply.chart.key) == ("year", str(year["year"]))


@pytest.mark.parametrize("question", [
    "berapa jumlah kasus tppo di kaltim",
    "kasus tppo 2019",
    "kasus tppo di berau 2020",
    "kasus tppo di mahakam ulu",
    "berapa kasus tppo tahun 2023",
    "daerah mana paling banyak kasus tppo",
    "tahun berapa paling banyak kasus tppo",
    "kasus tppo 2018 sampai 2020",
])
def test_every_answer_names_source_date_and_where_to_report(
    engine: Engine, stats_yaml: dict[str, Any], question: str
) -> None:
    reply = _stats(engine, question)
    text = reply.plain_text
    assert stats_yaml["source"]["name"] in text
    assert "Data tercatat sampai" in text
    assert "Laporkan" in text and "129" in text
    actions = {b.action for row in reply.buttons for b in row}
    assert "channels" in actions
    assert reply.chart is not None
    assert f"chart:{reply.chart.kind}:{reply.chart.key}" in actions


def test_stats_buttons_are_answered(engine: Engine, stats_yaml: dict[str, Any]) -> None:
    for year in _years(stats_yaml):
        reply = engine.reply_to_action(f"stats:year:{year['year']}")
        assert reply is not None and f"{year['total']} kasus" in reply.plain_text
    for region in _regions(stats_yaml):
        reply = engine.reply_to_action(f"stats:region:{region['id']}")
        assert reply is not None and reply.plain_text.startswith(f"Kasus TPPO di {region['name']}")
    assert engine.reply_to_action("stats:year:1999") is None
    assert engine.reply_to_action("stats:region:atlantis") is None


def test_a_year_added_to_the_content_is_answered(
    extended_engine: Engine, added_year_yaml: dict[str, Any], stats_yaml: dict[str, Any]
) -> None:
    year = added_year_yaml["year"]
    text = _stats(extended_engine, f"berapa kasus tppo tahun {year}").plain_text
    assert f"tahun {year}: {added_year_yaml['total']} kasus" in text
    assert added_year_yaml["source"] in text  # a year's own source is named
    for region_id, count in added_year_yaml["counts"].items():
        name = next(r["name"] for r in _regions(stats_yaml) if r["id"] == region_id)
        region_text = _stats(extended_engine, f"kasus tppo di {name} {year}").plain_text
        assert f"{name} tahun {year}: {count} kasus" in region_text
    overview = _stats(extended_engine, "berapa jumlah kasus tppo di kaltim").plain_text
    assert f"• {year}: {added_year_yaml['total']} kasus" in overview
    assert f"2018–2020 dan {year}" in overview  # the gap in the data stays visible
    ranking = _stats(extended_engine, "tahun berapa paling banyak kasus tppo").plain_text
    assert ranking.splitlines()[1] == f"1. {year}: {added_year_yaml['total']} kasus"
    assert extended_engine.reply_to_action(f"stats:year:{year}") is not None
