"""Where the engine offers erasing and safe mode, and what /privasi says."""

from __future__ import annotations

from bot.engine.engine import Engine


def _actions(reply: object) -> set[str]:
    return {b.action for row in reply.buttons for b in row if b.action}  # type: ignore[attr-defined]


def test_emergency_and_reporting_replies_offer_quick_exit(engine: Engine) -> None:
    emergency = engine.reply_to("tolong saya disekap majikan")
    assert {"exit", "safe"} <= _actions(emergency)
    assert "Keluar cepat" in emergency.plain_text  # the one line saying the chat can be erased
    for action in ("channels", "faq:cara-melapor", "faq:lapor-polisi"):
        reply = engine.reply_to_action(action)
        assert reply is not None and "exit" in _actions(reply), action
    assert "exit" not in _actions(engine.reply_to_action("faq:apa-itu-tppo"))


def test_welcome_offers_safe_mode(engine: Engine) -> None:
    welcome = engine.reply_to_action("start")
    assert welcome is not None and "safe" in _actions(welcome)


def test_privacy_faq_points_to_the_one_generated_page(engine: Engine) -> None:
    faq = engine.reply_to_action("faq:privasi-data")
    page = engine.reply_to_action("privacy")
    assert faq is not None and page is not None
    assert "privacy" in _actions(faq) and "/privasi" in faq.plain_text
    privacy = engine.knowledge.content.privacy
    assert page.html.startswith(privacy.page_html().split("\n")[0])
    assert all(row.lifetime in page.plain_text for row in privacy.retention)
    assert "[nama]" in page.plain_text and "Mode aman" in page.plain_text
