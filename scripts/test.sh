#!/usr/bin/env bash
# Lint and run the whole test suite (sets itself up on a fresh machine).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
echo "== ruff"
ruff check bot tests migrations
echo "== pytest"
python -m pytest -q "$@"
