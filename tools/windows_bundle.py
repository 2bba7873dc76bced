"""Offline installation bundles of perfgen, for PCs and servers that cannot reach PyPI.

    python tools/windows_bundle.py [--out DIR] [--linux]

writes DIR/perfgen-windows-x64.zip (default DIR: dist/): perfgen's wheel, pre-commit's (the hooks),
and every dependency's win_amd64 wheel for each supported Python (the classifiers of pyproject.toml),
with 安装.cmd and 说明.txt. With --linux it also writes DIR/perfgen-linux-x86_64.zip, the same
wheels for manylinux (intranet servers, CI runners) with 安装.sh.

Wheels come from `pip download --only-binary=:all:` for the platform and each Python version, so
whatever index pip is configured with (PyPI or a county mirror) serves them, through pip's cache.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("pre-commit",)  # installed beside perfgen: its git hooks then find perfgen (docs/it-guide.md)
INSTALL_ROOT = r"%LOCALAPPDATA%\perfgen"


@dataclass(frozen=True)
class Platform:
    """A target of a bundle: pip's platform tags and the archive's name."""

    name: str
    tags: tuple[str, ...]


WINDOWS = Platform("perfgen-windows-x64", ("win_amd64",))
# glibc 2.17 (CentOS 7) to 2.28 (Debian 10, RHEL 8): every x86-64 Linux a county runs
LINUX = Platform(
    "perfgen-linux-x86_64", ("manylinux2014_x86_64", *(f"manylinux_2_{minor}_x86_64" for minor in range(17, 29)))
)


def supported_pythons(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The Python versions perfgen supports, as its classifiers name them (e.g. ["3.10", "3.11"])."""
    text = pyproject.read_text(encoding="utf-8")
    versions = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', text)
    if not versions:
        raise SystemExit(f"{pyproject} names no Python version in its classifiers")
    return sorted(versions, key=lambda version: tuple(int(part) for part in version.split(".")))


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], check=True)


def perfgen_wheel(target: Path) -> Path:
    """perfgen's own wheel, built from this checkout."""
    pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(target), str(ROOT))
    [wheel] = target.glob("perfgen-*.whl")
    return wheel


def download(wheel: Path, platform: Platform, pythons: list[str], target: Path) -> None:
    """Every wheel perfgen and EXTRAS need on ``platform``, for each Python in ``pythons``."""
    tags = [arg for tag in platform.tags for arg in ("--platform", tag)]

    def one(version: str) -> Path:
        folder = target / f"py{version}"  # a folder each: two pips never write the same file
        pip(
            "download", "--quiet", "--only-binary=:all:", *tags, "--python-version", version,
            "--dest", str(folder), str(wheel), *EXTRAS,
        )
        return folder

    # pip spends its time waiting on the index: the versions are resolved side by side
    with ThreadPoolExecutor(max_workers=4) as pool:
        for folder in pool.map(one, pythons):
            for file in folder.glob("*.whl"):
                file.replace(target / file.name)
            shutil.rmtree(folder)


def windows_installer(pythons: list[str]) -> str:
    """安装.cmd: a virtual environment made with `py -3`, the bundle's wheels only, perfgen.cmd on the user's PATH."""
    low, high = (tuple(int(part) for part in version.split(".")) for version in (pythons[0], pythons[-1]))
    return rf"""@echo off
rem Installs perfgen offline: a virtual environment made by the Python launcher (py -3) in
rem %LOCALAPPDATA%\perfgen, filled from the wheels beside this file only (--no-index), and
rem perfgen.cmd and pre-commit.cmd in %LOCALAPPDATA%\perfgen\bin, which goes on the user's PATH.
setlocal
set "HERE=%~dp0"
set "PERFGEN_HOME={INSTALL_ROOT}"
set "VENV=%PERFGEN_HOME%\venv"
set "BIN=%PERFGEN_HOME%\bin"

where py >nul 2>nul
if errorlevel 1 goto :no_launcher
py -3 -c "import sys; sys.exit(0 if {low} <= sys.version_info[:2] <= {high} else 1)"
if errorlevel 1 goto :wrong_python

rem an environment whose Python was removed or upgraded is made anew
if exist "%VENV%\Scripts\python.exe" "%VENV%\Scripts\python.exe" -c "" >nul 2>nul
if errorlevel 1 rmdir /s /q "%VENV%"
if not exist "%VENV%\Scripts\python.exe" py -3 -m venv "%VENV%"
if errorlevel 1 goto :failed
"%VENV%\Scripts\python.exe" -m pip install --disable-pip-version-check --no-index --find-links "%HERE%wheels" --upgrade perfgen {" ".join(EXTRAS)}
if errorlevel 1 goto :failed

if not exist "%BIN%" mkdir "%BIN%"
> "%BIN%\perfgen.cmd" echo @"%VENV%\Scripts\perfgen.exe" %%*
> "%BIN%\pre-commit.cmd" echo @"%VENV%\Scripts\pre-commit.exe" %%*

rem the user's PATH as stored (its %%VARIABLES%% unexpanded), with BIN added once; setx announces the change
powershell -NoProfile -ExecutionPolicy Bypass -Command "$bin = $env:BIN; $key = Get-Item 'HKCU:\Environment'; $path = [string]$key.GetValue('Path', '', 'DoNotExpandEnvironmentNames'); if (($path -split ';') -notcontains $bin) {{ Set-ItemProperty -Path 'HKCU:\Environment' -Name Path -Type ExpandString -Value (($path.TrimEnd(';') + ';' + $bin).TrimStart(';')) }}"
if errorlevel 1 goto :failed
setx PERFGEN_HOME "%PERFGEN_HOME%" >nul
where git >nul 2>nul
if not errorlevel 1 git config --global perfgen.command "%VENV%\Scripts\perfgen.exe"

"%VENV%\Scripts\perfgen.exe" --version
echo.
echo perfgen 已安装到 %PERFGEN_HOME%。请关闭这个窗口，打开一个新的命令提示符或 PowerShell 窗口，输入 perfgen --help 试一试。
goto :end

:no_launcher
echo 没有找到 Python 启动器 py：请先从 python.org 安装 Python {pythons[0]} 到 {pythons[-1]} 的任一版本（64 位，安装程序默认带有 py），再运行本文件。
goto :end_failed

:wrong_python
echo 这个安装包支持 Python {pythons[0]} 到 {pythons[-1]}，而 py -3 启动的 Python 是其他版本（运行 py -0 可列出已安装的版本）：请从 python.org 安装其中一个版本，再运行本文件。
goto :end_failed

:failed
echo 安装没有完成，请把上面的信息发给县里的信息化人员。
goto :end_failed

:end_failed
if /i not "%~1"=="/nopause" pause
exit /b 1

:end
if /i not "%~1"=="/nopause" pause
exit /b 0
"""


def windows_readme(pythons: list[str], version: str) -> str:
    return f"""perfgen {version} 离线安装包（Windows 64 位）

这个文件夹中有 perfgen 和它用到的全部软件包（wheels 文件夹），安装时不需要连接互联网。

一、安装前
  1. 安装 Python {pythons[0]} 到 {pythons[-1]} 的任一版本（64 位）：从 python.org 下载安装程序，保持默认选项（会同时安装 Python 启动器 py）。
  2. 要让目录自动带页码、生成 PDF，再安装 LibreOffice（libreoffice.org）。装在默认位置以外时，把环境变量 PERFGEN_SOFFICE 设为 soffice.exe 的完整路径。
     没有 LibreOffice 也能生成文档：目录页码在 Word 打开时更新；WPS 中请右击目录，选“更新目录”。

二、安装
  1. 把整个压缩包解压到任意文件夹（不要在压缩包里直接运行）。
  2. 双击“安装.cmd”。它会：
     - 用 py -3 在 %LOCALAPPDATA%\\perfgen\\venv 建立 perfgen 自己的 Python 环境；
     - 只从 wheels 文件夹安装 perfgen 和 pre-commit（不连网）；
     - 在 %LOCALAPPDATA%\\perfgen\\bin 中放 perfgen.cmd 和 pre-commit.cmd，并把这个文件夹加入当前用户的 PATH；
     - 装有 Git 时，在 Git 的全局设置中记下 perfgen 的位置（perfgen.command），提交时的检查钩子靠它找到 perfgen。
  3. 关闭窗口，打开一个新的命令提示符或 PowerShell，输入 perfgen --version，显示版本号就装好了。

三、在源文件仓库中启用提交前检查
  在克隆下来的源文件仓库文件夹中运行一次：pre-commit install
  以后用 VS Code、TortoiseGit 等提交时会自动检查改动的单位，不需要另外设置 PATH。

四、升级和卸载
  升级：解压新版本的安装包，再双击其中的“安装.cmd”。
  卸载：删除文件夹 %LOCALAPPDATA%\\perfgen，并在“编辑账户的环境变量”中从 Path 里删去 %LOCALAPPDATA%\\perfgen\\bin。

详细说明见 perfgen 的《安装与维护指南》（docs/it-guide.md）。
"""


def linux_installer(pythons: list[str]) -> str:
    return f"""#!/bin/sh
# Installs perfgen offline from the wheels beside this file: bash 安装.sh [folder, default ~/.local/share/perfgen]
# Needs python3 ({pythons[0]} to {pythons[-1]}) with venv; perfgen and pre-commit land in the folder's venv/bin.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=${{1:-$HOME/.local/share/perfgen}}
python3 -m venv "$target/venv"
"$target/venv/bin/python" -m pip install --disable-pip-version-check --no-index --find-links "$here/wheels" --upgrade perfgen {" ".join(EXTRAS)}
"$target/venv/bin/perfgen" --version
echo "perfgen 已安装：$target/venv/bin/perfgen（可把 $target/venv/bin 加入 PATH）"
"""


def linux_readme(pythons: list[str], version: str) -> str:
    return f"""perfgen {version} 离线安装包（Linux x86-64，glibc 2.17 及以上）

wheels 文件夹中有 perfgen、pre-commit 和它们用到的全部软件包（Python {pythons[0]} 到 {pythons[-1]}），安装时不需要连接互联网。

  sh 安装.sh                 安装到 ~/.local/share/perfgen/venv
  sh 安装.sh /opt/perfgen    安装到 /opt/perfgen/venv

也可以把 wheels 文件夹放到内网的文件服务器上，用 pip install --no-index --find-links <文件夹> perfgen 安装（CI 工作流中的 PERFGEN_PACKAGE 也可以这样写）。
目录页码和 PDF 还需要 Debian 软件包 libreoffice-writer-nogui python3-uno fonts-noto-cjk fonts-lxgw-wenkai fonts-liberation2 poppler-utils（见 docs/it-guide.md）。
"""


def _archive(target: Path, name: str, files: dict[str, bytes], wheels: Path) -> Path:
    """A zip of ``files`` and the wheels under one top folder ``name``."""
    archive = target / f"{name}.zip"
    partial = archive.with_name(archive.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for inner, data in files.items():
            bundle.writestr(f"{name}/{inner}", data)
        for wheel in sorted(wheels.glob("*.whl")):
            bundle.write(wheel, f"{name}/wheels/{wheel.name}", compress_type=zipfile.ZIP_STORED)  # wheels are zips
    partial.replace(archive)
    return archive


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def build_bundles(out: Path, linux: bool = False, pythons: list[str] | None = None) -> list[Path]:
    """Write the Windows bundle (and the Linux one) into ``out``; return their paths."""
    pythons = pythons or supported_pythons()
    out.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory(prefix="perfgen-bundle-") as work:
        wheel = perfgen_wheel(Path(work) / "perfgen")
        version = wheel.name.split("-")[1]
        for platform in (WINDOWS, LINUX) if linux else (WINDOWS,):
            wheels = Path(work) / platform.name
            wheels.mkdir()
            shutil.copy2(wheel, wheels / wheel.name)
            download(wheel, platform, pythons, wheels)
            if platform is WINDOWS:
                # cmd.exe reads a batch file in the console's code page: GBK (936) on Chinese Windows
                files = {
                    "安装.cmd": _crlf(windows_installer(pythons)).encode("gbk"),
                    "说明.txt": _crlf(windows_readme(pythons, version)).encode("utf-8-sig"),
                }
            else:
                files = {"安装.sh": linux_installer(pythons).encode(), "说明.txt": linux_readme(pythons, version).encode()}
            made.append(_archive(out, platform.name, files, wheels))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder for the bundles (default: dist/)")
    parser.add_argument("--linux", action="store_true", help="also the manylinux wheelhouse")
    args = parser.parse_args()
    for bundle in build_bundles(args.out, linux=args.linux):
        print(f"{bundle} ({bundle.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
