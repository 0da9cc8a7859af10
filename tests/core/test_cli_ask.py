"""The `ask --json` contract other tools rely on: one object per input line, fixed keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import ROOT, seed_model_cache

KEYS = {"text", "intent", "faq_id", "score", "suggestions", "reply", "offer_level", "offer_signs"}
INTENTS = {"emergency", "stats", "faq", "smalltalk", "fallback", "job_offer"}
JOB_AD = ("cek lowongan ini: dibutuhkan admin CS di Kamboja, gaji USD 1500, tiket ditanggung, "
          "berangkat minggu depan, hubungi WA 0812xxxxxxx")


def _ask(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    data_dir = seed_model_cache(Path(tempfile.mkdtemp(prefix="tppo-ask-"))).parent
    env = {**os.environ, "CONTENT_DIR": str(ROOT / "content"), "DATA_DIR": str(data_dir)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False,
    )


def test_json_lines_follow_the_contract_for_awkward_input() -> None:
    lines = ["apa itu tppo", "", "x" * 5000, "🙏🙏🙏", "<b>halo</b> & <script>", "   ",
             "berapa kasus tppo di bontang 2019", "tolong saya disekap majikan", JOB_AD]
    result = _ask("--json", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["text"] for o in objects] == lines
    for obj in objects:
        assert set(obj) == KEYS
        assert obj["intent"] in INTENTS
        assert 0.0 <= obj["score"] <= 1.0
        assert isinstance(obj["suggestions"], list)
        assert obj["reply"] and "<b>" not in obj["reply"]
        # an emergency reply may carry the FAQ answer that follows its block
        assert (obj["intent"] == "faq") <= (obj["faq_id"] is not None)
        assert (obj["faq_id"] is not None) <= (obj["intent"] in {"faq", "emergency"})
        assert (obj["offer_level"] is not None) == (obj["intent"] == "job_offer")
        assert isinstance(obj["offer_signs"], list)
    assert objects[0]["intent"] == "faq" and objects[0]["faq_id"] == "apa-itu-tppo"
    assert objects[1]["intent"] == "fallback"
    assert objects[6]["intent"] == "stats"
    assert objects[7]["intent"] == "emergency"
    job_ad = objects[8]
    assert (job_ad["intent"], job_ad["offer_level"]) == ("job_offer", "high")
    assert {"tujuan-berisiko", "gaji-tidak-wajar", "tiket-gratis", "terburu-buru",
            "kontak-chat-saja"} <= set(job_ad["offer_signs"])
    assert all(o["offer_signs"] == [] for o in objects[:8])


def test_texts_as_arguments_and_plain_output() -> None:
    result = _ask("halo", "apa itu tppo")
    assert result.returncode == 0, result.stderr
    assert "[smalltalk]" in result.stdout and "[faq]" in result.stdout
