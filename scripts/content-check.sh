#!/usr/bin/env bash
# Check the content files from any folder: bash scripts/content-check.sh [--verbose] [--strict]
# Sets up the project's virtual environment the first time (a few minutes), then runs
# `python -m bot content check` in the project folder, so content/ and data/ are found.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=setup.sh
source "$ROOT/scripts/setup.sh" >&2
cd "$ROOT"
exec "$ROOT/.venv/bin/python" -m bot content check "$@"
