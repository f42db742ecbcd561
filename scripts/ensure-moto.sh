#!/usr/bin/env bash
# Prints the path of a Python interpreter that can run moto's server (`python -m moto.server`).
# Uses python3 when it already has moto; otherwise installs 'moto[server]' into ./.venv (once) and
# prints .venv's interpreter. Exits non-zero, with the reason on stderr, when neither works.
set -euo pipefail
cd "$(dirname "$0")/.."

has_moto() { "$1" -c 'import moto.server' >/dev/null 2>&1; }

if [ -x .venv/bin/python ] && has_moto .venv/bin/python; then
  echo "$PWD/.venv/bin/python"
  exit 0
fi
if command -v python3 >/dev/null 2>&1 && has_moto python3; then
  command -v python3
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "ensure-moto: python3 is not installed" >&2
  exit 1
fi
# Parallel test workers may all get here: one installs, the others wait and then find it installed.
if command -v flock >/dev/null 2>&1; then
  exec 9>.moto-install.lock
  flock 9
  if [ -x .venv/bin/python ] && has_moto .venv/bin/python; then
    echo "$PWD/.venv/bin/python"
    exit 0
  fi
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv >&2 || { echo "ensure-moto: cannot create .venv (python3-venv missing?)" >&2; exit 1; }
fi
.venv/bin/python -m pip install --quiet 'moto[server]' >&2 || { echo "ensure-moto: pip install 'moto[server]' failed" >&2; exit 1; }
has_moto .venv/bin/python || { echo "ensure-moto: moto installed but not importable" >&2; exit 1; }
echo "$PWD/.venv/bin/python"
