#!/usr/bin/env bash
# Create .venv and install the project (with test tools) when missing or out of date.
# Sourced by run.sh and test.sh so each works on a fresh machine.
# Needs Python 3.11 or newer: PYTHON=/path/to/python3.x picks one, otherwise the newest of
# python3.13/3.12/3.11/python3 found. A .venv made by another Python is rebuilt.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"

_python_version() {  # "3.11" for a working interpreter, nothing otherwise
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}
_new_enough() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

if [ -n "${PYTHON:-}" ]; then
    PYTHON_BIN="$PYTHON"
else
    PYTHON_BIN=python3
    for candidate in python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null && _new_enough "$candidate"; then
            PYTHON_BIN="$candidate"
            break
        fi
    done
fi
if ! _new_enough "$PYTHON_BIN"; then
    found="$(_python_version "$PYTHON_BIN")"
    echo "scripts/setup.sh: Python 3.11 or newer is needed, but $PYTHON_BIN is ${found:-missing}; install it and run again (or set PYTHON=/path/to/python3.11)." >&2
    return 1 2>/dev/null || exit 1
fi

wanted="$(_python_version "$PYTHON_BIN")"
if [ -d "$VENV" ]; then
    found="$(_python_version "$VENV/bin/python")"
    if [ "$found" != "$wanted" ]; then
        echo "scripts/setup.sh: .venv was made by ${found:+Python }${found:-a Python that no longer runs}; rebuilding it with Python $wanted." >&2
        rm -rf "$VENV"
    fi
fi
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON_BIN" -m venv "$VENV"
fi
if [ ! -f "$STAMP" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
    rm -f "$VENV"/.installed-*
    touch "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
