"""How well the job-advertisement check reads a labelled set of job texts.

Each text is checked as if forwarded (the recogniser is measured separately: how many of the
texts it takes for an advertisement at all). Reported: scams at 🟡/🔴, the scam-compound
pattern at 🔴, real vacancies at 🔴, and precision and recall of every sign.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from bot.prevention.job_ad import JobAdReader, OfferLevel

SCAM_COMPOUND = "scam-compound"


@dataclass(frozen=True)
class LabelledAd:
    text: str
    scam: bool
    pattern: str
    signs: frozenset[str]


def read_labelled_ads(path: Path) -> list[LabelledAd]:
    entries = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return [LabelledAd(str(e["text"]), e["label"] == "scam", str(e.get("pattern", "none")),
                       frozenset(e.get("signs") or ())) for e in entries]


@dataclass
class SignScore:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float | None:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else None

    @property
    def recall(self) -> float | None:
        labelled = self.true_positive + self.false_negative
        return self.true_positive / labelled if labelled else None


@dataclass
class JobAdScores:
    total: int = 0
    scams: int = 0
    scams_flagged: int = 0
    compound: int = 0
    compound_red: int = 0
    legit: int = 0
    legit_red: int = 0
    recognised_forwarded: int = 0
    recognised_pasted: int = 0
    levels: Counter[str] = field(default_factory=Counter)
    signs: dict[str, SignScore] = field(default_factory=dict)

    def lines(self) -> list[str]:
        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"

        lines = [
            f"texts: {self.total} (scam {self.scams}, legit {self.legit})",
            f"recognised as a job ad: forwarded {share(self.recognised_forwarded, self.total)}, "
            f"pasted without a request {share(self.recognised_pasted, self.total)}",
            f"scams at medium/high: {share(self.scams_flagged, self.scams)}",
            f"scam-compound at high: {share(self.compound_red, self.compound)}",
            f"legit at high: {share(self.legit_red, self.legit)}",
            "levels: " + ", ".join(f"{k} {v}" for k, v in sorted(self.levels.items())),
            "",
            f"{'sign':<24} {'precision':>10} {'recall':>8}   tp  fp  fn",
        ]
        for sign_id in sorted(self.signs):
            score = self.signs[sign_id]
            precision = "–" if score.precision is None else f"{score.precision:.2f}"
            recall = "–" if score.recall is None else f"{score.recall:.2f}"
            lines.append(f"{sign_id:<24} {precision:>10} {recall:>8}  {score.true_positive:>3} "
                         f"{score.false_positive:>3} {score.false_negative:>3}")
        return lines


def score_job_ads(reader: JobAdReader, ads: list[LabelledAd],
                  sign_ids: list[str]) -> JobAdScores:
    scores = JobAdScores(signs={sign_id: SignScore() for sign_id in sign_ids})
    for ad in ads:
        assessment = reader.assess(ad.text)
        found = set(assessment.sign_ids)
        level = assessment.level
        scores.total += 1
        scores.levels[level.value] += 1
        scores.recognised_forwarded += reader.is_job_ad(ad.text, forwarded=True)
        scores.recognised_pasted += reader.is_job_ad(ad.text)
        if ad.scam:
            scores.scams += 1
            scores.scams_flagged += level is not OfferLevel.LOW
            if ad.pattern == SCAM_COMPOUND:
                scores.compound += 1
                scores.compound_red += level is OfferLevel.HIGH
        else:
            scores.legit += 1
            scores.legit_red += level is OfferLevel.HIGH
        for sign_id in found | ad.signs:
            score = scores.signs.setdefault(sign_id, SignScore())
            if sign_id in found and sign_id in ad.signs:
                score.true_positive += 1
            elif sign_id in found:
                score.false_positive += 1
            else:
                score.false_negative += 1
    return scores
