#!/usr/bin/env bash
# Every benchmark, from a clean clone, with one command: bash benchmarks/run.sh
# Installs pandoc from Debian's packages when it is missing, and perfgen into benchmarks/.venv (which also
# sees the system's packages); then prints the six figures of speed.py, where the time of a cold build goes
# (where_time_goes.py), the four figures of perfgen serve (serve.py), and, with LibreOffice installed, the PDF
# figures of pdf_batch.py.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pandoc >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends pandoc >/dev/null
fi
python3 -m venv --system-site-packages benchmarks/.venv
benchmarks/.venv/bin/python -m pip install -q --disable-pip-version-check -e .
python=benchmarks/.venv/bin/python
"$python" benchmarks/speed.py
echo
"$python" benchmarks/where_time_goes.py
echo
"$python" benchmarks/serve.py
if command -v soffice >/dev/null 2>&1; then
  echo
  "$python" benchmarks/pdf_batch.py
else
  echo "LibreOffice not installed: skipping benchmarks/pdf_batch.py"
fi
