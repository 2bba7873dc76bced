"""Read .doc and .wps files through LibreOffice's conversion to .docx.

The file is untrusted: LibreOffice opens anything (HTML or a flat ODT named .doc
too) and would fetch the images, style sheets and sections it links to (a
tracking beacon, a probe of the county intranet) and run its macros. The
conversion's temporary profile forbids both before LibreOffice starts.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from perfgen.errors import OfficeError, PerfgenError
from perfgen.office.command_line import convert_file
from perfgen.office.supervisor import INSTALL_HINT, Supervisor, find_soffice
from perfgen.paths import display_path


# Values from LibreOffice's Common.xcs, Writer.xcs and Calc.xcs (7.4 and later; a name an older one lacks is ignored).
# A proxy that never answers catches any fetch the other settings miss.
OFFLINE_SETTINGS = {
    "/org.openoffice.Office.Common/Security/Scripting": {
        "BlockUntrustedRefererLinks": ("boolean", "true"),  # no linked image, style sheet or frame is fetched
        "DisableMacrosExecution": ("boolean", "true"),
        "MacroSecurityLevel": ("int", "3"),  # very high: no macro runs
        "DisableActiveContent": ("boolean", "true"),  # OLE and DDE links (LibreOffice 24.2 on)
    },
    "/org.openoffice.Office.Writer/Content/Update": {"Link": ("short", "0"), "Field": ("boolean", "false")},  # never
    "/org.openoffice.Office.Calc/Content/Update": {"Link": ("int", "1")},  # never
    "/org.openoffice.Inet/Settings": {
        "ooInetProxyType": ("int", "1"),
        "ooInetNoProxy": ("string", ""),
        **{f"ooInet{kind}ProxyName": ("string", "127.0.0.1") for kind in ("HTTP", "HTTPS", "FTP")},
        **{f"ooInet{kind}ProxyPort": ("int", "9") for kind in ("HTTP", "HTTPS", "FTP")},  # discard: nothing listens
    },
}


def write_offline_profile(profile: Path) -> None:
    """Settings in LibreOffice's profile ``profile`` that keep a document from reaching the network or running code."""
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value xsi:type="xs:{kind}">{value}</value></prop></item>\n'
        for path, props in OFFLINE_SETTINGS.items()
        for name, (kind, value) in props.items()
    )
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n{items}</oor:items>\n',
        encoding="utf-8",
    )


def convert_to_docx(source: Path, timeout: float | None = None) -> bytes:
    """The .docx that LibreOffice makes of ``source`` (.doc or .wps), with a private profile.

    LibreOffice runs from its command line under the same supervision as for a build (office/supervisor.py):
    killed whole on a timeout, and neither it nor its temporary folder outlives perfgen.
    """
    soffice = find_soffice()
    if soffice is None:
        raise PerfgenError(f"导入 {source.suffix} 文件需要 LibreOffice 把它转换成 .docx，但没有找到 LibreOffice。{INSTALL_HINT}；"
                           "或者在 Word、WPS 中把它另存为 .docx 后再导入")
    with Supervisor(soffice, timeout, prefix="perfgen-import-") as office:
        write_offline_profile(office.folder / "profile")  # the profile LibreOffice is started with (-env:UserInstallation)
        scratch = Path(tempfile.mkdtemp(dir=office.folder))
        # a copy with a plain name: LibreOffice names its output after the input
        copy = scratch / f"source{source.suffix.lower()}"
        shutil.copyfile(source, copy)
        try:
            return convert_file(office, copy, "docx:MS Word 2007 XML", "docx")
        except OfficeError as exc:
            raise PerfgenError(
                f"无法用 LibreOffice 把 {display_path(source)} 转换成 .docx：{exc}。"
                "文件可能已损坏或加了密码；也可以在 Word、WPS 中另存为 .docx 后再导入"
            ) from None
