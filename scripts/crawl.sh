#!/usr/bin/env bash
# Quick start 1: install newsbot in ./.venv and crawl DW into ./data (extra args go to scrapy).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh
exec .venv/bin/scrapy crawl dw -s NEWSBOT_DATA_DIR="${NEWSBOT_DATA_DIR:-data}" "$@"
