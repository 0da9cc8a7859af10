"""The held-out routing check: honest (an example never helps itself), fast, and it catches an
example written under the wrong question."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot.cli.content_check import ROUTING_MODEL_DIR
from bot.content.bundle import ContentBundle
from bot.content.routing_check import RoutingReport, check_routing, routing_self_check
from bot.engine.knowledge import Knowledge
from bot.engine.reply import Intent
from tests.conftest import seed_model_store, with_only_faqs
from tests.content.conftest import run_content_check
from tests.content_copy import ContentCopy

NONSENSE = "blorft zxqvy kwanzig"
OTHER_NONSENSE = "qwpfh vrimk"
"""Shares no word and no character pair with NONSENSE, so neither can help the other."""
EMERGENCY = "tolong saya sekarang disekap majikan dan dipukul"
SMALL = ("apa-itu-tppo", "paspor-ditahan", "hukuman-pelaku", "cara-melapor", "restitusi",
         "syarat-pmi")


def _with_examples(bundle: ContentBundle, faq_id: str, *examples: str) -> ContentBundle:
    faqs = [f.model_copy(update={"examples": [*f.examples, *examples]}) if f.id == faq_id else f
            for f in bundle.faq.faqs]
    return dataclasses.replace(bundle, faq=bundle.faq.model_copy(update={"faqs": faqs}))


@pytest.fixture(scope="module")
def report(content: ContentBundle) -> RoutingReport:
    """The check of the real content, made once (it takes seconds)."""
    return check_routing(content)


def test_runs_in_seconds_and_reports_the_held_out_accuracy(content: ContentBundle,
                                                          report: RoutingReport) -> None:
    assert report.seconds < 30  # training included; generous for a loaded CI machine
    assert len(report.results) == sum(len(f.examples) for f in content.faq.faqs)
    assert 0 < report.accuracy <= 1
    assert re.search(r"Uji arah contoh: \d+ dari \d+ contoh \(\d+,\d%\)", report.summary())


@pytest.fixture(scope="module")
def added(content: ContentBundle) -> ContentBundle:
    """A few FAQs of content/ (the off-topic examples too) with the made-up and the emergency
    examples added to the first: what these tests check does not depend on the other FAQs, and
    this trains in seconds where all of content/ takes 15 s or more."""
    small = with_only_faqs(content, SMALL)
    return _with_examples(small, small.faq.faqs[0].id, NONSENSE, OTHER_NONSENSE, EMERGENCY)


@pytest.fixture(scope="module")
def added_knowledge(added: ContentBundle) -> Knowledge:
    """Trained once for the tests below."""
    return Knowledge.build(added)


@pytest.fixture(scope="module")
def added_report(added: ContentBundle, added_knowledge: Knowledge) -> RoutingReport:
    return check_routing(added, knowledge=added_knowledge)


def test_an_example_never_helps_itself(added_report: RoutingReport) -> None:
    """A made-up word matches its own example perfectly; held out, nothing else knows it."""
    routed = next(r for r in added_report.results if r.example == NONSENSE)
    assert routed.intent is Intent.FALLBACK
    assert routed in added_report.misrouted


def test_emergencies_are_listed_apart_and_not_counted(added_report: RoutingReport) -> None:
    routed = next(r for r in added_report.results if r.example == EMERGENCY)
    assert routed.intent is Intent.EMERGENCY
    assert routed in added_report.by_design and routed not in added_report.misrouted
    assert ": INFO: " in routed.describe(None)


def test_a_misplaced_example_is_found_with_its_line(content: ContentBundle,
                                                    content_copy: ContentCopy,
                                                    report: RoutingReport) -> None:
    """Move an example that reliably reaches its own FAQ to another FAQ: the check must say
    that it belongs to the new FAQ but lands elsewhere, at the line it was moved to."""
    faqs = content.faq.faqs
    moved = next(r for r in report.results
                 if r.correct and len(faqs[r.faq_position].examples) > 6
                 and '"' not in r.example and faqs[r.faq_position].category != faqs[-1].category)
    target = faqs[-1].id
    text = content_copy.text("faq_id.yaml")
    assert text.count(f'- "{moved.example}"') == 1
    content_copy.path("faq_id.yaml").write_text(text.replace(f'      - "{moved.example}"\n', ""),
                                                encoding="utf-8")
    line = content_copy.insert_after("faq_id.yaml", r"^    examples:",
                                     f'      - "{moved.example}"',
                                     after=content_copy.item_line(target))
    data_dir = content_copy.folder.parent / "data"
    models = data_dir / ROUTING_MODEL_DIR
    seeded = {path.name for path in seed_model_store(models).glob("intent-model-*")}
    completed = run_content_check(content_copy.folder, "--verbose", data_dir=data_dir)
    expected = f"faq_id.yaml:{line}: contoh '{moved.example}' milik '{target}' malah diarahkan ke"
    assert expected in completed.stdout, completed.stdout  # the full routing list
    assert completed.returncode == 0  # a quality hint, not an error; --strict makes it fail
    stored = {path.name for path in models.glob("intent-model-*")}
    assert len(stored) == 1 and stored != seeded  # other examples: trained, kept for next time
    assert run_content_check(content_copy.folder, "--strict", data_dir=data_dir).returncode == 1


def test_the_simple_interface_returns_one_line_per_misrouted_example(
        added: ContentBundle, added_knowledge: Knowledge) -> None:
    lines = routing_self_check(added, knowledge=added_knowledge)
    assert any(f"contoh '{OTHER_NONSENSE}'" in line and "'fallback'" in line for line in lines)
