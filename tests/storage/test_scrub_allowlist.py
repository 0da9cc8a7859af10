"""Allowlist scrubbing: only words the bot knows are stored; names and places never are."""

from __future__ import annotations

import pytest

from bot.content.privacy_models import ScrubbingWords
from bot.engine.knowledge import Knowledge
from bot.language.known_words import KnownWords
from bot.language.stemming import is_indonesian_word
from bot.storage.report import group_similar, ngram_vector
from bot.storage.scrub import NAME, PLACE, WORD, scrub


@pytest.fixture(scope="module")
def known(knowledge: Knowledge) -> KnownWords:
    return knowledge.known_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("halo, nama saya Siti Aminah Rahmawati", f"halo, nama saya {NAME}"),
        ("nama agennya Budi Santoso", f"nama agennya {NAME}"),
        ("namanya indah", f"namanya {NAME}"),
        ("majikan saya Pak Hendra tidak bayar gaji", f"majikan saya Pak {NAME} tidak bayar gaji"),
        ("kerja di PT Sinar Abadi Jaya", f"kerja di PT {NAME}"),
        ("saya disekap di gang mawar", f"saya disekap di gang {PLACE}"),
        ("tinggal di mess Karya Utama jl. Cendana", f"tinggal di mess {PLACE} jl. {PLACE}"),
        ("berangkat dari pelabuhan Semayang", f"berangkat dari pelabuhan {PLACE}"),
        ("dia dibawa ke Tawau", f"dia dibawa ke {PLACE}"),
        ("kemarin Budi bilang begitu", f"kemarin {NAME} bilang begitu"),
        ("budi yang merekrut", f"{NAME} yang merekrut"),
        ("agen xqzwv menipu saya", f"agen {WORD} menipu saya"),
    ],
)
def test_names_places_and_unknown_words_are_replaced(known: KnownWords, text: str,
                                                     expected: str) -> None:
    assert scrub(text, known=known) == expected


@pytest.mark.parametrize(
    "text",
    [
        "bagaimana cara lapor kalau ditipu agen",
        "apakah bisa kerja di malaysia tanpa paspor",
        "berapa kasus TPPO di Samarinda tahun 2023?",
        "gmn cr lpr klo ditipu agen trs uangnya dibawa kabur",
        "Apa itu TPPO? Saya takut. Bagaimana cara lapor ke polisi",
    ],
)
def test_questions_made_of_known_words_keep_their_wording(known: KnownWords, text: str) -> None:
    assert scrub(text, known=known) == text


def test_given_names_in_the_dictionary_are_still_replaced(known: KnownWords) -> None:
    """Sastrawi's dictionary lists these as words; a name cue or the list catches them."""
    for name in ("siti", "budi", "dewi", "agus", "bambang"):
        assert is_indonesian_word(name)
        assert NAME in scrub(f"tadi {name} datang", known=known)
        assert scrub(f"nama saya {name.title()}", known=known) == f"nama saya {NAME}"


def test_the_lists_come_from_content_not_code() -> None:
    words = ScrubbingWords(function_words=["saya"], name_cues=["panggil saja"],
                           place_cues=["di"], common_names=["joko"])
    known = KnownWords.from_lists(words, content=["kerja"])
    assert scrub("panggil saja Mawar, kerja di Tenggarong", known=known) == (
        f"panggil saja {NAME}, kerja di {PLACE}")
    assert scrub("joko kerja", known=known) == f"{NAME} kerja"


def test_contact_details_still_become_their_own_tokens(known: KnownWords) -> None:
    text = "hubungi @agen_kaltim 0812-3456-7890 atau nik 6471020304050001"
    assert scrub(text, known=known) == "hubungi [akun] [nomor] atau nik [angka]"


def test_scrubbed_questions_still_group_together(knowledge: Knowledge) -> None:
    """The staff report stays useful: the same question from different people is one group."""
    questions = [
        "nama saya Siti, paspor saya ditahan agen di Tawau, bagaimana mengambilnya",
        "nama saya Budi, paspor saya ditahan agen di Kuching, bagaimana mengambilnya",
        "nama saya Dewi Lestari, paspor saya ditahan agen di Sabah, bagaimana mengambilnya",
        "cara menanam cabai di pot bagaimana",
    ]
    scrubbed = [scrub(q, known=knowledge.known_words) for q in questions]
    groups = group_similar(scrubbed, lambda t: ngram_vector(knowledge.normaliser, t))
    assert [len(group) for group in groups] == [3, 1]
    assert all("Siti" not in t and "Tawau" not in t for group in groups for t in group)
