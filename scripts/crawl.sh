#!/usr/bin/env bash
# Quick start 1: install newsbot in ./.venv and run one crawl of DW into ./data, judged as cron
# judges it: `newsbot run`, exit status 0 when the run was healthy, else the code that says why
# (README, "Running unattended"). Arguments go to `newsbot run`: -a NAME=VALUE, -s NAME=VALUE,
# -o/-O FILE, --data-dir DIR. Extras: NEWSBOT_EXTRAS=analysis bash scripts/crawl.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh
exec .venv/bin/python -m newsbot run --data-dir "${NEWSBOT_DATA_DIR:-data}" "$@"
