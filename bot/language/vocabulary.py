"""Curated word lists. Sastrawi's stopword list drops question words ("bagaimana", "berapa")
that tell questions apart here, so this list keeps only true function words."""

from __future__ import annotations

STOPWORDS: frozenset[str] = frozenset(
    """
    yang di ke dari dan atau ini itu tersebut dengan untuk pada oleh dalam akan sudah telah juga
    saja pun lah kah tah nya sih dong deh nih tuh kok lho loh ya yah ah eh oh wah nah
    adalah ialah merupakan para sang si sebuah seorang suatu ada
    saya aku gue gua kami kita kamu anda engkau dia ia beliau mereka
    min admin kak bang pak bu mas mbak om tante bapak ibu
    mau ingin hendak bisa dapat boleh harus perlu tolong mohon minta
    kalau jika bila apabila kalo kl
    sangat banget sekali amat lebih paling cuma hanya
    tidak tak bukan belum jangan gak nggak
    tanya nanya bertanya pertanyaan
    """.split()
)


# Words that occur in trafficking questions but just as often elsewhere ("kerja", "kapal",
# "jual", a place). Sharing only these with an entry is not evidence the message is on topic.
GENERIC_TERMS: frozenset[str] = frozenset(
    """
    cara bisa bantu tolong ada kerja pekerjaan lowong loker jual beli dagang kapal paspor online
    buat bikin info informasi harga gaji daftar jadwal tiket pesawat kasus orang manusia uang
    biaya murah mahal aman baik benar salah gimana bagaimana apa kenapa mengapa siapa berapa
    kapan mana dimana tahu tau kata bilang sering banyak sedikit hari minggu bulan tahun baru
    lama tempat rumah kantor sekolah kota kabupaten provinsi daerah desa kampung negara negeri
    indonesia malaysia singapura arab luar dalam internasional nasional pusat ibu nusantara ikn
    kalimantan timur kaltim borneo jawa sulawesi sumatra pulau jalan naik turun pergi pulang
    datang masuk keluar urus cari dapat beri kasih minta pakai guna hubung nomor telepon
    whatsapp facebook instagram tiktok media sosial internet aplikasi hp
    polisi hukum syarat visa turis tips alamat imigrasi surat online job kerjaan
    """.split()
)
