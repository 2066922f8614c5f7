#!/usr/bin/env bash
# Quick start 2: install newsbot with its test extras (and Debian's Chromium), lint, run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  # The rendering tests drive a real browser: Debian's chromium, never a Playwright download.
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
source scripts/setup-venv.sh test
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
