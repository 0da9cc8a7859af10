"""`content check`: every problem in every content file at once, as `file:line: message`."""

from __future__ import annotations

import sys

from bot.cli.common import load_settings
from bot.content.loader import load_content


def run_check(*, strict: bool) -> int:
    settings = load_settings()
    result = load_content(settings.content_dir)
    for problem in result.problems:
        print(problem)
    routing_problems: list[str] = []
    if result.bundle is not None:
        from bot.content.routing_check import routing_self_check

        routing_problems = routing_self_check(result.bundle)
        for line in routing_problems:
            print(line)
    errors, warnings = len(result.errors), len(result.warnings)
    print(
        f"\nSelesai: {errors} kesalahan, {warnings} peringatan, "
        f"{len(routing_problems)} contoh yang salah arah.",
        file=sys.stderr,
    )
    if errors or (strict and (warnings or routing_problems)):
        return 1
    return 0
