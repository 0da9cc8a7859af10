"""The engine's promises: danger first, honest fallback, valid Telegram HTML, working actions."""

from __future__ import annotations

import pytest

from bot.content.bundle import ContentBundle
from bot.content.channels import shows_numbers
from bot.content.telegram_html import MAX_MESSAGE_LENGTH, html_problems
from bot.engine.engine import Engine
from bot.engine.reply import Intent, Reply

EMERGENCIES = [
    "tolong saya disekap majikan, berapa kasus tppo di bontang?",
    "adik sy dikurung di mess gk bs plg",
    "apa itu tppo? saya sekarang dipukuli bos dan tidak boleh keluar",
    "HELP saya diculik",
]


def _channel_numbers(content: ContentBundle, ids: list[str]) -> list[str]:
    numbers = []
    for channel_id in ids:
        channel = content.channels_by_id[channel_id]
        numbers += [n for n in (channel.phone, channel.whatsapp) if n]
    return numbers


@pytest.mark.parametrize("text", EMERGENCIES)
def test_emergency_comes_first_with_the_numbers(engine: Engine, content: ContentBundle,
                                                text: str) -> None:
    reply = engine.reply_to(text)
    assert reply.intent is Intent.EMERGENCY
    first_lines = reply.plain_text[:600]
    for number in _channel_numbers(content, content.messages.emergency.channels):
        assert number in first_lines
    assert "luar negeri" in reply.plain_text
    assert reply.sensitive
    assert any(b.action == "exit" for row in reply.buttons for b in row)


def test_an_emergency_story_that_asks_gets_the_answer_after_the_numbers(
        engine: Engine, content: ContentBundle) -> None:
    text = ("Adik saya kerja di Sabah, sekarang dikurung majikan dan dipukuli tiap hari, paspornya "
            "ditahan. Kami sudah lapor ke polsek tapi belum ada kabar. Sebenarnya apa yang "
            "terjadi setelah kami melapor?")
    reply = engine.reply_to(text)
    assert reply.intent is Intent.EMERGENCY and reply.sensitive
    assert reply.faq_id is not None
    entry = content.faqs_by_id[reply.faq_id]
    numbers = _channel_numbers(content, content.messages.emergency.channels)
    plain = reply.plain_text
    assert max(plain.index(n) for n in numbers) < plain.index(entry.question)
    actions = [b.action for row in reply.buttons for b in row]
    assert "exit" in actions and f"fb:{entry.id}:1" in actions
    assert html_problems(reply.html) == []


def test_a_cry_for_help_that_asks_nothing_gets_the_emergency_block_alone(
        engine: Engine) -> None:
    reply = engine.reply_to("saya disekap majikan sudah seminggu, paspor saya ditahan")
    assert reply.intent is Intent.EMERGENCY and reply.faq_id is None


def test_questions_about_danger_are_not_emergencies(engine: Engine) -> None:
    reply = engine.reply_to("apa hukuman bagi pelaku yang menyekap korban perdagangan orang?")
    assert reply.intent is not Intent.EMERGENCY


@pytest.mark.parametrize("text", [  # "tolong" alone is an emergency (test_emergency.py)
    "kerja", "jual", "perdagangan", "kapal", "samarinda", "balikpapan",
    "jual motor bekas di samarinda", "tolong kirim resep soto banjar", "kapal ke surabaya kapan",
])
def test_single_topic_words_do_not_pull_off_topic_messages_in(engine: Engine, text: str) -> None:
    reply = engine.reply_to(text)
    assert reply.intent in {Intent.FALLBACK, Intent.SMALLTALK}, (text, reply.faq_id)


def test_fallback_is_honest_and_always_gives_help_channels(engine: Engine,
                                                           content: ContentBundle) -> None:
    reply = engine.reply_to("bagaimana cara menanam cabai di pot")
    assert reply.intent is Intent.FALLBACK
    assert "belum yakin" in reply.plain_text
    assert content.channels_by_id["sapa-129"].phone in reply.plain_text


def test_unsure_questions_get_close_suggestions(engine: Engine) -> None:
    reply = engine.reply_to("restitusi itu sama kayak ganti rugi perdata bukan sih, beda nggak?")
    answered = (reply.intent, reply.faq_id) == (Intent.FAQ, "restitusi")
    suggested = reply.intent is Intent.FALLBACK and "restitusi" in reply.suggestions
    assert answered or suggested, (reply.intent, reply.faq_id, reply.suggestions)


def _all_replies(engine: Engine, content: ContentBundle) -> list[Reply]:
    actions = ["menu", "start", "faq-categories", "channels", "emergency", "privacy", "help",
               "about", "stats"]
    actions += [f"faq:{f.id}" for f in content.faq.faqs]
    actions += [f"cat:{c.id}:0" for c in content.faq.categories]
    actions += [f"stats:year:{y}" for y in content.years_by_number]
    actions += [f"stats:region:{r}" for r in content.regions_by_id]
    replies = [engine.reply_to_action(a) for a in actions]
    assert all(r is not None for r in replies)
    return [r for r in replies if r is not None]


def test_every_reply_is_valid_telegram_html_and_fits(engine: Engine,
                                                     content: ContentBundle) -> None:
    for reply in _all_replies(engine, content):
        assert html_problems(reply.html) == [], reply.html[:200]
        assert len(reply.html) <= MAX_MESSAGE_LENGTH


def test_unknown_actions_are_refused_quietly(engine: Engine) -> None:
    for action in ["faq:tidak-ada", "cat:x:0", "cat:modus:99", "stats:year:1999", "stats:zz",
                   "", "💥", "cat:modus:-1", "stats:region:jakarta"]:
        assert engine.reply_to_action(action) is None


def test_faq_reply_offers_related_feedback_and_channels(engine: Engine) -> None:
    reply = engine.reply_to("apa itu tppo")
    actions = [b.action for row in reply.buttons for b in row]
    assert "fb:apa-itu-tppo:1" in actions and "fb:apa-itu-tppo:0" in actions
    assert any(a and a.startswith("faq:") for a in actions)


def test_user_text_is_never_echoed_as_markup(engine: Engine) -> None:
    for text in ["<b>halo</b>", "a & b < c", "<a href='x'>klik</a> tppo apa"]:
        assert html_problems(engine.reply_to(text).html) == []


@pytest.mark.parametrize("text", ["kamu siapa", "ini bot apa sih", "kamu robot ya?",
                                  "anda manusia atau bot?"])
def test_questions_about_the_bot_itself(engine: Engine, text: str) -> None:
    reply = engine.reply_to(text)
    assert (reply.intent, reply.faq_id) == (Intent.FAQ, "tentang-bot")


def test_a_story_that_mentions_years_and_cases_is_not_a_question_for_numbers(
        engine: Engine) -> None:
    reply = engine.reply_to(
        "Sidang kasus TPPO yang menjerat calo di desa kami digelar bulan depan dan saya "
        "dipanggil jadi saksi tahun ini. Apakah ada lembaga yang melindungi saksi seperti saya?")
    assert reply.intent is Intent.FAQ and reply.faq_id == "perlindungan-saksi"
    assert engine.reply_to("berapa kasus tppo di samarinda tahun 2023?").intent is Intent.STATS


def test_local_help_is_for_the_topic_not_for_any_request_for_help(engine: Engine) -> None:
    flood = engine.reply_to("Rumah kami di Samarinda terendam banjir sejak subuh dan kulkas "
                            "rusak. Bantuan untuk korban banjir bisa didapat di mana?")
    assert flood.intent is Intent.FALLBACK
    assert engine.reply_to("saya di Berau, lapor TPPO ke mana?").faq_id == "layanan-kaltim"


def test_a_story_asking_where_to_turn_gets_its_own_answer_with_the_local_services(
        engine: Engine) -> None:
    """The lost fee is the question; the services of the town named follow the answer."""
    reply = engine.reply_to(
        "Bulan Maret saya setor 9 juta ke sebuah PT di Balikpapan supaya diberangkatkan kerja "
        "ke Korea. Sampai sekarang tidak ada kabar keberangkatan, kantornya sudah kosong. "
        "Uang saya bisa kembali tidak, dan harus lapor ke mana?")
    assert (reply.intent, reply.faq_id) == (Intent.FAQ, "agen-kabur-uang")
    assert "Layanan di Balikpapan" in reply.html
    assert engine.reply_to("saya di Balikpapan, lapor TPPO ke mana?").faq_id == (
        "layanan-kaltim")


def test_a_number_for_another_public_service_is_not_answered_with_trafficking_services(
        engine: Engine, content: ContentBundle) -> None:
    """"nomor pln balikpapan": a place and "nomor", but not a question for this bot."""
    region = content.stats.regions[0].name.lower()
    for service in content.faq.places.other_services:
        reply = engine.reply_to(f"nomor {service} {region} berapa")
        assert reply.faq_id != "layanan-kaltim", service
    assert engine.reply_to(f"saya di {region}, nomor layanan korban tppo berapa?").faq_id == (
        "layanan-kaltim")


@pytest.mark.parametrize(("text", "channel_id"), [
    ("nomor kpai berapa", "kpai"),
    ("kontak komnas perempuan", "komnas-perempuan"),
    ("nomor pengaduan bp2mi berapa", "kp2mi"),
    ("nomor kbri kuala lumpur berapa", "kbri-kuala-lumpur"),
])
def test_a_service_asked_for_by_name_gets_its_contact(engine: Engine, content: ContentBundle,
                                                      text: str, channel_id: str) -> None:
    """Not a fallback, and not an answer about something else ("kontak" is not "hilang
    kontak"): the channel itself, with its numbers."""
    reply = engine.reply_to(text)
    channel = content.channels_by_id[channel_id]
    assert reply.intent is Intent.FAQ
    assert channel.name in reply.plain_text
    for number in _channel_numbers(content, [channel_id]) if shows_numbers(channel) else []:
        assert number in reply.plain_text


def test_a_named_service_does_not_replace_an_answer_that_lists_it(engine: Engine) -> None:
    assert engine.reply_to("nomor sapa 129 berapa").faq_id == "hotline-sapa-129"
