#!/usr/bin/env bash
# Install (Debian package) and start a local PostgreSQL on 127.0.0.1 for the test suite, then
# print the URL to use as TEST_POSTGRES_URL. Needs root (CI runs as root). Idempotent.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
VERSION="$(ls /etc/postgresql | sort -V | tail -n1)"
if [ -z "$VERSION" ]; then
    pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -n1)" main >&2
    VERSION="$(ls /etc/postgresql | sort -V | tail -n1)"
fi
# Each test's schema holds every table; dropping many at once needs more lock slots than the
# default 64 per transaction ("out of shared memory").
CONF="/etc/postgresql/$VERSION/main/conf.d/tppo-tests.conf"
if [ ! -f "$CONF" ]; then
    mkdir -p "$(dirname "$CONF")"
    echo "max_locks_per_transaction = 512" > "$CONF"
    pg_ctlcluster "$VERSION" main restart >&2 2>/dev/null || true
fi
pg_ctlcluster "$VERSION" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -q && break
    sleep 1
done
su postgres -c "psql -q -h 127.0.0.1 -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tppo_test') THEN CREATE ROLE tppo_test LOGIN PASSWORD 'tppo_test' CREATEDB; END IF; END \\\$\\\$;\"" >&2 2>/dev/null \
  || su postgres -c "psql -q -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tppo_test') THEN CREATE ROLE tppo_test LOGIN PASSWORD 'tppo_test' CREATEDB; END IF; END \\\$\\\$;\"" >&2
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname = 'tppo_test'\" | grep -q 1 || createdb -O tppo_test tppo_test" >&2
echo "postgresql+asyncpg://tppo_test:tppo_test@127.0.0.1:5432/tppo_test"
