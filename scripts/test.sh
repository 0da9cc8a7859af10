#!/usr/bin/env bash
# Lint and run the whole test suite (sets itself up on a fresh machine).
# With TEST_POSTGRES_URL set (CI sets it; scripts/postgres.sh prints one) the tests that use a
# database also run on that PostgreSQL database, each test in a schema of its own. That pass runs
# alongside the SQLite one (most of either is one core, or waiting) and is printed after it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
DATABASE_TESTS=(tests/storage tests/telegram tests/load)

echo "== ruff"
ruff check bot tests migrations

postgres_pid=""
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    postgres_log="$(mktemp)"
    trap 'rm -f "$postgres_log"' EXIT
    TEST_DATABASE_URL="$TEST_POSTGRES_URL" python -m pytest -q -p no:cacheprovider \
        "${DATABASE_TESTS[@]}" "$@" >"$postgres_log" 2>&1 &
    postgres_pid=$!
fi

echo "== pytest (SQLite)"
sqlite_status=0
python -m pytest -q "$@" || sqlite_status=$?

postgres_status=0
if [ -n "$postgres_pid" ]; then
    wait "$postgres_pid" || postgres_status=$?
    echo "== pytest (PostgreSQL): ${DATABASE_TESTS[*]}"
    cat "$postgres_log"
fi
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ]
