"""The emergency detector: the words people are told to type, narratives, and near misses.

Whole-set recall and false alarms on the development sets are in test_the_dev_sets_*; the single
cases here pin each rule of bot/language/emergency.py so a change to one shows which broke.
"""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from bot.content.bundle import ContentBundle
from bot.content.emergency_check import danger_vocabulary, emergency_instructions
from bot.content.loader import EMERGENCY_FILE, load_content
from bot.engine.engine import Engine
from bot.engine.knowledge import Knowledge
from bot.engine.reply import Intent
from bot.language.word_forms import word_forms
from tests.conftest import DATA_DIR, knowledge_of
from tests.content_copy import ContentCopy

DEV_SETS = {name: YAML(typ="safe").load((DATA_DIR / name).read_text(encoding="utf-8"))
            for name in ("dev_emergency.yaml", "dev_emergency_2.yaml", "dev_emergency_3.yaml",
                         "dev_emergency_4.yaml", "dev_emergency_5.yaml", "dev_emergency_6.yaml",
                         "dev_emergency_7.yaml", "dev_emergency_8.yaml", "dev_emergency_9.yaml",
                         "dev_emergency_10.yaml", "dev_emergency_11.yaml")}
MAX_DEV_FALSE_ALARMS = {"dev_emergency_4.yaml": 4, "dev_emergency_5.yaml": 5,
                        "dev_emergency_7.yaml": 3, "dev_emergency_8.yaml": 3,
                        "dev_emergency_9.yaml": 5}
"""Per set, 2 unless named. dev_emergency_4's near misses are the hardest: a receptionist whose
job is 'melayani tamu', news about 'ABK' (read 'anak buah kapal') 'sekarang', and an agent named
many words before 'tidak bisa dihubungi' with 'tolong' or 'masih' in the message. In
dev_emergency_5, a thesis, a novel and a press report told in the first person, a father's past
('dulu ... sekarang apakah') and a mother imagining her daughter beaten. In dev_emergency_7, a
mother who reads news of people sold, a mine's mess locked at night by company rule, and a
tanker crew not allowed ashore for six months. In dev_emergency_8, a boarding school's rules, a
husband at a mine who called back ('nomor darurat' is the typed word), and a holiday ferry
ticket 'dijual' in a sentence about the children. In dev_emergency_9, stories of a film, a novel
and an old case whose writer speaks in the next sentence (sentence ends are not seen)."""
MAX_DEV_MISSED = {"dev_emergency_8.yaml": 2, "dev_emergency_9.yaml": 1}
"""Per set, none unless named. dev_emergency_8 tells danger without its words; left: a woman to
be fetched tomorrow for Cambodia whose KTP was taken, and a girl fetched at night by different
men (both read as worries, not yet events). dev_emergency_9 (long stories ending in a calm
question): a bride abroad whose story starts 'tahun lalu' and never says 'sekarang'."""


def _typed_words(content: ContentBundle) -> list[str]:
    """What pesan.yaml tells people in danger to type, read from the content itself."""
    texts = {key: value for key, value in content.messages.model_dump().items()
             if isinstance(value, str)}
    vocabulary = danger_vocabulary(content.emergency_signals.model_dump())
    return sorted({word for _, _, word in emergency_instructions(texts, vocabulary)})


def test_the_welcome_tells_people_in_danger_what_to_type(content: ContentBundle) -> None:
    assert _typed_words(content), "no 'Ketik <b>…</b>' instruction found next to danger words"


@pytest.mark.parametrize("variant", ["{}", "{upper}", "{}!", "{upper}!!!", "tolong {}",
                                     "{} pak", "  {}  ", "{}, tolong segera", "{title}?"])
def test_every_word_the_content_tells_people_to_type_gets_the_emergency_reply(
        engine: Engine, content: ContentBundle, variant: str) -> None:
    for word in [*_typed_words(content), *content.emergency_signals.ketik.kata]:
        text = variant.format(word, upper=word.upper(), title=word.title())
        reply = engine.reply_to(text)
        assert reply.intent is Intent.EMERGENCY, (text, reply.intent, reply.faq_id)
        assert reply.html == engine.reply_to_action("emergency").html


@pytest.mark.parametrize(("text", "signal"), [
    ("kami kerja tidak manusiawi tiap hari diintimidasi mandor, tolong bebaskan kami", "ancaman"),
    ("help, bahaya", "bahaya"),
    ("saya harus lunasi utang 10 juta dulu baru boleh pulang, sekarang disuruh kerja di bar",
     "utang-untuk-pulang"),
    ("majikan memukul saya tiap hari dan cuma kasih makan sekali sehari", "kekerasan"),
    ("adik saya pergi sama orang tidak dikenal, sejak kemarin tidak bisa dihubungi",
     "hilang-kontak"),
    ("paspor ditahan agen, kami tidak bisa pulang", "tidak-boleh-pergi"),
    ("ulun dikurung, kada kawa bulik", "dikurung"),
    ("sy gk dipukul tp dikunci dr luar", "dikurung"),
    ("majikan memukul saya tiap hari, apakah ini termasuk tppo?", "kekerasan"),
    ("saya disekap majikan, ini bukan berita bohong, apa yang harus saya lakukan", "dikurung"),
    ("kabur dari mess, bos sedang cari aku", "kabur-dari"),
    ("aku kabur dari kapal, mandor mencari aku", "dicari-pelaku"),
    ("saya tidak bisa kabur dari majikan", "tidak-boleh-pergi"),
    ("kami dipenjara di kapal", "dikurung"),
    ("disuruh duduk sama tamu", "dipaksa"),
    ("kalau saya pergi, adik saya akan dicelakai", "ancaman"),
    ("bos mengancam memecat saya dan memukul saya tiap hari", "kekerasan"),
    ("saya dijual ke germo, sekarang tidak boleh keluar", "dipaksa"),
    ("kata suami saya di kapal kalau istirahat dipukul mandor pakai selang", "kekerasan"),
    ("ada akun instagram menawarkan anak kelas 2 smp, katanya bisa dijemput malam ini",
     "dipaksa"),
    ("adik saya pergi sama orang yang ngaku agen dua hari lalu, sejak kemarin hp mati",
     "hilang-kontak"),
    ("anak saya dulu pernah kabur dari rumah, tapi sekarang sudah 5 hari tidak pulang sejak "
     "pamit ketemu kenalan facebook", "hilang-kontak"),
    ("keponakan saya kerja di perusahaan game online di kamboja, disuruh menipu, kalau tidak "
     "capai target disetrum", "kekerasan"),
    ("perusahaan minta keluarga bayar ganti rugi kontrak 40 juta baru dia boleh pulang",
     "utang-untuk-pulang"),
    ("pintu kamar cuma bisa dibuka dari luar, kuncinya dipegang mandor", "dikurung"),
    ("abk di kapal itu sudah setahun tidak boleh naik ke darat", "dikurung"),
    ("kalau target kurang kami dijemur di lapangan sampai pingsan", "kekerasan"),
    ("sy d jual ke cafe, bos blg hrs lns dl br blh plg", "dipaksa"),
    ("dia bilang foto saya akan disebar kalau saya pulang, sekarang saya di hotel", "ancaman"),
    ("hp kami dikumpulkan mandor, kalau telepon dia ikut dengar semua", "dokumen-ditahan"),
    ("bu saya tidak tahu ini di mana, mobilnya jalan terus", "diculik"),
    ("murid saya dibawa pamannya kerja di kapal, kalau menolak dia dipukul, sampai sekarang "
     "masih di sana. apakah ini termasuk eksploitasi anak?", "kekerasan"),
    ("saya tidak bohong pak, madam pukul saya pakai sapu sampai berdarah", "kekerasan"),
    ("agen bilang kalau saya mengadu ke kbri saya akan dipenjara", "ancaman"),
    ("dibawa ke pulau, tidak ada perahu untuk pulang, mandor bawa pistol", "tidak-boleh-pergi"),
    ("kakak saya berangkat ke malaysia bulan februari. sejak maret tidak ada kabar sama "
     "sekali, kami takut dia kenapa-kenapa", "hilang-kontak"),
    ("adikku lagi video call sama om om dari game, om itu nyuruh dia buka baju", "dipaksa"),
    ("dia bilang kalau aku gak dateng besok fotonya disebar ke grup sekolah", "ancaman"),
    ("anak saya dichat pacar online, disuruh kabur malam ini, sekarang sudah tidak ada di "
     "kamar", "dibawa-orang-asing"),
    ("tadi ada gadis kabur dari tempat penampungan, orang yang mengejarnya masih mencari di "
     "sekitar sini", "kabur-dari"),
    ("kami diperlakukan seperti budak di kebun, tolong", "dipaksa"),
    ("tolong aku lagi di truk, mau diseberangkan, aku gak mau, aku gak tahu ini di mana",
     "diculik"),
])
def test_narratives_raise_the_alarm_with_the_signal_that_made_it(
        knowledge: Knowledge, text: str, signal: str) -> None:
    assessment = knowledge.emergency.assess(knowledge.normaliser.normalise(text))
    assert assessment.emergency, assessment
    assert signal in assessment.signals, assessment


@pytest.mark.parametrize(("text", "reason"), [
    ("apa ancaman pidana menyekap orang", "general-question"),
    ("hukuman bagi pelaku penculikan", "general-question"),
    ("saya baca berita orang disekap di kamboja, apa hukumannya", "general-question"),
    ("saya nonton film tentang pekerja yang dipukul majikan, apakah itu termasuk tppo",
     "general-question"),
    ("dulu saya pernah dikurung, sekarang sudah aman, bagaimana minta restitusi", "over"),
    ("dulu dikurung majikan, sudah pulang tapi masih trauma, ada konseling?", "over"),
    ("tahun lalu saya dijual ke tempat hiburan, sekarang saya sudah keluar, bisa lapor?", "over"),
    ("tahun 2020 kakak saya pernah disekap di sabah, bisakah dia melapor?", "past"),
    ("pinjol ngancam sebar foto saya ke kontak", "off-topic"),
    ("saya tidak dipukul, cuma gajinya telat", "no-danger"),
    ("saya takut disekap kalau kerja ke malaysia", "no-danger"),
    ("anak saya mau berangkat, saya takut nanti dia disekap atau dijual", "no-danger"),
    ("anak saya tidak mau pulang dari rumah neneknya", "no-danger"),
    ("paspor saya disimpan agen untuk urus visa", "weak-signal-alone"),
    ("kata sponsor paspor saya yang urus, ini tanda bahaya bukan?", "no-danger"),
    ("berapa tahun ancaman penjara untuk orang yang menahan paspor", "general-question"),
    ("bos saya mengancam memecat saya kalau terlambat lagi", "no-danger"),
    ("saya diancam putus sama pacar kalau tidak ikut", "no-danger"),
    ("motor saya mau dijual, ada yang minat?", "no-danger"),
    ("tim kami dipukul mundur di semifinal kemarin", "no-danger"),
    ("aku dikurung monster di level 12 game ini, tolong kasih tips", "off-topic"),
    ("tadi aku nonton film tentang tppo, ceritanya perempuan yang dijual ke rumah bordil",
     "general-question"),
    ("berita hari ini: para pekerja kapal mengaku dipukul mandor", "general-question"),
    ("dulu waktu kerja di arab saya sering dipukul, tapi itu sudah lama, sekarang saya buka "
     "warung", "over"),
    ("kata acil itu jual beli budak kaya jaman bahari, masih ada kah?", "no-danger"),
    ("ponakan saya dijual ke karaoke dan baru diselamatkan bulan lalu, haknya apa?", "over"),
    ("gimana cara pelaku pakai tawaran kerja buat menjebak orang?", "general-question"),
    ("saya penasaran, kerja paksa itu contohnya seperti apa?", "general-question"),
    ("lagi viral di facebook ada anak diculik buat dijual organnya, benar tidak?",
     "general-question"),
    ("pelaku yang menyekap kakak saya sudah disidang, bisa minta ganti rugi?", "over"),
    ("kakak saya di sabah paspornya hilang, dia mau pulang, urusnya bagaimana?",
     "weak-signal-alone"),
    ("saya mau kerja ke brunei lewat jalan tikus, bahaya kah?", "weak-signal-alone"),
    ("kami mau penyuluhan soal bahaya tppo, siapa lagi yang perlu diundang?", "no-danger"),
    ("nomor admin tidak aktif sampai sekarang, uang saya bagaimana?", "no-danger"),
    ("daging kambing dipukul dulu biar empuk ya?", "no-danger"),
    ("anjing saya diikat di belakang rumah, boleh dilepas malam?", "no-danger"),
    ("striker kita dikunci bek lawan sepanjang babak pertama", "no-danger"),
    ("di pelajaran sejarah kami belajar tentang kerja rodi zaman belanda", "general-question"),
    ("pesawat delay, penumpang tidak boleh keluar ruang tunggu, bisa minta kompensasi?",
     "off-topic"),
    ("anak saya kena demam berdarah, rumah sakit mana yang bagus?", "no-danger"),
    ("apakah saya akan dipenjara kalau kerja di malaysia tanpa permit?", "no-danger"),
    ("tolong info jadwal kapal dari tawau, saya mau pulang lebaran", "off-topic"),
    ("aku lagi baca novel tentang perempuan yang paspornya ditahan, sedih banget",
     "general-question"),
    ("ada webtoon tentang cewek dikurung manajernya, ada rekomendasi yang mirip?",
     "general-question"),
    ("kami mau menuntut agen yang dulu menjual anak kami, ada bantuan hukum gratis?", "over"),
    ("suami saya mau kerja lagi ke sabah, tapi kali ini lewat jalur resmi, jangan seperti dulu "
     "yang serba sembunyi", "weak-signal-alone"),
    ("kemarin kakak saya tidak bisa dihubungi, tapi barusan dia sudah telepon", "over"),
    ("tahun lalu saya disekap di mes dan diselamatkan polisi, sekarang saya kuliah", "over"),
    ("kasus adik saya yang dulu dipukul majikan sedang ditangani penyidik, haknya apa?",
     "over"),
    ("apakah kawin kontrak bisa membuka jalan perempuan dijual ke luar negeri?", "no-danger"),
    ("mau lapor penjualan satwa, ada yang jual anak orangutan di grup", "off-topic"),
    ("keponakan saya yang dulu dipaksa menipu di Kamboja sekarang di penampungan KBRI, "
     "apakah dia bisa dipidana?", "over"),
])
def test_questions_past_events_and_near_misses_do_not(knowledge: Knowledge, text: str,
                                                      reason: str) -> None:
    assessment = knowledge.emergency.assess(knowledge.normaliser.normalise(text))
    assert (assessment.emergency, assessment.reason) == (False, reason), assessment


@pytest.mark.parametrize("text", ["tolong", "help", "TOLONGG!!", "tolong saya kak", "help me",
                                  "tlg kami pak", "tolong bantu saya sekarang"])
def test_a_plea_sent_alone_raises_the_alarm(knowledge: Knowledge, text: str) -> None:
    assessment = knowledge.emergency.assess(knowledge.normaliser.normalise(text))
    assert (assessment.emergency, assessment.reason) == (True, "plea-alone"), assessment


@pytest.mark.parametrize("text", ["tolong jelaskan apa itu tppo", "tolong info lowongan",
                                  "tolong saya mau tanya syarat paspor", "bantu saya",
                                  "terima kasih sudah menolong saya"])
def test_a_plea_inside_a_question_does_not(knowledge: Knowledge, text: str) -> None:
    assert not knowledge.emergency.is_emergency(knowledge.normaliser.normalise(text)), text


@pytest.mark.parametrize("text", ["agennya tidak bisa dihubungi sejak kemarin",
                                  "agen saya tidak bisa dihubungi, tolong",
                                  "nomor sponsor tidak aktif sudah seminggu, saya bingung"])
def test_an_agent_out_of_reach_is_a_worry_not_a_danger(knowledge: Knowledge, text: str) -> None:
    assert not knowledge.emergency.is_emergency(knowledge.normaliser.normalise(text)), text


@pytest.mark.parametrize("text", [
    "agennya tidak bisa dihubungi dan adik saya tidak pulang sejak kemarin",
    "anak saya dibawa agen tidak bisa dihubungi sejak kemarin",
])
def test_out_of_reach_still_counts_beside_another_sign_or_a_relative(
        knowledge: Knowledge, text: str) -> None:
    assessment = knowledge.emergency.assess(knowledge.normaliser.normalise(text))
    assert assessment.emergency and "hilang-kontak" in assessment.signals, assessment


def test_what_is_still_going_on_overrides_the_past(knowledge: Knowledge) -> None:
    text = "dulu pernah coba kabur, sekarang saya masih dikurung"
    assert knowledge.emergency.is_emergency(knowledge.normaliser.normalise(text))


def test_two_strong_signals_outweigh_an_off_topic_word(knowledge: Knowledge) -> None:
    text = "dc pinjol datang ke rumah, memukul saya dan mengancam membunuh"
    assert knowledge.emergency.is_emergency(knowledge.normaliser.normalise(text))


def test_a_plea_now_with_two_kinds_of_danger_outweighs_an_off_topic_word(
        knowledge: Knowledge) -> None:
    text = "tolong anak saya dibawa lari orang yang dia kenal dari game, tadi hpnya mati"
    assessment = knowledge.emergency.assess(knowledge.normaliser.normalise(text))
    assert assessment.emergency, assessment


@pytest.mark.parametrize("name", DEV_SETS)
@pytest.mark.parametrize("expected", [True, False])
def test_the_dev_sets_emergencies_are_found_with_few_false_alarms(
        knowledge: Knowledge, expected: bool, name: str) -> None:
    wrong = [q["text"] for q in DEV_SETS[name] if q["emergency"] is expected
             and knowledge.emergency.is_emergency(knowledge.normaliser.normalise(q["text"]))
             is not expected]
    if expected:
        assert len(wrong) <= MAX_DEV_MISSED.get(name, 0), wrong
    else:
        assert len(wrong) <= MAX_DEV_FALSE_ALARMS.get(name, 2), wrong


@pytest.mark.parametrize("name", DEV_SETS)
def test_the_dev_set_is_large_and_balanced(name: str) -> None:
    dev_set = DEV_SETS[name]
    emergencies = sum(q["emergency"] for q in dev_set)
    assert len(dev_set) >= 60
    assert emergencies >= 30 and len(dev_set) - emergencies >= 30


def test_staff_can_add_a_signal_without_code(content_copy: ContentCopy) -> None:
    text = "saya dijadikan kurir narkoba oleh bos"
    before = load_content(content_copy.folder).bundle
    assert before is not None
    knowledge = knowledge_of(before, content_copy.folder.parent)
    assert not knowledge.emergency.is_emergency(knowledge.normaliser.normalise(text))
    content_copy.insert_after(EMERGENCY_FILE, r"^tanda_bahaya:",
                              '  - id: kurir-paksa\n    arti: "dijadikan kurir narkoba"\n'
                              '    kekuatan: kuat\n    frasa: ["dijadikan kurir"]\n')
    after = load_content(content_copy.folder).bundle
    assert after is not None
    knowledge = knowledge_of(after, content_copy.folder.parent)
    assert knowledge.emergency.assess(knowledge.normaliser.normalise(text)).signals == (
        "kurir-paksa",)


def test_affixed_and_spoken_forms_are_generated() -> None:
    assert {"disekap", "menyekap", "nyekap", "penyekapan", "disekapnya"} <= word_forms("sekap")
    assert {"dipukuli", "memukul", "mukulin", "pemukulan"} <= word_forms("pukul")
    assert {"mengurung", "ngurung", "terkurung"} <= word_forms("kurung")
    assert {"menculik", "nyulik", "penculikan"} <= word_forms("culik")
    assert "kunci" not in word_forms("dikunci")
