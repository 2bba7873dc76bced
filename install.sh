#!/usr/bin/env bash
# Install perfgen from this checkout into a virtual environment, .venv/ beside this script.
# Debian 12 and Ubuntu 24.04 refuse `pip install` into their python3 (PEP 668, "externally
# managed"), so perfgen gets an environment of its own; python3 and python3-venv come from apt
# when missing. The Python is the first python3 on PATH.
#   bash install.sh          perfgen and its dependencies
#   bash install.sh --dev    editable, with the test tools (the `test` extra), for tests/run.sh
set -euo pipefail
cd "$(dirname "$0")"
source tools/debian.sh

have_python_venv || apt_install python3 python3-venv

# an environment left by another Python (since removed or upgraded) is made anew
if ! .venv/bin/python -c "" >/dev/null 2>&1; then
  rm -rf .venv
  python3 -m venv .venv
fi
if [ "${1:-}" = --dev ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
else
  .venv/bin/python -m pip install -q --disable-pip-version-check .
  echo "perfgen 已安装到 .venv：运行 .venv/bin/perfgen，或先 source .venv/bin/activate，再运行 perfgen。"
fi
