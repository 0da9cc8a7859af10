"""Any text at all gives a reply that Telegram accepts: valid HTML, under the length limit."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content.telegram_html import MAX_MESSAGE_LENGTH, html_problems
from bot.engine.engine import Engine
from bot.engine.reply import Intent

FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(text=st.text(max_size=10_000))
def test_any_unicode_text_gets_a_valid_reply(engine: Engine, text: str) -> None:
    reply = engine.reply_to(text)
    assert isinstance(reply.intent, Intent)
    assert html_problems(reply.html) == []
    assert 0 < len(reply.html) <= MAX_MESSAGE_LENGTH
    assert 0.0 <= reply.score <= 1.0


@FUZZ
@given(words=st.lists(st.sampled_from(
    ["tppo", "tolong", "saya", "<b>", "&", "disekap", "berapa", "kasus", "2019", "bontang",
     "kerja", "🙏", "paspor", "gmn", "lapor", "</i>", "anak2", "kukar", "x" * 300]), max_size=40))
def test_domain_word_soup_gets_a_valid_reply(engine: Engine, words: list[str]) -> None:
    reply = engine.reply_to(" ".join(words))
    assert html_problems(reply.html) == []
    assert len(reply.html) <= MAX_MESSAGE_LENGTH


@FUZZ
@given(action=st.one_of(st.text(max_size=80), st.from_regex(
    r"(faq|cat|stats|jc|chart|fb)(:[a-z0-9-]{0,20}){0,3}", fullmatch=True)))
def test_random_actions_never_raise(engine: Engine, action: str) -> None:
    reply = engine.reply_to_action(action)
    assert reply is None or html_problems(reply.html) == []
