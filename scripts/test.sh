#!/usr/bin/env bash
# Quick start 2: install newsbot with its test extras (and Debian's Chromium), lint, run the tests.
# Arguments go to pytest (e.g. bash scripts/test.sh -x -q tests/test_storage.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEWSBOT_EXTRAS="test${NEWSBOT_EXTRAS:+,$NEWSBOT_EXTRAS}"
source scripts/setup-venv.sh
if ! command -v chromium >/dev/null 2>&1; then
  # The rendering tests drive a real browser: Debian's chromium, never a Playwright download.
  apt_install chromium
fi
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
