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

ensure_node_tools() {
  # axe-core for the accessibility tests, pinned in package.json / package-lock.json.
  if [ -f "$ROOT/node_modules/axe-core/axe.min.js" ]; then return 0; fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is needed for the accessibility tests (axe-core): install Node.js and npm." >&2
    return 1
  fi
  echo "Installing the browser-test tools (npm ci)…" >&2
  (cd "$ROOT" && npm ci --no-audit --no-fund --silent) >&2
}
