"""The retention table users and staff read (/privasi, docs/PRIVACY.md) covers every table and
states the lifetimes the code enforces."""

from __future__ import annotations

import re

from bot.content.bundle import ContentBundle
from bot.settings import Settings
from bot.storage.models import DELETABLE_WINDOW, ERASURE_KEPT, Base
from bot.telegram.lifecycle import PURGE_INTERVAL
from tests.conftest import ROOT

DAYS_BY_TABLE = {
    "unanswered_questions": "unanswered_retention_days",
    "message_events": "event_retention_days",
    "feedback": "event_retention_days",
    "job_offer_checks": "event_retention_days",
    "job_ad_checks": "event_retention_days",
}


def test_every_database_table_has_a_lifetime(content: ContentBundle) -> None:
    listed = {table for row in content.privacy.retention for table in row.tables}
    assert set(Base.metadata.tables) - listed == set(), "add these tables to privasi.yaml"
    assert listed - set(Base.metadata.tables) == set(), "privasi.yaml names tables that are gone"


def test_lifetimes_match_what_the_purge_does(content: ContentBundle) -> None:
    defaults = Settings.model_fields
    for row in content.privacy.retention:
        for table in row.tables:
            if table in DAYS_BY_TABLE:
                days = defaults[DAYS_BY_TABLE[table]].default
                assert row.lifetime == f"{days} hari", table
            if table == "recent_messages":
                hours = int(DELETABLE_WINDOW.total_seconds() // 3600)
                assert row.lifetime == f"{hours} jam"
            if table == "erasures":  # kept an hour, then gone with the next daily purge
                hours = int((ERASURE_KEPT + PURGE_INTERVAL).total_seconds() // 3600)
                assert row.lifetime == f"paling lama {hours} jam"


def test_docs_and_privasi_page_show_the_same_table(content: ContentBundle) -> None:
    docs = (ROOT / "docs" / "PRIVACY.md").read_text(encoding="utf-8")
    assert content.privacy.retention_markdown() in docs, "regenerate the table in docs/PRIVACY.md"
    page = content.privacy.page_html()
    for row in content.privacy.retention:
        assert f"• {row.record} — {row.lifetime}" in page
    assert re.search(r"/privasi", content.faqs_by_id["privasi-data"].answer)
