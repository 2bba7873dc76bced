#!/usr/bin/env bash
# Run every benchmark and print its figures: bash benchmarks/run.sh
# Installs pandoc (and uses LibreOffice when present) from Debian's packages if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pandoc >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends pandoc >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e .
python3 benchmarks/speed.py
if command -v soffice >/dev/null 2>&1; then
  python3 benchmarks/pdf_batch.py
else
  echo "LibreOffice not installed: skipping benchmarks/pdf_batch.py"
fi
