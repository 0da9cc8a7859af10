"""The adapter's small pure parts: callback data, deep links, mentions, logging, URLs."""

from __future__ import annotations

import io
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine.engine import Engine
from bot.engine.reply import Button, Intent, Reply
from bot.telegram.app import file_base_url
from bot.telegram.deeplinks import action_for_payload, faq_payload
from bot.telegram.groups import without_mention
from bot.telegram.keyboards import (
    CALLBACK_DATA_MAX_BYTES,
    decode_callback_data,
    encode_action,
    is_browse_list,
    reply_markup,
    without_actions,
)
from bot.telegram.logging_setup import TokenRedactingFilter
from bot.telegram.webhook import webhook_path
from tests.fake_bot_api import TOKEN


def engine_actions(engine: Engine) -> set[str]:
    """Every action on every button the engine can produce from its pages and answers."""
    content = engine.knowledge.content
    starts = ["start", "menu", "faq-categories", "stats", "channels", "emergency", "privacy",
              "help", "about", *(f"faq:{f.id}" for f in content.faq.faqs),
              *(f"cat:{c.id}:{p}" for c in content.faq.categories for p in range(5)),
              *(f"stats:year:{y}" for y in content.years_by_number),
              *(f"stats:region:{r}" for r in content.regions_by_id)]
    actions: set[str] = set()
    for start in starts:
        reply = engine.reply_to_action(start)
        if reply is not None:
            actions |= {b.action for row in reply.buttons for b in row if b.action}
    return actions


def test_every_engine_action_fits_in_callback_data(engine: Engine) -> None:
    actions = engine_actions(engine)
    assert {"exit", "safe", "faq-categories", "fb:apa-itu-tppo:1", "chart:overview:"} <= actions
    for action in actions:
        data = encode_action(action)
        assert data is not None and len(data.encode()) <= CALLBACK_DATA_MAX_BYTES, action
        assert decode_callback_data(data) == action


@given(st.text(max_size=100))
def test_decoding_never_raises_and_only_accepts_our_format(data: str) -> None:
    action = decode_callback_data(data)
    if action is not None:
        assert data == f"v1|{action}" and action.isascii()


def test_too_long_actions_are_dropped_not_sent() -> None:
    reply = Reply(Intent.FAQ, "x", ((Button("a", action="faq:" + "x" * 70),
                                     Button("b", action="menu")),
                                    (Button("c", url="https://example.org"),)))
    markup = reply_markup(reply)
    assert markup is not None
    assert [[b.text for b in row] for row in markup.inline_keyboard] == [["b"], ["c"]]


def test_feedback_row_removal_keeps_the_rest() -> None:
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton("➡️", callback_data="v1|faq:unsur-tppo")],
        [InlineKeyboardButton("👍", callback_data="v1|fb:apa-itu-tppo:1"),
         InlineKeyboardButton("👎", callback_data="v1|fb:apa-itu-tppo:0")],
        [InlineKeyboardButton("WA", url="https://wa.me/62811")],
    ])
    rows = without_actions(markup, "fb:").inline_keyboard
    assert [[b.text for b in row] for row in rows] == [["➡️"], ["WA"]]


def test_only_pure_navigation_is_replaced_in_place(engine: Engine) -> None:
    def markup(action: str) -> InlineKeyboardMarkup | None:
        reply = engine.reply_to_action(action)
        assert reply is not None
        return reply_markup(reply)

    assert is_browse_list(markup("faq-categories"))
    assert is_browse_list(markup("cat:modus:0"))
    assert not is_browse_list(markup("menu"))
    assert not is_browse_list(markup("faq:apa-itu-tppo"))
    assert not is_browse_list(None)


def test_deep_link_payloads_round_trip(engine: Engine) -> None:
    for entry in engine.knowledge.content.faq.faqs:
        payload = faq_payload(entry.id)
        assert payload is not None and len(payload) <= 64
        assert action_for_payload(payload) == f"faq:{entry.id}"
    assert faq_payload("x" * 61) is None
    assert action_for_payload("darurat") == "emergency"
    assert action_for_payload("Statistik") == "stats"
    assert action_for_payload("bukan/payload") is None
    assert action_for_payload("a" * 65) is None


@pytest.mark.parametrize(("text", "question"), [
    ("@TppoKaltimTestBot apa itu tppo", "apa itu tppo"),
    ("apa itu tppo @tppokaltimtestbot?", "apa itu tppo ?"),
    ("@TppoKaltimTestBotLain halo", "@TppoKaltimTestBotLain halo"),
    ("  cara lapor  ", "cara lapor"),
])
def test_mentions_are_stripped(text: str, question: str) -> None:
    assert without_mention(text, "TppoKaltimTestBot") == question


def test_logging_never_shows_the_token() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TokenRedactingFilter(TOKEN))
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
        logger.warning("other bot: https://api.telegram.org/bot987654:abcDEF_ghi-jkl/getMe")
        logger.warning("bare token %s", TOKEN)
        try:
            raise ConnectionError(f"cannot reach /bot{TOKEN}/getUpdates")
        except ConnectionError:
            logger.exception("polling failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert "abcDEF_ghi-jkl" not in output
    assert output.count("[REDACTED]") == 4


@pytest.mark.parametrize(("base", "files"), [
    ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
    ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
    ("http://localhost:9000/custom/", "http://localhost:9000/file/bot"),
])
def test_file_url_follows_the_api_url(base: str, files: str) -> None:
    assert file_base_url(base) == files


def test_webhook_path_comes_from_the_url() -> None:
    assert webhook_path("https://bot.example.org/telegram/hook/") == "/telegram/hook"
    assert webhook_path("https://bot.example.org") == "/"
