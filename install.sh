#!/usr/bin/env bash
# Install perfgen from this checkout into a virtual environment, .venv/ beside this script.
# Debian 12 and Ubuntu 24.04 refuse `pip install` into their python3 (PEP 668, "externally
# managed"), so perfgen gets an environment of its own; python3 and python3-venv come from apt
# when missing. The Python is the first python3 on PATH. What a complete build needs besides
# (LibreOffice for the TOC's page numbers and the PDF, python3-uno, poppler, the template's font
# stand-ins: tools/debian.sh, add_office_packages) comes from apt too, only what is missing.
#   bash install.sh              perfgen, its dependencies and what a complete build needs
#   bash install.sh --no-office  without LibreOffice and the fonts: the TOC's page numbers are
#                                then filled in by Word when a document is opened
#   bash install.sh --dev        editable, with the test tools (the `test` extra), for tests/run.sh
set -euo pipefail
cd "$(dirname "$0")"
source tools/debian.sh

dev=false
office=true
for option in "$@"; do
  case $option in
    --dev) dev=true ;;
    --no-office) office=false ;;
    *)
      echo "不认识的选项：$option（可用的选项：--no-office 不安装 LibreOffice 和字体；--dev 开发用）" >&2
      exit 2
      ;;
  esac
done

need=()
have_python_venv || need+=(python3 python3-venv)
if $office; then
  add_office_packages
fi
if ! apt_install ${need[@]+"${need[@]}"}; then
  have_python_venv || apt_install python3 python3-venv # perfgen itself needs only these
  echo "未能安装 ${need[*]}。perfgen 照常安装；没有 LibreOffice 时文档照常生成，目录页码在 Word 中打开时更新（WPS 要手动更新目录，见 docs/it-guide.md）。" \
    "以后可以再运行 bash install.sh，或用 bash install.sh --no-office 跳过这一步。" >&2
fi

# an environment left by another Python (since removed or upgraded) is made anew
if ! .venv/bin/python -c "" >/dev/null 2>&1; then
  rm -rf .venv
  python3 -m venv .venv
fi
if $dev; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
else
  .venv/bin/python -m pip install -q --disable-pip-version-check .
  echo "perfgen 已安装到 .venv：运行 .venv/bin/perfgen，或先 source .venv/bin/activate，再运行 perfgen。"
fi
