"""Greetings, thanks and goodbyes: short messages made only of courtesy words."""

from __future__ import annotations

from enum import StrEnum

from bot.language.normaliser import NormalisedText
from bot.language.vocabulary import STOPWORDS


class SmalltalkKind(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    FAREWELL = "farewell"


_WORDS: dict[SmalltalkKind, frozenset[str]] = {
    SmalltalkKind.GREETING: frozenset(
        """halo hallo hai hay hi hello hey helo pagi siang sore malam selamat assalamualaikum
        assalamu alaikum asalamualaikum waalaikumsalam walaikumsalam salam permisi punten
        kabar met start mulai""".split()
    ),
    SmalltalkKind.THANKS: frozenset(
        """terima kasih terimakasih makasih makasi trims thanks thank thx tq ty nuwun suwun
        tarima oke ok okey okay sip siap baik mantap membantu infonya info bermanfaat
        bantuannya jawabannya penjelasannya banar benar informasinya""".split()
    ),
    SmalltalkKind.FAREWELL: frozenset("dadah bye dah sampai jumpa daa".split()),
}
_FILLERS = frozenset(
    "wr wb warahmatullahi wabarakatuh banyak semua yaa ya you apa atas pian anda bot "
    "chatbot".split()
)
MAX_SMALLTALK_TOKENS = 8


def classify_smalltalk(normalised: NormalisedText) -> SmalltalkKind | None:
    """The courtesy a message is made of, or None when it carries anything else."""
    tokens = normalised.tokens
    if not tokens or len(tokens) > MAX_SMALLTALK_TOKENS:
        return None
    found: set[SmalltalkKind] = set()
    for token in tokens:
        kinds = {kind for kind, words in _WORDS.items() if token in words}
        if kinds:
            found |= kinds
        elif token not in STOPWORDS and token not in _FILLERS:
            return None
    for kind in (SmalltalkKind.THANKS, SmalltalkKind.FAREWELL, SmalltalkKind.GREETING):
        if kind in found:
            return kind
    return None


_BOT_WORDS = frozenset("kamu anda bot chatbot robot kau ikam".split())
_ABOUT_BOT_WORDS = _BOT_WORDS | frozenset(
    "siapa apa ini itu sih ya nih beneran asli manusia orang bisa bantu ngapain saja aja "
    "dibuat bikin punya siapakah apakah atau".split()
)


def asks_about_the_bot(normalised: NormalisedText) -> bool:
    """'kamu siapa', 'ini bot apa', 'kamu robot ya?': short questions about the bot itself."""
    tokens = set(normalised.tokens)
    return (bool(tokens & _BOT_WORDS) and bool(tokens & {"siapa", "apa", "siapakah", "apakah",
                                                          "ngapain", "robot", "manusia"})
            and tokens <= _ABOUT_BOT_WORDS and len(normalised.tokens) <= MAX_SMALLTALK_TOKENS)
