#!/usr/bin/env bash
# Lint and run the whole test suite (sets itself up on a fresh machine).
# The SQLite pass runs in two pytest-xdist workers, a test file each at a time (much of the
# suite waits on subprocesses and sockets). With TEST_POSTGRES_URL set (CI sets it;
# scripts/postgres.sh prints one) the tests that use a database also run on that PostgreSQL
# database, each test in a schema of its own. That pass runs alongside the SQLite one and is
# printed after it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
DATABASE_TESTS=(tests/storage tests/telegram tests/load)
# Telegram tests whose bots only open storage in passing (stand-in errors, webhooks, processes,
# menus, content edits and reloads, reply pacing): on PostgreSQL they would prove nothing the
# SQLite pass did not.
for name in adapter_parts conflicts faults inline rate_limit run_process socket_flood staff_reload \
            statistics typed_emergency webhook; do
    DATABASE_TESTS+=("--ignore=tests/telegram/test_$name.py")
done

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
python -m pytest -q -n 2 --dist loadfile "$@" || sqlite_status=$?

postgres_status=0
if [ -n "$postgres_pid" ]; then
    wait "$postgres_pid" || postgres_status=$?
    echo "== pytest (PostgreSQL): ${DATABASE_TESTS[*]}"
    cat "$postgres_log"
fi
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ]
