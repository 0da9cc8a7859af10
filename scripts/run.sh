#!/usr/bin/env bash
# Run the bot: on Telegram when TELEGRAM_BOT_TOKEN is set, otherwise a chat in this terminal.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
python -m bot db upgrade
exec python -m bot run "$@"
