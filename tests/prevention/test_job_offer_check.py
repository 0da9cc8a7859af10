"""The job-offer check: expected levels for safe, doubtful and dangerous offers; back, cancel and
expiry; and the answers live only in the buttons, never anywhere else."""

from __future__ import annotations

import pytest

from bot.content.bundle import ContentBundle
from bot.content.prevention_models import JobOfferCheckContent
from bot.engine.reply import Reply
from bot.prevention.job_offer_check import (
    CANCEL_ACTION,
    JobOfferCheck,
    RiskLevel,
    evaluate,
    questions_for,
)

ABROAD = "y"
"""First answer of every check: "is the job abroad?"; "y" asks every question."""


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def check_content(content: ContentBundle) -> JobOfferCheckContent:
    return content.job_offer_check


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def check(content: ContentBundle, clock: FakeClock) -> JobOfferCheck:
    return JobOfferCheck(content.job_offer_check, content.channels_by_id, clock)


def _safe_answers(content: JobOfferCheckContent, abroad: str = ABROAD) -> str:
    return abroad + "".join("n" if q.risky_answer == "ya" else "y"
                            for q in questions_for(content, abroad))


def _with_flags(content: JobOfferCheckContent, *ids: str, abroad: str = ABROAD) -> str:
    """Safe answers except the risky answer to the questions named."""
    answers = list(_safe_answers(content, abroad))
    for position, question in enumerate(questions_for(content, abroad), start=1):
        if question.id in ids:
            answers[position] = "y" if question.risky_answer == "ya" else "n"
    return "".join(answers)


def _press(reply: Reply, label: str) -> str:
    action = next(b.action for row in reply.buttons for b in row if b.label == label)
    assert action is not None
    return action


def _run(check: JobOfferCheck, answers: str) -> Reply:
    labels = {"y": "Ya", "n": "Tidak", "u": "Tidak tahu"}
    reply = check.start()
    for code in answers:
        next_reply = check.handle(_press(reply, labels[code]))
        assert next_reply is not None
        reply = next_reply
    return reply


def test_clearly_safe_offer_is_low_risk(check: JobOfferCheck,
                                        check_content: JobOfferCheckContent) -> None:
    reply = _run(check, _safe_answers(check_content))
    assert reply.extra["job_offer_level"] == RiskLevel.LOW.value
    assert check_content.low.title in reply.html


def test_doubtful_offer_needs_checking(check: JobOfferCheck,
                                       check_content: JobOfferCheckContent) -> None:
    answers = list(_safe_answers(check_content))
    answers[2] = "u"
    answers[4] = "u"
    reply = _run(check, "".join(answers))
    assert reply.extra["job_offer_level"] == RiskLevel.CHECK.value
    assert "Yang perlu dicek" in reply.html


def test_clearly_dangerous_offer_is_high_risk_with_reasons(
        check: JobOfferCheck, check_content: JobOfferCheckContent) -> None:
    risky = ABROAD + "".join("y" if q.risky_answer == "ya" else "n"
                             for q in check_content.questions)
    reply = _run(check, risky)
    assert reply.extra["job_offer_level"] == RiskLevel.HIGH.value
    assert all(q.reason.split(".")[0] in reply.plain_text for q in check_content.questions)


def test_a_single_critical_sign_is_high_risk(check_content: JobOfferCheckContent) -> None:
    answers = list(_safe_answers(check_content))
    critical = next(i for i, q in enumerate(check_content.questions, start=1) if q.critical)
    answers[critical] = "y" if check_content.questions[critical - 1].risky_answer == "ya" else "n"
    assert evaluate(check_content, "".join(answers)).level is RiskLevel.HIGH


def test_back_returns_to_the_previous_question(check: JobOfferCheck,
                                               check_content: JobOfferCheckContent) -> None:
    first = check.start()
    second = check.handle(_press(first, "Ya"))
    assert second is not None and "Pertanyaan 2" in second.html
    again = check.handle(_press(second, "⬅️ Kembali"))
    assert again is not None and "Pertanyaan 1" in again.html
    assert "luar negeri" in again.plain_text


def test_cancel_and_expiry(check: JobOfferCheck, clock: FakeClock,
                           check_content: JobOfferCheckContent) -> None:
    first = check.start()
    assert _press(first, "✖️ Batal") == CANCEL_ACTION
    pending = _press(first, "Ya")
    clock.now += (check_content.timeout_minutes + 1) * 60
    assert check.handle(pending) is None


@pytest.mark.parametrize("action", ["jc:zz:yyyyyyyyyyyyyyyyyyyy", "jc:!!:y", "jc:1:q", "jc::",
                                    "jc:9999999999:y", "jc"])
def test_forged_actions_are_refused_or_restart(check: JobOfferCheck, action: str) -> None:
    reply = check.handle(action)
    assert reply is None or "Pertanyaan 1" in reply.html


def test_buttons_fit_telegram_callback_limit(check: JobOfferCheck,
                                             check_content: JobOfferCheckContent) -> None:
    reply = _run(check, "u" * len(check_content.questions))
    for row in reply.buttons:
        for button in row:
            assert button.action is None or len(f"v1|{button.action}".encode()) <= 64


@pytest.mark.parametrize("question_id", ["kontrak-tertulis", "gaji-terlalu-tinggi",
                                         "rahasia-atau-buru-buru", "kenalan-media-sosial"])
def test_a_single_warning_sign_is_never_low(check: JobOfferCheck,
                                            check_content: JobOfferCheckContent,
                                            question_id: str) -> None:
    """Review finding R2: one sign is enough to stop and check, and 🟢 never lists a sign."""
    result = evaluate(check_content, _with_flags(check_content, question_id))
    assert result.level is RiskLevel.CHECK
    reply = _run(check, _with_flags(check_content, question_id))
    assert check_content.check.title in reply.html and check_content.low.title not in reply.html


def test_unlicensed_recruiter_with_tourist_visa_is_high(
        check_content: JobOfferCheckContent) -> None:
    """The Cambodia/Myanmar scam-compound recruitment profile."""
    answers = _with_flags(check_content, "perekrut-berizin", "visa-turis")
    assert evaluate(check_content, answers).level is RiskLevel.HIGH


def test_online_work_in_scam_destination_is_high(check_content: JobOfferCheckContent) -> None:
    answers = _with_flags(check_content, "tujuan-kerja-daring")
    assert evaluate(check_content, answers).level is RiskLevel.HIGH


def test_domestic_offer_skips_overseas_questions(check: JobOfferCheck,
                                                 check_content: JobOfferCheckContent) -> None:
    asked = [q.id for q in questions_for(check_content, "n")]
    assert "visa-turis" not in asked and "perekrut-berizin" not in asked
    assert "dokumen-dipegang" in asked
    reply = check.handle(_press(check.start(), "Tidak"))
    assert reply is not None
    assert f"dari {1 + len(asked)}" in reply.html
    for question in questions_for(check_content, "n"):
        assert question.text in reply.plain_text
        assert "visa" not in reply.plain_text.lower() and "P3MI" not in reply.plain_text
        reply = check.handle(_press(reply, "Tidak" if question.risky_answer == "ya" else "Ya"))
        assert reply is not None
    assert reply.extra["job_offer_level"] == RiskLevel.LOW.value


def test_domestic_offer_with_held_documents_is_high(check_content: JobOfferCheckContent) -> None:
    answers = _with_flags(check_content, "dokumen-dipegang", abroad="n")
    assert evaluate(check_content, answers).level is RiskLevel.HIGH


def test_low_text_never_promises_safety(check_content: JobOfferCheckContent) -> None:
    text = check_content.low.text.lower()
    assert "aman" not in text.replace("bukan jaminan", "") or "bukan jaminan" in text
    assert "tidak ada tanda bahaya" not in text
