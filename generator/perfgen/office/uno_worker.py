"""Convert documents to PDF through one running LibreOffice, driven over UNO.

Runs under a Python that can ``import uno`` (Debian's python3 with python3-uno,
or the Python bundled with LibreOffice on Windows), not under perfgen's own.
It imports nothing from perfgen.

    python3 uno_worker.py SOFFICE PROFILE_URL PIPE_NAME

It starts LibreOffice once, then reads one JSON object per line on stdin,
{"in": "a.docx", "out": "a.pdf"}, and answers each with one line on stdout:
{"ok": true} or {"ok": false, "error": "..."}; when LibreOffice itself has
ended meanwhile (crashed, killed), the answer also holds its exit status,
{"ok": false, "error": "...", "ended": -9}, and the worker stops. At the end
of stdin it closes LibreOffice. The first line it writes is {"ready": true}
once connected.

LibreOffice runs in the worker's process group: perfgen kills that group
whole when it gives up on a conversion.
"""

import json
import subprocess
import sys
import time

import uno  # noqa: I001 - provided by LibreOffice's Python bridge
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

CONNECT_SECONDS = 120


def prop(name, value):
    value_ = PropertyValue()
    value_.Name = name
    value_.Value = value
    return value_


def say(message):
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def connect(process, pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # not listening yet
            if process.poll() is not None or time.time() > deadline:
                raise
            time.sleep(0.2)


def main():
    soffice, profile, pipe = sys.argv[1:4]
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        context = connect(process, pipe)
    except Exception as exc:
        ended = process.poll()
        reason = f"LibreOffice 退出（退出码 {ended}）" if ended is not None else f"{type(exc).__name__}: {exc}"
        say({"ready": False, "error": reason})
        process.kill()
        return
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    say({"ready": True})
    for line in sys.stdin:
        job = json.loads(line)
        try:
            document = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(job["in"]), "_blank", 0, (prop("Hidden", True), prop("ReadOnly", True))
            )
            try:
                document.storeToURL(uno.systemPathToFileUrl(job["out"]), (prop("FilterName", "writer_pdf_Export"),))
            finally:
                document.close(True)
            say({"ok": True})
        except Exception as exc:
            ended = process.poll()
            if ended is None:
                time.sleep(0.5)  # a bridge that broke as LibreOffice died: let it finish dying
                ended = process.poll()
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            if ended is not None:
                answer["ended"] = ended
                say(answer)
                return
            say(answer)
    try:
        desktop.terminate()
    except Exception:  # the bridge closes as LibreOffice quits
        pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


if __name__ == "__main__":
    main()
