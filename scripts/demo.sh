#!/usr/bin/env bash
# Offline demo: serve the project's fake DW site on 127.0.0.1 and crawl it into ./data/demo.
# Arguments go to the demo (python -m tests.fakedw): --data-dir DIR, --port PORT, --serve-only.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh
exec .venv/bin/python -m tests.fakedw "$@"
