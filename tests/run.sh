#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian or Ubuntu machine, then run the whole suite
# with perfgen installed in .venv/ (see install.sh). apt runs only when something is missing.
# Extra arguments go to pytest (e.g. bash tests/run.sh -k fidelity).
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian.sh

# Debian packages the tests use, each after the check that tells it is there: one line each.
need=()
have_python_venv || need+=(python3 python3-venv)
have_command git || need+=(git)
add_office_packages # LibreOffice, python3-uno, poppler and the fonts, as install.sh installs them
# perfgen serve's tests drive a real browser through selenium (the test extra), with Debian's own driver
have_command chromium || need+=(chromium)
have_command chromedriver || need+=(chromium-driver)
apt_install ${need[@]+"${need[@]}"}

bash install.sh --dev
# every random example and seeded file (tests/sizes.py): the fast loop, a plain pytest run, draws only a share
export PERFGEN_EXAMPLES="${PERFGEN_EXAMPLES:-200}"
# the linters first, each failing the run on any finding (their settings are in pyproject.toml)
.venv/bin/ruff check generator tests benchmarks tools
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
