# Shell functions for install.sh, tests/run.sh and benchmarks/run.sh: find what is missing on a
# Debian or Ubuntu machine and install it from apt, once, only when something is missing.
# Source it from bash: source tools/debian.sh

have_command() { command -v "$1" >/dev/null 2>&1; }

# A Python with venv and ensurepip: Debian and Ubuntu ship them apart, in python3-venv.
have_python_venv() { have_command python3 && python3 -c "import ensurepip, venv" >/dev/null 2>&1; }

# The system Python with LibreOffice's UNO bridge (python3-uno), which perfgen uses for one
# LibreOffice process per build.
have_uno() { [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import uno" >/dev/null 2>&1; }

# A font family known to fontconfig. fc-list's output is read whole: `fc-list | grep -q` under
# pipefail fails at random when grep exits early and fc-list dies of SIGPIPE.
have_font() {
  local families
  families=$(fc-list : family 2>/dev/null) || return 1
  [[ $families == *"$1"* ]]
}

# Debian packages a complete build needs, each after the check that tells it is there, appended to the
# array `need`: LibreOffice lays the document out for the TOC's page numbers and the PDF, python3-uno
# keeps one LibreOffice process for a whole build, poppler draws the previews, and the fonts are the
# stand-ins for the template's faces (templates/fontconfig/fonts.conf). install.sh and tests/run.sh
# share this one list; examples/ci/perfgen-pull-request.yml installs the same (a test compares them).
add_office_packages() {
  have_command soffice || need+=(libreoffice-writer-nogui)
  have_uno || need+=(python3-uno)
  { have_command pdftoppm && have_command pdftotext; } || need+=(poppler-utils)
  have_font "Noto Serif CJK SC" || need+=(fonts-noto-cjk)
  have_font "LXGW WenKai" || need+=(fonts-lxgw-wenkai)
  have_font "Liberation Serif" || need+=(fonts-liberation2)
}

# apt-get install the packages named (none: nothing runs); through sudo when not root.
apt_install() {
  (($#)) || return 0
  if ! have_command apt-get; then
    echo "请先安装这些软件包（Debian/Ubuntu 的名称）：$*" >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "安装 Debian 软件包：$*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
