"""Contact details and identifying numbers never reach the database."""

from __future__ import annotations

import pytest

from bot.storage.scrub import EMAIL, HANDLE, LINK, NUMBER, PHONE, scrub


@pytest.mark.parametrize(
    "phone",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.7890",
        "0812 345 678",
        "+6281234567890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "+62 (812) 3456-7890",
        "6281234567890",
        "62 812 3456 7890",
        "812-3456-7890",
        "(0541) 736123",
        "0541-736-123",
    ],
)
def test_phone_numbers_in_many_formats(phone: str) -> None:
    assert scrub(f"tolong hubungi {phone} ya") == f"tolong hubungi {PHONE} ya"


@pytest.mark.parametrize(
    "email", ["siti@example.com", "a.b+lowongan@gmail.co.id", "AGEN_KERJA99@Yahoo.COM"]
)
def test_email_addresses(email: str) -> None:
    assert scrub(f"kirim cv ke {email}.") == f"kirim cv ke {EMAIL}."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nik saya 6471020304050001 benar?", f"nik saya {NUMBER} benar?"),
        ("nik 6471 0203 0405 0001", f"nik {NUMBER}"),
        ("nik 6471-0203-0405-0001", f"nik {NUMBER}"),
        ("transfer ke rek BCA 1234567890 a.n. agen", f"transfer ke rek BCA {NUMBER} a.n. agen"),
        ("rekening 123-456-7890", f"rekening {NUMBER}"),
        ("paspor A1234567 ditahan", f"paspor A{NUMBER} ditahan"),
        ("bayar Rp5000000", f"bayar Rp{NUMBER}"),
    ],
)
def test_identity_and_account_numbers(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize("handle", ["@agen_kerja", "@Lowongan.Malaysia", "@ab"])
def test_social_media_handles(handle: str) -> None:
    assert scrub(f"akun {handle} menawari kerja") == f"akun {HANDLE} menawari kerja"


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/lowongan?id=5",
        "http://agen.co.id",
        "www.kerja-luar-negeri.com",
        "t.me/lowongan_kerja",
        "wa.me/6281234567890",
        "bit.ly/xyz123",
        "s.id/kerja",
        "linktr.ee/agen",
        "lowongankerja.id",
        "tinyurl.com",
    ],
)
def test_links(link: str) -> None:
    assert scrub(f"lihat {link} dulu") == f"lihat {LINK} dulu"


@pytest.mark.parametrize(
    "text",
    [
        "berapa kasus TPPO tahun 2020-2023 di Samarinda?",
        "gaji dijanjikan 5.000.000 per bulan, umur saya 19 tahun",
        "apa itu TPPO dll.dan bagaimana melapor",
        "kerja di kapal 2 tahun tanpa gaji",
    ],
)
def test_ordinary_questions_keep_their_wording(text: str) -> None:
    assert scrub(text) == text


def test_several_details_in_one_message() -> None:
    text = (
        "Agen @siti_agen (0812-3456-7890, siti@contoh.id) minta NIK 6471020304050001 via bit.ly/x"
    )
    assert scrub(text) == f"Agen {HANDLE} ({PHONE}, {EMAIL}) minta NIK {NUMBER} via {LINK}"


def test_whitespace_is_collapsed_and_length_capped() -> None:
    assert scrub("  apa\n\nitu   TPPO \t ") == "apa itu TPPO"
    capped = scrub("kata " * 200)
    assert len(capped) == 300
    assert capped.endswith("…")
    assert len(scrub("abc " * 10, limit=10)) <= 10


def test_a_number_at_the_cut_is_scrubbed_before_cutting() -> None:
    text = "x" * 295 + " 081234567890"
    assert "0812" not in scrub(text)
