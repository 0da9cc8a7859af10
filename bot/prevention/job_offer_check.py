""""Cek Tawaran Kerja": a short yes/no/unsure walk through the warning signs of a job offer.

The conversation keeps no state anywhere: every button carries the answers so far and the
minute it was shown (`jc:<minute>:<answers>`), so answers are never stored, a restart or
another instance can continue it, and an abandoned check simply expires.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.content.channels import channel_summary, expand_placeholders
from bot.content.models import Channel
from bot.content.prevention_models import CheckQuestion, JobOfferCheckContent
from bot.engine.reply import Button, Intent, Reply

ACTION = "jc"
CANCEL_ACTION = "jc-cancel"
DEEP_LINK_PAYLOAD = "cektawaran"
JOB_OFFER_LEVEL = "job_offer_level"
"""Key in `Reply.extra` of a finished check; adapters record the level (never the answers)."""
ANSWER_CODES = {"y": "Ya", "n": "Tidak", "u": "Tidak tahu"}
_RISKY_CODE = {"ya": "y", "tidak": "n"}
_BASE = 36


class RiskLevel(StrEnum):
    LOW = "low"
    CHECK = "check"
    HIGH = "high"


@dataclass(frozen=True)
class CheckResult:
    level: RiskLevel
    score: float
    flagged: tuple[CheckQuestion, ...]
    unsure: tuple[CheckQuestion, ...]


def questions_for(content: JobOfferCheckContent, abroad_answer: str) -> list[CheckQuestion]:
    """The scored questions after the first one: a job in Indonesia skips visa and P3MI."""
    domestic = abroad_answer == "n"
    return [q for q in content.questions if not (domestic and q.abroad_only)]


def evaluate(content: JobOfferCheckContent, answers: str) -> CheckResult:
    """`answers` starts with the answer to the abroad question. Weighted warning signs; "not
    sure" counts half; a critical sign decides alone; any sign at all is never "low" (review
    finding R2: one sign is already enough to stop and check)."""
    flagged: list[CheckQuestion] = []
    unsure: list[CheckQuestion] = []
    score = 0.0
    critical = False
    for question, answer in zip(questions_for(content, answers[:1]), answers[1:], strict=False):
        if answer == _RISKY_CODE[question.risky_answer]:
            flagged.append(question)
            score += question.weight
            critical = critical or question.critical
        elif answer == "u":
            unsure.append(question)
            score += question.weight / 2
    if critical or score > content.check_max_score:
        level = RiskLevel.HIGH
    elif flagged or unsure:
        level = RiskLevel.CHECK
    else:
        level = RiskLevel.LOW
    return CheckResult(level, score, tuple(flagged), tuple(unsure))


def _encode_minute(minute: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while minute:
        minute, remainder = divmod(minute, _BASE)
        text = digits[remainder] + text
    return text or "0"


class JobOfferCheck:
    def __init__(
        self,
        content: JobOfferCheckContent,
        channels: Mapping[str, Channel],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._content = content
        self._channels = channels
        self._clock = clock

    def _now_minute(self) -> int:
        return int(self._clock() // 60)

    def _action(self, answers: str) -> str:
        return f"{ACTION}:{_encode_minute(self._now_minute())}:{answers}"

    def _expand(self, text: str) -> str:
        return expand_placeholders(text.strip(), self._channels)

    def start(self) -> Reply:
        return self._question_reply("", prefix=self._expand(self._content.intro) + "\n\n")

    def handle(self, action: str) -> Reply | None:
        """Reply to a `jc…` action; None for a malformed or expired one (the adapter apologises)."""
        if action == ACTION:
            return self.start()
        if action == CANCEL_ACTION:
            return None
        parts = action.split(":")
        if len(parts) != 3 or parts[0] != ACTION:
            return None
        _, minute_text, answers = parts
        try:
            issued = int(minute_text, _BASE)
        except ValueError:
            return None
        expired = self._now_minute() - issued > self._content.timeout_minutes
        total = self._total(answers)
        too_many = len(answers) > total
        from_the_future = issued > self._now_minute() + 1
        if expired or too_many or from_the_future or set(answers) - set(ANSWER_CODES):
            return None
        if len(answers) == total:
            return self._result_reply(answers)
        return self._question_reply(answers)

    def _total(self, answers: str) -> int:
        """How many answers this check takes: the abroad question plus what applies after it."""
        return 1 + len(questions_for(self._content, answers[:1]))

    def _question_reply(self, answers: str, prefix: str = "") -> Reply:
        position = len(answers)
        if position == 0:
            text = self._content.abroad_question
        else:
            text = questions_for(self._content, answers[:1])[position - 1].text
        title = f"<b>Pertanyaan {position + 1} dari {self._total(answers)}</b>"
        html = f"{prefix}{title}\n{self._expand(text)}"
        choices = tuple(Button(label, action=self._action(answers + code))
                        for code, label in ANSWER_CODES.items())
        navigation = [Button("✖️ Batal", action=CANCEL_ACTION)]
        if answers:
            navigation.insert(0, Button("⬅️ Kembali", action=self._action(answers[:-1])))
        return Reply(Intent.FAQ, html, (choices, tuple(navigation)), score=1.0)

    def _result_reply(self, answers: str) -> Reply:
        result = evaluate(self._content, answers)
        level = {RiskLevel.LOW: self._content.low, RiskLevel.CHECK: self._content.check,
                 RiskLevel.HIGH: self._content.high}[result.level]
        lines = [f"<b>{self._expand(level.title)}</b>", self._expand(level.text)]
        if result.flagged:
            lines.append("\n<b>Tanda bahaya:</b>")
            lines += [f"• {self._expand(q.reason)}" for q in result.flagged]
        to_verify = [*result.flagged, *result.unsure]
        if to_verify:
            lines.append("\n<b>Yang perlu dicek:</b>")
            lines += [f"• {self._expand(q.verify)}" for q in to_verify]
        lines.append("\n<b>Tempat bertanya:</b>")
        lines += [f"• {channel_summary(self._channels[c])}"
                  for c in self._content.channels if c in self._channels]
        rows = (
            (Button("📤 Bagikan cek ini", share_payload=DEEP_LINK_PAYLOAD,
                    share_text=self._content.share_text),),
            (Button("🔁 Ulangi", action=ACTION), Button("📋 Menu", action="menu")),
        )
        return Reply(Intent.FAQ, "\n".join(lines), rows, score=1.0,
                     extra={JOB_OFFER_LEVEL: result.level.value})
