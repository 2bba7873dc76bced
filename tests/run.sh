#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run the whole suite.
# Extra arguments go to pytest (e.g. bash tests/run.sh -k fidelity).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need+=(python3-uno)  # one LibreOffice for a whole build
# stand-ins for the template's faces (templates/fontconfig/fonts.conf); grep -c reads all of
# fc-list's output, so no SIGPIPE can make the check fail under pipefail
has_font() { command -v fc-list >/dev/null 2>&1 && [ "$(fc-list : family | grep -c "$1")" -gt 0 ]; }
has_font "Noto Serif CJK SC" || need+=(fonts-noto-cjk)
has_font "AR PL KaitiM GB" || need+=(fonts-arphic-gkai00mp)
if ((${#need[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e ".[test]"
python3 -m pytest "$@"
