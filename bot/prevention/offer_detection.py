"""Does a message talk about a concrete job offer? Then the job-offer check is offered."""

from __future__ import annotations

from bot.language.normaliser import NormalisedText

OFFER_STEMS = frozenset("tawar ajak iming janji rekrut".split())
JOB_STEMS = frozenset("kerja lowong gaji agen sponsor calo majikan pabrik restoran".split())


def mentions_job_offer(normalised: NormalisedText) -> bool:
    """'adik saya ditawari kerja di malaysia', 'ada agen nawarin gaji 15 juta'."""
    stems = set(normalised.stems)
    tokens = set(normalised.tokens)
    offered = bool(stems & OFFER_STEMS) or bool(tokens & {"nawarin", "ditawarin", "nawari"})
    return offered and bool(stems & JOB_STEMS)
