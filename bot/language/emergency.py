"""Is the writer, or someone near them, in danger right now? Checked before anything else.

Every word comes from `content/darurat.yaml`; this module only knows what each section is for.
A message is read as a row of hits (a phrase, or a word in any affixed form), and each danger
signal is judged in its clause: "tidak dipukul" does not count, "tidak boleh pulang" does,
"takut disekap" is a fear. The message is then weighed as a whole: one strong signal, or two
weak ones with a real person, a plea or the present, is an emergency, unless it is a general
question about the law, something clearly over, or off-topic (a loan-app threat) with nothing
still going on. Missing a real emergency costs far more than a false alarm, so whatever points
at the present ("masih dikurung", "tolong saya", "darurat") overrides the cancelling context,
and the words the welcome tells people to type ("darurat"), or a plea sent alone ("tolong",
"help me"), always raise the alarm.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.content.emergency_models import DangerSignal, EmergencySignals, Terms
from bot.language.normaliser import NormalisedText
from bot.language.word_forms import word_forms

MAX_TOKENS = 1000
"""Bounded work: the normaliser already caps a message at 2,000 characters."""
NEGATION_REACH = 3
"""'tidak bisa pulang', 'tidak mengizinkan saya pulang'."""
POSSIBILITY_REACH = 2
"""'takut disekap', 'kalau nanti dipukul'."""
COMPANION_REACH = 6
"""How far a `bersama` word may be: 'paspor saya ditahan agen'."""
ONGOING_REACH = 3
"""'masih dikurung', 'tidak bisa dihubungi sejak kemarin' — but not '... tapi masih trauma'."""
PERSONAL_REACH = 6
"""'majikan memukul saya', 'adik saya dikurung': a strong signal that happens to someone real."""
MAX_TYPED_TOKENS = 8
"""'darurat', 'tolong darurat pak': the typed word with a few courtesy words."""
SHORT_PLEA_TOKENS = 5
"""'help bahaya', 'tolong dipaksa': a short cry needs no person or time to be believed."""
NOW_REACH = 8
"""'dikurung sekarang', 'tadi dipukul majikan'; but not 'saya nonton film tadi ... dijual'."""
ABOUT_REACH = 3
"""'agennya tidak bisa dihubungi', 'nomor agen tidak aktif', 'motor saya mau dijual'."""


class Role(StrEnum):
    """What a section of darurat.yaml does to the signals around it."""

    TYPED = "ketik"
    FILLER = "pengisi"
    PLEA = "minta_tolong"
    PLEA_ALONE = "sendirian"
    ALARM = "seru"
    WRITER = "penulis"
    PERSON = "orang"
    NOW = "sekarang"
    ONGOING = "masih"
    NEGATION = "ingkar"
    WISH = "kemauan"
    POSSIBILITY = "kemungkinan"
    GENERAL = "pertanyaan_umum"
    PAST = "sudah_lewat"
    OVER = "sudah_aman"
    OFF_TOPIC = "luar_topik"
    BOUNDARY = "pemisah"
    JOINER = "sambung"
    ORDINARY = "biasa"


_TYPED_COMPANIONS = frozenset({Role.TYPED, Role.FILLER, Role.PLEA, Role.ALARM, Role.WRITER,
                               Role.PERSON, Role.NOW})
"""What may stand beside a typed word or a plea sent alone: 'tolong saya kak sekarang'."""


@dataclass(frozen=True)
class Assessment:
    """The decision and why, for tests and for `ask --json`-style inspection."""

    emergency: bool
    reason: str
    signals: tuple[str, ...] = ()
    """Ids of the danger signals that counted, in darurat.yaml order."""


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    labels: frozenset[str]

    @property
    def is_phrase(self) -> bool:
        return self.end - self.start > 1


_SIGNAL = "signal:"


def _signal_label(signal_id: str) -> str:
    return f"{_SIGNAL}{signal_id}"


def _companion_label(signal_id: str) -> str:
    return f"with:{signal_id}"


def _about_label(signal_id: str) -> str:
    return f"about:{signal_id}"


_NAMES_PERSON = "names-person"
"""On a phrase with a person word in it ("menawarkan anak"): the danger is to that person, so
no `kecuali_tentang` word before it makes it about a thing ("akun facebook menawarkan anak")."""


class _TermIndex:
    """Words (every affixed form) and phrases (word for word) to the labels they carry."""

    def __init__(self, normalise: Callable[[str], NormalisedText]) -> None:
        self._normalise = normalise
        self._words: dict[str, frozenset[str]] = {}
        self._label_sets: dict[frozenset[str], frozenset[str]] = {}
        """One shared object per distinct set of labels: some 40,000 forms share a few dozen."""
        self._phrases: dict[tuple[str, str], list[tuple[tuple[str, ...], set[str]]]] = {}
        """Keyed by their first two words, so each position tries only a handful."""
        self._phrase_starts: set[str] = set()
        """First words of phrases: most positions start none, and skip building a key."""

    def add(self, terms: Iterable[str], label: str, *, exact: bool = False) -> None:
        """`exact` words match as written: pronouns take no affixes, and 'mengaku' (admit)
        is not the writer 'aku'."""
        for term in terms:
            tokens = self._normalise(term).tokens
            if len(tokens) == 1:
                for form in {tokens[0]} if exact else word_forms(tokens[0]):
                    labels = self._words.get(form, frozenset()) | {label}
                    self._words[form] = self._label_sets.setdefault(labels, labels)
            elif tokens:
                self._add_phrase(tokens, label)

    def _add_phrase(self, tokens: tuple[str, ...], label: str) -> None:
        """The person words must be in the index already (`EmergencyDetector` adds the roles
        before the danger signals)."""
        self._phrase_starts.add(tokens[0])
        entries = self._phrases.setdefault((tokens[0], tokens[1]), [])
        for phrase, labels in entries:
            if phrase == tokens:
                labels.add(label)
                return
        names_person = any(Role.PERSON in self._words.get(token, ()) for token in tokens)
        entries.append((tokens, {label, _NAMES_PERSON} if names_person else {label}))
        entries.sort(key=lambda entry: -len(entry[0]))

    def scan(self, tokens: Sequence[str]) -> list[_Hit]:
        """Left to right; a phrase takes its words, so 'ancaman pidana' is not a threat."""
        hits: list[_Hit] = []
        position = 0
        starts, last = self._phrase_starts, len(tokens) - 1
        while position <= last:
            token = tokens[position]
            pair = (token, tokens[position + 1]) if position < last and token in starts else None
            for phrase, labels in self._phrases.get(pair, ()) if pair else ():
                end = position + len(phrase)
                if tuple(tokens[position:end]) == phrase:
                    hits.append(_Hit(position, end, frozenset(labels)))
                    position = end
                    break
            else:
                labels = self._words.get(token)
                if labels:
                    hits.append(_Hit(position, position + 1, labels))
                position += 1
        return hits


class EmergencyDetector:
    def __init__(self, signals: EmergencySignals,
                 normalise: Callable[[str], NormalisedText]) -> None:
        self._signals = {signal.id: signal for signal in signals.tanda_bahaya}
        self._by_label = {_signal_label(signal.id): signal for signal in signals.tanda_bahaya}
        index = _TermIndex(normalise)
        index.add(signals.ketik.kata, Role.TYPED)
        index.add(signals.ketik.kata, Role.ALARM)
        index.add(signals.ketik.pengisi, Role.FILLER)
        index.add(signals.minta_tolong.sendirian, Role.PLEA_ALONE)
        index.add(signals.minta_tolong.sendirian, Role.PLEA)
        index.add(signals.biasa.frasa, Role.ORDINARY)
        for role in Role:
            terms = getattr(signals, role.value, None)
            if isinstance(terms, Terms):
                index.add([*terms.kata, *terms.frasa], role, exact=role is Role.WRITER)
        for signal in signals.tanda_bahaya:
            index.add([*signal.kata, *signal.frasa], _signal_label(signal.id))
            index.add(signal.bersama, _companion_label(signal.id))
            index.add(signal.kecuali_tentang, _about_label(signal.id))
        self._index = index

    def is_emergency(self, normalised: NormalisedText) -> bool:
        return self.assess(normalised).emergency

    def assess(self, normalised: NormalisedText) -> Assessment:
        tokens = normalised.tokens[:MAX_TOKENS]
        if not tokens:
            return Assessment(False, "empty")
        hits = self._index.scan(tokens)
        labels_at: list[frozenset[str]] = [frozenset()] * len(tokens)
        for hit in hits:
            for position in range(hit.start, hit.end):
                labels_at[position] = hit.labels
        if _alone_with_companions(Role.TYPED, tokens, labels_at):
            return Assessment(True, "typed-word")
        if _alone_with_companions(Role.PLEA_ALONE, tokens, labels_at):
            return Assessment(True, "plea-alone")
        return _decide(self._evidence(tokens, hits, labels_at))

    def _evidence(self, tokens: Sequence[str], hits: Sequence[_Hit],
                  labels_at: Sequence[frozenset[str]]) -> _Evidence:
        positions: dict[str, list[int]] = {}
        for hit in hits:
            for label in hit.labels:
                positions.setdefault(label, []).append(hit.start)
        terms: dict[str, set[tuple[str, ...]]] = {}
        personal = ongoing = now = False
        present = sorted(positions.get(Role.NOW, []) + positions.get(Role.ONGOING, []))
        for hit in hits:
            for label in hit.labels:
                signal = self._by_label.get(label)
                if signal is None or not self._counts(signal, hit, positions, labels_at):
                    continue
                terms.setdefault(signal.id, set()).add(tuple(tokens[hit.start : hit.end]))
                ongoing = ongoing or _near(positions.get(Role.ONGOING, []), hit.start,
                                           ONGOING_REACH)
                now = now or _near(present, hit.start, NOW_REACH)
                personal = personal or (signal.kekuatan == "kuat" and _told_by_writer(
                    positions.get(Role.WRITER, []), positions.get(Role.GENERAL, []), hit.start))
        counted = [signal for signal in self._signals.values() if signal.id in terms]
        return _Evidence(
            found=frozenset(label for hit in hits for label in hit.labels),
            counted=tuple(counted),
            weak_terms=sum(len(terms[s.id]) for s in counted if s.kekuatan == "lemah"),
            ongoing=ongoing, now=now, personal=personal, length=len(tokens))

    def _counts(self, signal: DangerSignal, hit: _Hit, positions: Mapping[str, list[int]],
                labels_at: Sequence[frozenset[str]]) -> bool:
        """Whether this occurrence of the signal is an event, in its own clause."""
        before = _clause_before(hit.start, labels_at)
        negation = _last_negation(before)
        feared = _clause_before(_first_of_alternatives(hit.start, labels_at), labels_at)
        if _possibility_before(feared, len(feared)) or (
                negation is not None and _possibility_before(before, negation)):
            return False
        if _NAMES_PERSON not in hit.labels and _about_someone_else(before,
                                                                  _about_label(signal.id)):
            return False
        wish_refused = negation is not None and any(Role.WISH in labels
                                                    for labels in before[negation + 1 :])
        if hit.is_phrase:
            # "saya tidak mau, saya tidak tahu ini di mana": the refusal is not a negation.
            return negation is None or wish_refused or signal.ingkar == "wajib"
        if signal.bersama and not _near(positions.get(_companion_label(signal.id), []),
                                         hit.start, COMPANION_REACH):
            return False
        if signal.ingkar == "batal":
            return negation is None
        return negation is not None and not wish_refused


def _first_of_alternatives(start: int, labels_at: Sequence[frozenset[str]]) -> int:
    """Where the first of a row of alternatives starts: in 'takut disekap atau dijual' the
    fear stands before 'disekap' and covers 'dijual' too."""
    while (start >= 2 and Role.JOINER in labels_at[start - 1]
           and any(label.startswith(_SIGNAL) for label in labels_at[start - 2])):
        start -= 2
    return start


def _clause_before(start: int, labels_at: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    """The labels of the words before `start`, back to the last clause boundary."""
    before = list(labels_at[max(0, start - NEGATION_REACH - POSSIBILITY_REACH) : start])
    for offset in range(len(before) - 1, -1, -1):
        if Role.BOUNDARY in before[offset]:
            return before[offset + 1 :]
    return before


def _last_negation(before: Sequence[frozenset[str]]) -> int | None:
    """Index in `before` of a negation at most NEGATION_REACH words back."""
    for offset in range(len(before) - 1, max(-1, len(before) - 1 - NEGATION_REACH), -1):
        if Role.NEGATION in before[offset]:
            return offset
    return None


def _near(positions: Sequence[int], position: int, reach: int) -> bool:
    """Whether a sorted list of positions has one within `reach` of `position`."""
    index = bisect_left(positions, position - reach)
    return index < len(positions) and positions[index] <= position + reach


def _told_by_writer(writers: Sequence[int], general: Sequence[int], position: int) -> bool:
    """A writer's word near the signal with no 'berita' or 'film' between them: 'majikan
    memukul saya' is personal, 'saya baca berita orang disekap' is not."""
    for writer in writers[bisect_left(writers, position - PERSONAL_REACH):]:
        if writer > position + PERSONAL_REACH:
            return False
        low, high = min(writer, position), max(writer, position)
        between = bisect_right(general, low)
        if between == len(general) or general[between] >= high:
            return True
    return False


def _about_someone_else(before: Sequence[frozenset[str]], about: str) -> bool:
    """'agennya tidak bisa dihubungi' is about the agent; 'anak saya dibawa agen tidak bisa
    dihubungi' names a relative in the same clause, so it is not."""
    return (any(about in labels for labels in before[-ABOUT_REACH:])
            and not any(Role.PERSON in labels for labels in before))


def _possibility_before(before: Sequence[frozenset[str]], end: int) -> bool:
    """'takut disekap', and 'biar saya tidak kabur' (looked for before the negation)."""
    return any(Role.POSSIBILITY in labels
               for labels in before[max(0, end - POSSIBILITY_REACH) : end])


def _alone_with_companions(role: Role, tokens: Sequence[str],
                           labels_at: Sequence[frozenset[str]]) -> bool:
    """'darurat', 'DARURAT!', 'tolong darurat pak' (the word the welcome tells people to
    type), or 'tolong', 'help me', 'tolong saya kak' (a plea with nothing else)."""
    if len(tokens) > MAX_TYPED_TOKENS or not any(role in labels for labels in labels_at):
        return False
    return all(labels & _TYPED_COMPANIONS for labels in labels_at)


@dataclass(frozen=True)
class _Evidence:
    found: frozenset[str]
    """Every label in the message (roles anywhere count message-wide)."""
    counted: tuple[DangerSignal, ...]
    """The danger signals that count, in darurat.yaml order."""
    weak_terms: int
    """Different weak words: 'tidak pulang' and 'tidak bisa dihubungi' are two."""
    ongoing: bool
    """'masih', 'sejak kemarin' next to a danger signal ('masih dikurung', not 'masih trauma')."""
    now: bool
    """A word of the present ('sekarang', 'tadi', 'masih') near a danger signal."""
    personal: bool
    """A strong signal next to the writer: a story, even when it ends 'apakah termasuk?'."""
    length: int


def _decide(evidence: _Evidence) -> Assessment:
    found, counted, ongoing = evidence.found, evidence.counted, evidence.ongoing
    if not counted:
        return Assessment(False, "no-danger")
    ids = tuple(signal.id for signal in counted)
    strong = [signal for signal in counted if signal.kekuatan == "kuat"]
    alarm = Role.ALARM in found
    plea = Role.PLEA in found
    now = Role.NOW in found or Role.ONGOING in found
    person = Role.WRITER in found or Role.PERSON in found
    pressing = alarm or ongoing or ((plea or now) and person)
    pressing_here = alarm or ongoing or ((plea or evidence.now) and person)
    """A general question is a story only when its present is the danger's: 'saya nonton film
    tadi ... dijual' is not, 'tadi majikan memukul saya' is."""
    if Role.OVER in found and not (alarm or ongoing):
        return Assessment(False, "over", ids)
    if Role.PAST in found and not (pressing or now):
        return Assessment(False, "past", ids)
    if Role.GENERAL in found and not (pressing_here or evidence.personal):
        return Assessment(False, "general-question", ids)
    if Role.OFF_TOPIC in found and not alarm and len(strong) < 2 and not (
            plea and now and len(counted) >= 2):
        # A plea, now, with two kinds of danger is not a loan-app complaint or a game: "tolong
        # adik saya dibawa lari om yang dikenal dari game, tadi teleponnya mati".
        return Assessment(False, "off-topic", ids)
    if strong:
        return Assessment(True, "strong-signal", ids)
    confirmed = (
        alarm
        or (evidence.weak_terms >= 2 and (person or plea or now))
        or (plea and (now or evidence.length <= SHORT_PLEA_TOKENS))
        or ((plea or now or ongoing) and person)
    )
    if confirmed:
        return Assessment(True, "weak-signals", ids)
    return Assessment(False, "weak-signal-alone", ids)
