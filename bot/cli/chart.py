"""`chart --out DIR`: every statistics chart as a PNG file, for staff to check or publish."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.cli.common import load_settings
from bot.content.loader import load_content
from bot.stats.charts import all_chart_requests, chart_file_name, render_chart


def run_chart(out: str) -> int:
    settings = load_settings()
    result = load_content(settings.content_dir)
    if result.bundle is None:
        for problem in result.errors:
            print(problem, file=sys.stderr)
        print(f"Konten di {settings.content_dir} tidak sah; perbaiki lalu coba lagi.",
              file=sys.stderr)
        return 1
    directory = Path(out)
    directory.mkdir(parents=True, exist_ok=True)
    for request in all_chart_requests(result.bundle):
        path = directory / chart_file_name(request)
        path.write_bytes(render_chart(result.bundle, request))
        print(path)
    return 0
