# Shared by the scripts: find the repository, make sure the virtual environment matches
# requirements.txt (created or refreshed when missing or when requirements.txt changed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

ensure_venv() {
  local stamp="$VENV/.requirements.sha256" want
  want="$(sha256sum "$ROOT/requirements.txt" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [ -x "$PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "Setting up the Python environment in .venv (from requirements.txt)…" >&2
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV"
  fi
  "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  (cd "$ROOT" && "$PY" -m pip install --quiet --disable-pip-version-check -r requirements.txt) >&2
  echo "$want" > "$stamp"
}
