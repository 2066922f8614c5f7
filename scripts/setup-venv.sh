# Sourced by the other scripts: create ./.venv with Python >= 3.11 and install newsbot into it.
# The scripts' own arguments are never read here: they go to the crawl, the demo or pytest.
# Extras: NEWSBOT_EXTRAS, comma-separated (e.g. NEWSBOT_EXTRAS=analysis,monitoring).
# pip runs only when pyproject.toml changed or an extra is missing since the last install
# (recorded in .venv/.newsbot-installed), so a second run works offline.
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

# extras_list "a, b,,a" -> "a,b": sorted, unique, no blanks.
extras_list() { printf '%s\n' "$1" | tr ', ' '\n\n' | sed '/^$/d' | sort -u | paste -sd, -; }
wanted="$(extras_list "${NEWSBOT_EXTRAS:-}")"
stamp=.venv/.newsbot-installed
project_hash="$(sha256sum pyproject.toml | cut -d' ' -f1)"
installed_hash="" installed_extras=""
if [ -f "$stamp" ]; then read -r installed_hash installed_extras <"$stamp" || true; fi
if [ "$installed_hash" = "$project_hash" ]; then
  extras="$(extras_list "$installed_extras,$wanted")"
else
  extras="$wanted" installed_extras="-"
fi
if [ "$extras" != "$installed_extras" ]; then
  spec="."
  if [ -n "$extras" ]; then spec=".[$extras]"; fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
  printf '%s %s\n' "$project_hash" "$extras" >"$stamp"
fi
