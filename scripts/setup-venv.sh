# Sourced by the other scripts: create ./.venv with Python >= 3.11 and install newsbot into it.
# Usage: source scripts/setup-venv.sh [EXTRAS]   (EXTRAS e.g. "test")
set -euo pipefail
PYTHON="${PYTHON:-python3}"

# apt_install PACKAGE...: install Debian packages, as root or through sudo.
apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

"$PYTHON" - <<'PY' || { echo "newsbot needs Python >= 3.11 (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -c "import ensurepip" 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
    apt_install python3-venv  # Debian and Ubuntu ship venv's pip bootstrap separately
  fi
  "$PYTHON" -m venv .venv
fi
spec="."
if [ -n "${1:-}" ]; then spec=".[$1]"; fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
