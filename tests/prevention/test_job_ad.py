"""Reading job advertisements: recognition, signs, pay, the verdict, and the content checks."""

from __future__ import annotations

import pytest

from bot.bench.job_ads import read_labelled_ads, score_job_ads
from bot.content.bundle import ContentBundle
from bot.content.loader import JOB_AD_FILE, load_content
from bot.engine.engine import Engine
from bot.engine.reply import Intent
from bot.prevention.ad_text import ad_text
from bot.prevention.job_ad import JobAdReader, OfferLevel
from bot.prevention.job_ad_check import OFFER_LEVEL, OFFER_SIGNS
from bot.prevention.pay import PayReader, parse_number
from tests.conftest import DATA_DIR
from tests.content_copy import ContentCopy

COMPOUND = ("LOKER 🔥 Admin CS online di Phnom Penh, gaji USD 1.500/bulan, tanpa pengalaman, "
            "tiket ditanggung, berangkat minggu depan. Chat WA 0812xxxxxxx")
REAL = ("LOWONGAN KERJA\nPT Sinar Sejahtera Abadi membuka lowongan kasir\nPenempatan: Bontang\n"
        "Syarat: SMA/SMK, pengalaman min. 1 tahun\nGaji Rp 3.800.000 + BPJS\n"
        "Kirim lamaran ke Jl. Pupuk Raya 5, Bontang atau hrd@sinarsejahtera.co.id")


@pytest.fixture(scope="module")
def reader(content: ContentBundle) -> JobAdReader:
    return JobAdReader(content.job_ads)


@pytest.fixture(scope="module")
def pay(content: ContentBundle) -> PayReader:
    return PayReader(content.job_ads.pay)


@pytest.mark.parametrize(("written", "value"), [
    ("1.500", 1500), ("1,500,000", 1500000), ("3,5", 3.5), ("4.5", 4.5), ("12.000.000", 12e6),
])
def test_thousands_separators_are_told_from_decimals(written: str, value: float) -> None:
    assert parse_number(written) == value


@pytest.mark.parametrize(("text", "millions"), [
    ("gaji usd 1.500", 24.0),
    ("gaji rp 8-12 jt/bulan", 12.0),
    ("upah rm 80/hari", 7.488),
    ("salary nt$ 30,000", 15.0),
    ("penghasilan 300rb per hari", 7.8),
    ("gaji 20jt", 20.0),
    ("gaji 2,5 juta per minggu", 10.75),
])
def test_pay_is_read_as_rupiah_per_month(pay: PayReader, text: str, millions: float) -> None:
    [amount] = pay.amounts(ad_text(text))
    assert amount.monthly_rupiah / 1e6 == pytest.approx(millions)


def test_everyday_words_are_not_currencies(pay: PayReader) -> None:
    [amount] = pay.amounts(ad_text("gaji real 5 juta, bukan hoax"))
    assert amount.monthly_rupiah == 5e6 and not amount.foreign


def test_numbers_far_from_a_pay_word_are_not_pay(pay: PayReader) -> None:
    assert pay.amounts(ad_text("usia 18-35 tahun, kuota 20 orang, biaya 5 juta")) == []


def test_pay_above_the_jobs_normal_range_is_a_sign(reader: JobAdReader) -> None:
    cashier = "Lowongan kasir PT Maju Jaya di Samarinda, gaji Rp {} per bulan, Jl. Ahmad Yani 3"
    assert "gaji-tidak-wajar" not in reader.assess(cashier.format("3.500.000")).sign_ids
    assert "gaji-tidak-wajar" in reader.assess(cashier.format("15.000.000")).sign_ids
    engineer = "PT Tambang Raya mencari engineer senior, gaji Rp 15.000.000, Jl. Sudirman 1"
    assert "gaji-tidak-wajar" not in reader.assess(engineer).sign_ids


def test_a_negation_just_before_cancels_a_sign(reader: JobAdReader) -> None:
    assert "biaya-di-muka" in reader.assess("ada biaya pendaftaran 500 ribu").sign_ids
    assert "biaya-di-muka" not in reader.assess("tidak ada biaya pendaftaran").sign_ids
    # the negation of another clause does not reach it
    assert "biaya-di-muka" in reader.assess("tanpa pengalaman, biaya pendaftaran 1 juta").sign_ids


def test_the_scam_compound_pattern_is_red(reader: JobAdReader) -> None:
    assessment = reader.assess(COMPOUND)
    assert assessment.level is OfferLevel.HIGH
    assert {"tujuan-berisiko", "gaji-tidak-wajar", "tanpa-pengalaman", "tiket-gratis",
            "terburu-buru", "kontak-chat-saja", "perusahaan-tidak-jelas"} <= set(
        assessment.sign_ids)


def test_official_features_are_named_but_never_lower_the_level(reader: JobAdReader) -> None:
    plain = reader.assess(COMPOUND)
    dressed = reader.assess(COMPOUND + "\nPT resmi berizin P3MI, program G to G, tanpa biaya.")
    assert {f.id for f in dressed.official} >= {"perusahaan-berizin", "g-to-g", "tanpa-biaya"}
    assert dressed.level is plain.level is OfferLevel.HIGH
    assert dressed.score >= plain.score - 2  # only the company sign may go; the rest stays


def test_a_real_vacancy_shows_no_major_sign(reader: JobAdReader) -> None:
    assessment = reader.assess(REAL)
    assert (assessment.level, assessment.sign_ids) == (OfferLevel.LOW, ())


@pytest.mark.parametrize(("text", "forwarded", "expected"), [
    (COMPOUND, True, True),
    (COMPOUND, False, True),
    (REAL, False, True),
    ("cek lowongan ini: kerja di malaysia gaji 8 juta, hubungi wa", False, True),
    ("kerja di malaysia gaji 8 juta", True, True),
    ("apa ciri lowongan kerja palsu?", False, False),
    ("apa ciri lowongan kerja palsu?", True, False),
    ("Saya ditawari kerja di Malaysia, gaji 8 juta, katanya tiket ditanggung dan nanti "
     "dihubungi lewat WA oleh agennya. Syaratnya cuma KTP. Bagaimana cara mengecek agen itu?",
     False, False),
    ("DIBUTUHKAN SEGERA!!! Pelayan restoran di Kuala Lumpur, wanita 18-30 thn, gaji RM 2500, "
     "tiket & paspor ditanggung, tanpa pengalaman. Hub WA admin. Ini aman ga kak?", False, True),
    ("Saya lihat iklan: dicari pelayan restoran di Kuala Lumpur, gaji RM 2500, tiket "
     "ditanggung, hub WA admin. Saya ragu. Ini aman ga kak?", False, False),
])
def test_recognition(reader: JobAdReader, text: str, forwarded: bool, expected: bool) -> None:
    assert reader.is_job_ad(text, forwarded=forwarded) is expected


def test_the_engine_checks_ads_after_emergencies(engine: Engine) -> None:
    reply = engine.reply_to(COMPOUND)
    assert reply.intent is Intent.JOB_OFFER
    assert reply.extra[OFFER_LEVEL] == "high"
    assert "tujuan-berisiko" in reply.extra[OFFER_SIGNS].split(",")
    assert "SISKOP2MI" in reply.html and "bukan jaminan" not in reply.html
    danger = "tolong saya disekap di kamboja, paspor ditahan. " + COMPOUND
    assert engine.reply_to(danger, forwarded=True).intent is Intent.EMERGENCY


def test_a_clean_ad_is_never_called_safe(engine: Engine) -> None:
    reply = engine.reply_to(REAL, forwarded=True)
    assert reply.extra[OFFER_LEVEL] == "low"
    assert "bukan jaminan aman" in reply.plain_text
    assert any(b.url and "siskop2mi" in b.url for row in reply.buttons for b in row)
    assert any(b.action == "jc" for row in reply.buttons for b in row)


def test_the_dev_set_meets_the_targets(content: ContentBundle, reader: JobAdReader) -> None:
    ads = read_labelled_ads(DATA_DIR / "dev_job_ads.yaml")
    assert len(ads) >= 40
    scores = score_job_ads(reader, ads, [s.id for s in content.job_ads.signs])
    assert scores.scams_flagged >= 0.9 * scores.scams
    assert scores.compound_red == scores.compound > 0
    assert scores.legit_red <= 0.1 * scores.legit


def test_a_broken_pattern_is_reported_at_its_line(content_copy: ContentCopy) -> None:
    line = content_copy.replace_line(JOB_AD_FILE, r'^      - "wa\\\\.me/"', '      - "wa(me"')
    result = load_content(content_copy.folder)
    assert result.bundle is None
    [problem] = [p for p in result.errors if p.file == JOB_AD_FILE]
    assert problem.line == line
    assert "pola (regex) 'wa(me' tidak sah" in problem.message


def test_references_and_thresholds_are_checked(content_copy: ContentCopy) -> None:
    content_copy.replace_line(JOB_AD_FILE, r"^medium_min_score:", "medium_min_score: 9")
    content_copy.replace_line(JOB_AD_FILE, r"^siskop2mi_channel:", "siskop2mi_channel: kp2mx")
    content_copy.replace_line(JOB_AD_FILE, r"^  sign: ", "  sign: gaji-aneh")
    messages = [p.message for p in load_content(content_copy.folder).errors
                if p.file == JOB_AD_FILE]
    assert any("high_min_score (6)" in m and "(9)" in m for m in messages)
    assert any("kanal 'kp2mx'" in m for m in messages)
    assert any("pay.sign 'gaji-aneh'" in m for m in messages)


def test_the_dev_set_is_not_the_frozen_set() -> None:
    dev = {ad.text for ad in read_labelled_ads(DATA_DIR / "dev_job_ads.yaml")}
    frozen = {ad.text for ad in read_labelled_ads(DATA_DIR / "frozen" / "job_ads.yaml")}
    assert not dev & frozen

