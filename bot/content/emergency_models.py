"""Model of the danger signals (`darurat.yaml`): every word the emergency detector looks for.

The roles of the sections (what raises the alarm, what cancels it) are fixed here and in
bot/language/emergency.py; the words are staff's to extend.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from bot.content.models import ContentModel, Slug, Text

Word = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9]+$")]
Phrase = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9]+(?:[ -]+[a-z0-9]+)*$")
]


class Terms(ContentModel):
    """Single words (matched with their affixed forms) and phrases (matched word for word)."""

    kata: list[Word] = Field(default_factory=list)
    frasa: list[Phrase] = Field(default_factory=list)


class PleaTerms(Terms):
    """The plea words ("tolong", "bantu"), and those that are a cry for help when sent alone."""

    sendirian: list[Word] = Field(default_factory=list)
    """'tolong', 'tolong saya kak': alone with fillers, the writer or a person, an emergency.
    Also read as pleas in longer messages, so they may repeat `kata`."""


class TypedWords(ContentModel):
    """The words people are told to type when in danger ("Ketik darurat")."""

    kata: list[Word] = Field(min_length=1)
    pengisi: list[Word] = Field(default_factory=list)
    """Courtesy and filler words that may stand next to them ("darurat pak")."""


class DangerSignal(ContentModel):
    id: Slug
    arti: Text
    """What the signal means, for staff reading the file."""
    kekuatan: Literal["kuat", "lemah"]
    """kuat: enough alone; lemah: needs a second signal, a plea or the present."""
    kata: list[Word] = Field(default_factory=list)
    frasa: list[Phrase] = Field(default_factory=list)
    ingkar: Literal["wajib", "batal"] = "batal"
    """batal: "tidak dipukul" does not count; wajib: only "tidak boleh pulang" counts."""
    bersama: list[Phrase] = Field(default_factory=list)
    """When given, a word counts only with one of these nearby ("paspor ... ditahan")."""
    kecuali_tentang: list[Phrase] = Field(default_factory=list)
    """The signal does not count right after one of these: "AGENnya tidak bisa dihubungi" is
    a worry about an agent, not a person out of reach."""


class OrdinaryPhrases(ContentModel):
    """Everyday phrases that contain a danger word: 'tanda tangan', 'pukul 8'. Read first like
    any phrase, they take their words, so the danger word inside them is not read."""

    frasa: list[Phrase] = Field(default_factory=list)


class EmergencySignals(ContentModel):
    version: int = 1
    ketik: TypedWords
    tanda_bahaya: list[DangerSignal] = Field(min_length=1)
    minta_tolong: PleaTerms
    seru: Terms
    penulis: Terms
    """The writer: 'saya', 'kami'."""
    orang: Terms
    """Someone the writer knows: 'adik', 'teman'."""
    sekarang: Terms
    masih: Terms
    ingkar: Terms
    kemauan: Terms
    """"tidak mau pulang" is a wish, not a prohibition."""
    kemungkinan: Terms
    """"takut disekap", "kalau dipaksa": a fear or a case, not an event."""
    pertanyaan_umum: Terms
    sudah_lewat: Terms
    sudah_aman: Terms
    luar_topik: Terms
    pemisah: Terms
    sambung: Terms = Field(default_factory=Terms)
    """"atau": a fear before the first of two dangers covers both ("takut disekap atau
    dijual")."""
    biasa: OrdinaryPhrases = Field(default_factory=OrdinaryPhrases)
