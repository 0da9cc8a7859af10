"""Is the writer, or someone near them, in danger right now? Checked before anything else.

A message is an emergency when it names a danger (confined, beaten, threatened, abducted,
unable to leave...) and points at a real person or at the present ("saya", "adik saya",
"sekarang", "tolong"). Questions *about* such acts ("apa hukuman menyekap orang?") are not.
Missing a real emergency costs far more than a false alarm, so ties go to emergency.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.language.normaliser import NormalisedText
from bot.language.stemming import stem

STRONG_DANGER_STEMS = frozenset(
    """sekap kurung kunci pukul aniaya siksa ancam culik perkosa setrum sandera bunuh
    gebuk hajar tonjok tampar tendang cambuk lecehkan leceh jebak tebus bius
    ngunci nyekap ngurung mukul mukulin gebukin nyiksa ngancam ngancem nyulik nyandera
    locked trapped beaten beat beating kidnapped kidnap abducted hostage raped abused hit hurt
    screaming""".split()
)
WEAK_DANGER_STEMS = frozenset(
    """paksa tahan jual jaga sita hilang kabur lari takut kejar ambil bawa maksa awas
    forced""".split()
)
ALARM_TOKENS = frozenset("help sos darurat urgent bahaya emergency please".split())
PLEA_TOKENS = frozenset("tolong tlg bantu".split())
PERSON_TOKENS = frozenset(
    """saya aku gue gua sy aq ak ulun kami kita my me i we
    adik adek kakak abang anak istri suami teman kawan sepupu ibu ayah bapak keluarga tetangga
    keponakan ponakan cucu pacar cewek perempuan gadis sister brother friend daughter son wife
    orang us our neighbour neighbor girls girl boy children kids""".split()
)
NOW_TOKENS = frozenset(
    "sekarang barusan lagi sedang tadi malam ini segera cepat now currently".split()
)
LEAVE_STEMS = frozenset("pulang keluar kabur pergi lari turun bulik lepas leave out escape".split())
NEGATIONS = frozenset("tidak tak gak nggak enggak ga kada ndak gk never cannot cant not".split())
SHORT_MESSAGE_TOKENS = 3
HYPOTHETICAL_TOKENS = frozenset(
    "apa apakah hukuman pasal definisi arti pengertian ciri contoh termasuk seandainya "
    "misalnya umumnya biasanya".split()
)


def _cannot_leave(tokens: Sequence[str]) -> bool:
    """'tidak bisa pulang', 'gak boleh keluar', 'kada kawa bulik' and the like."""
    for position, token in enumerate(tokens):
        if stem(token) in LEAVE_STEMS and any(
            t in NEGATIONS for t in tokens[max(0, position - 3) : position]
        ):
            return True
    return False


class EmergencyDetector:
    def is_emergency(self, normalised: NormalisedText) -> bool:
        tokens = normalised.tokens
        if not tokens:
            return False
        token_set = set(tokens)
        stems = {stem(t) for t in tokens}
        strong = len(stems & STRONG_DANGER_STEMS) + _cannot_leave(tokens)
        weak = len(stems & WEAK_DANGER_STEMS)
        alarm = bool(token_set & ALARM_TOKENS)
        plea = bool(token_set & PLEA_TOKENS)
        person = bool(token_set & PERSON_TOKENS)
        now = bool(token_set & NOW_TOKENS)
        asking_in_general = bool(token_set & HYPOTHETICAL_TOKENS) and not (alarm or now)
        if strong and (alarm or now or plea):
            return True
        if strong and (not asking_in_general or len(tokens) <= SHORT_MESSAGE_TOKENS):
            return True
        if strong >= 2 and person:
            return True
        if not weak or asking_in_general:
            return False
        if alarm or (weak >= 2 and person):
            return True
        return person and (now or plea)
