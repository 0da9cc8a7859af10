"""Many users at once while Telegram refuses sends with 429 and 502: every question is answered
exactly once, in polling and in webhook mode, and storage counted every answer.

CI size by default; LOAD_USERS and LOAD_MESSAGES_PER_USER make it bigger or smaller
(`python -m bot bench load` runs it large and prints figures).
"""

from __future__ import annotations

import os
from http import HTTPStatus

import pytest

from bot.bench.load import MODES, LoadPlan, run_load, webhook_overrides
from bot.engine.engine import Engine
from tests.fake_bot_api import FakeBotApi
from tests.telegram.conftest import make_settings

USERS = int(os.environ.get("LOAD_USERS", "200"))
MESSAGES_PER_USER = int(os.environ.get("LOAD_MESSAGES_PER_USER", "10"))

# PTB reads RetryAfter.retry_after while building the 429 error, which warns about a future
# type change; nothing here reads it.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.mark.parametrize("mode", MODES)
async def test_every_question_is_answered_once_and_counted(api: FakeBotApi, engine: Engine,
                                                           mode: str) -> None:
    settings = make_settings(api, **webhook_overrides(mode))
    outcome = await run_load(api, settings, engine, LoadPlan(USERS, MESSAGES_PER_USER, mode))
    print("\n".join(outcome.lines()))
    assert outcome.faults[HTTPStatus.TOO_MANY_REQUESTS] > 0
    assert outcome.faults[HTTPStatus.BAD_GATEWAY] > 0
    assert (outcome.lost, outcome.repeated) == (0, 0), outcome.mismatches
    assert outcome.stored_intents == outcome.expected_intents
    assert outcome.recent_messages == outcome.expected_recent_messages
