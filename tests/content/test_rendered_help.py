"""Every answer, channel list and emergency reply as users read them: an unconfirmed number is
never shown, someone abroad always gets a number callable from there, answers fit a phone
screen, and a named regency or country brings its own services."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.content.bundle import ContentBundle
from bot.content.channels import UNCONFIRMED_MARK
from bot.content.consistency import answer_length
from bot.content.models import ANSWER_SOFT_LIMIT, Channel
from bot.engine.engine import Engine
from bot.engine.knowledge import Knowledge
from bot.engine.replies import ReplyBuilder
from bot.engine.reply import Intent, Reply
from bot.language.places import NO_PLACE, PlaceMention

CALLABLE_FROM_ABROAD = re.compile(r"\+\d[\d -]{7,}\d")


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _every_reply(content: ContentBundle, builder: ReplyBuilder) -> Iterator[tuple[str, Reply]]:
    for entry in content.faq.faqs:
        yield f"faq {entry.id}", builder.faq(entry)
    places = [NO_PLACE, *(PlaceMention(regions=(r.id,)) for r in content.stats.regions),
              *(PlaceMention(countries=(c.id,), abroad=True)
                for c in content.faq.places.countries)]
    for place in places:
        yield f"channels {place}", builder.channels(place)
        yield f"emergency {place}", builder.emergency(place)
    for region in content.stats.regions:
        yield f"faq layanan-kaltim {region.id}", builder.faq(
            content.faqs_by_id["layanan-kaltim"], places=PlaceMention(regions=(region.id,)))


def _shown_text(reply: Reply) -> str:
    """What a user can read or follow: the text and every button's label and link."""
    buttons = [f"{b.label} {b.url or ''}" for row in reply.buttons for b in row]
    return "\n".join([reply.plain_text, *buttons])


def _unconfirmed(content: ContentBundle) -> list[Channel]:
    return [c for c in content.faq.channels if c.status == "unconfirmed"]


def test_the_content_has_unconfirmed_channels_to_guard(content: ContentBundle) -> None:
    numbered = [c for c in _unconfirmed(content) if c.phone or c.whatsapp]
    assert numbered, "kemlu-hotline (2018 source) must stay unconfirmed until staff confirm it"


def test_no_unconfirmed_number_is_ever_shown(knowledge: Knowledge,
                                            content: ContentBundle) -> None:
    hidden = {c.id: [_digits(n) for n in (c.phone, c.whatsapp) if n]
              for c in _unconfirmed(content)}
    builder = ReplyBuilder(knowledge)
    for where, reply in _every_reply(content, builder):
        shown = _digits(_shown_text(reply))
        for channel_id, numbers in hidden.items():
            for number in numbers:
                assert number not in shown, f"{where} shows unconfirmed {channel_id}"


def test_an_unconfirmed_channel_is_always_marked(knowledge: Knowledge,
                                                 content: ContentBundle) -> None:
    builder = ReplyBuilder(knowledge)
    for where, reply in _every_reply(content, builder):
        for channel in _unconfirmed(content):
            for line in reply.plain_text.splitlines():
                if line.lstrip("• ").startswith(channel.name):
                    assert UNCONFIRMED_MARK in line, f"{where}: {line}"


def test_the_general_list_leaves_out_unconfirmed_and_local_channels(
        knowledge: Knowledge, content: ContentBundle) -> None:
    text = ReplyBuilder(knowledge).channels().plain_text
    for channel in content.faq.channels:
        listed = f"• {channel.name}" in text
        assert listed is (channel.status != "unconfirmed" and not channel.is_local), channel.id


def test_every_answer_fits_a_phone_screen_or_says_why(content: ContentBundle) -> None:
    too_long = {e.id: answer_length(e.answer, content.channels_by_id) for e in content.faq.faqs
                if answer_length(e.answer, content.channels_by_id) > ANSWER_SOFT_LIMIT
                and not e.long_reason}
    assert too_long == {}


def _country_messages(content: ContentBundle) -> Iterator[tuple[str, str]]:
    for country in content.faq.places.countries:
        for name in (country.name, *country.aliases):
            yield country.id, f"tolong saya dikurung majikan di {name}, tidak bisa pulang"


def test_an_emergency_abroad_shows_a_number_callable_from_there(
        engine: Engine, content: ContentBundle) -> None:
    checked = 0
    for country_id, message in _country_messages(content):
        reply = engine.reply_to(message)
        assert reply.intent is Intent.EMERGENCY, message
        assert CALLABLE_FROM_ABROAD.search(reply.plain_text), message
        missions = [c.name for c in content.faq.channels if country_id in c.countries]
        assert all(name in reply.plain_text for name in missions), message
        abroad_first = reply.plain_text.index("+") < reply.plain_text.index("110")
        assert abroad_first, f"numbers usable abroad come first: {message}"
        checked += 1
    assert checked >= 30


@pytest.mark.parametrize("message", [
    "aku lagi di kamboja dikurung di kantor, tolong",
    "tolong, saya di luar negeri dan paspor saya ditahan, tidak boleh keluar",
    "kakak saya disekap agen di kota kinabalu sekarang",
])
def test_the_reviews_examples_abroad(engine: Engine, message: str) -> None:
    reply = engine.reply_to(message)
    assert reply.intent is Intent.EMERGENCY
    assert "+62 21 29244800" in reply.plain_text


def test_every_callable_number_abroad_is_not_unconfirmed(content: ContentBundle) -> None:
    abroad = [content.channels_by_id[c] for c in content.messages.emergency.abroad_channels]
    assert any(c.phone and c.phone.startswith("+") and c.status != "unconfirmed"
               for c in abroad)


@pytest.mark.parametrize(("message", "regions", "services"), [
    ("layanan di Berau", ("berau",), True),
    ("saya di Samarinda, lapor ke mana", ("samarinda",), True),
    ("tolong adik saya disekap di tenggarong", ("kutai-kartanegara",), False),
    ("berapa kasus tppo di ppu tahun 2019", ("penajam-paser-utara",), False),
    ("kalau saya kerja di pabrik apakah aman", (), False),
    ("ditawari kerja kantor di balikpapan gaji besar", ("balikpapan",), False),
])
def test_place_detection(knowledge: Knowledge, message: str, regions: tuple[str, ...],
                         services: bool) -> None:
    normalised = knowledge.normaliser.normalise(message)
    found = knowledge.places.find(normalised)
    assert found.regions == regions
    assert found.countries == () and not found.abroad
    assert knowledge.places.asks_for_services(normalised) is services


@pytest.mark.parametrize(("message", "country"), [
    ("adik saya di tawau sabah", "malaysia"),
    ("kerja di phnom penh", "kamboja"),
    ("majikan di jeddah", "arab-saudi"),
    ("di hongkong", "hong-kong"),
])
def test_country_detection(knowledge: Knowledge, message: str, country: str) -> None:
    found = knowledge.places.find(knowledge.normaliser.normalise(message))
    assert found.countries == (country,) and found.abroad


@pytest.mark.parametrize(("message", "region"), [
    ("layanan di Berau", "berau"),
    ("saya di Samarinda, lapor ke mana", "samarinda"),
])
def test_a_named_regency_gets_its_own_services(engine: Engine, content: ContentBundle,
                                               message: str, region: str) -> None:
    reply = engine.reply_to(message)
    local = [c for c in content.faq.channels if region in c.regions]
    assert local
    assert all(c.name in reply.plain_text for c in local), reply.plain_text
    assert f"Layanan di {content.regions_by_id[region].name}" in reply.plain_text


def test_a_regency_named_in_an_emergency_gets_its_services(engine: Engine,
                                                           content: ContentBundle) -> None:
    reply = engine.reply_to("tolong adik saya disekap di Bontang sekarang")
    assert reply.intent is Intent.EMERGENCY
    for channel in (c for c in content.faq.channels if "bontang" in c.regions):
        assert channel.name in reply.plain_text
    other = next(c for c in content.faq.channels if "berau" in c.regions)
    assert other.name not in reply.plain_text


def test_every_region_has_local_services(content: ContentBundle) -> None:
    for region in content.stats.regions:
        kinds = {c.id.split("-")[0] for c in content.faq.channels if region.id in c.regions}
        assert "polres" in kinds and kinds & {"ppa", "uptd"}, region.id


def test_an_answer_that_points_to_a_button_has_one(knowledge: Knowledge,
                                                   content: ContentBundle) -> None:
    """"(tombol di bawah)" replaces a long channel expansion only where the button exists."""
    builder = ReplyBuilder(knowledge)
    pointing = [e for e in content.faq.faqs if "tombol di bawah" in e.answer]
    assert pointing
    for entry in pointing:
        reply = builder.faq(entry)
        assert any(b.url for row in reply.buttons for b in row), entry.id
