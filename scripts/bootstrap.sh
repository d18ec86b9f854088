# shellcheck shell=bash
# Sourced by scripts/serve and scripts/test: find Python 3.12+, make .venv, install.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${COFFEECHAT_VENV:-$ROOT/.venv}"

find_python() {
  local candidate
  for candidate in "${COFFEECHAT_PYTHON:-}" python3.14 python3.13 python3.12 python3 python; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  local extras="$1" python stamp wanted
  if [ ! -x "$VENV/bin/python" ]; then
    if ! python="$(find_python)"; then
      echo "Coffeechat needs Python 3.12 or newer, and none was found on PATH." >&2
      echo "Install it (for example: apt-get install python3.12 python3.12-venv, or from python.org)," >&2
      echo "or point COFFEECHAT_PYTHON at one: COFFEECHAT_PYTHON=/path/to/python3.12 $0" >&2
      exit 1
    fi
    echo "Creating a virtual environment in $VENV with $("$python" --version)…"
    "$python" -m venv "$VENV"
  fi
  stamp="$VENV/.coffeechat-installed"
  wanted="$(cat "$ROOT/pyproject.toml" | cksum | cut -d' ' -f1)-$extras"
  if [ ! -f "$stamp" ] || ! grep -qx -- "$wanted" "$stamp"; then
    echo "Installing Coffeechat and its dependencies…"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT$extras"
    echo "$wanted" > "$stamp"
  fi
}
