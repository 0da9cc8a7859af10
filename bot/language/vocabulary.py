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

