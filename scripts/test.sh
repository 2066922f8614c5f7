#!/usr/bin/env bash
# Quick start 2: install newsbot with its test extras (and Debian's Chromium), lint, run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh test
if ! command -v chromium >/dev/null 2>&1; then
  # The rendering tests drive a real browser: Debian's chromium, never a Playwright download.
  apt_install chromium
fi
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
