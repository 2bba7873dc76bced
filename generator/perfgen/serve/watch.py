"""Watch the townships' folders and tell which township changed (watchfiles: inotify, FSEvents or
ReadDirectoryChangesW, or polling where none works)."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from perfgen.serve.township import LiveTownship

# changes within this many milliseconds of each other come as one: an editor's save is several writes
STEP_MS = 30
# with no change, the watcher answers after this many milliseconds, with nothing
READY_MS = 200


def _owner(path: Path, townships: Iterable[LiveTownship]) -> LiveTownship | None:
    for township in townships:
        if path == township.folder or township.folder in path.parents:
            return township
    return None


def watch(
    townships: list[LiveTownship], stop: threading.Event, changed: Callable[[LiveTownship], None], ready: threading.Event
) -> None:
    """Call ``changed`` for each township whose files change, until ``stop`` is set; ``ready`` is set once
    the watching has begun (a change before then would not be seen)."""
    import watchfiles

    # the folders holding the townships: a township folder replaced as a whole (git checkout) is still seen
    roots = sorted({str(township.folder.parent) for township in townships})
    for changes in watchfiles.watch(
        *roots, stop_event=stop, step=STEP_MS, debounce=1000, raise_interrupt=False, ignore_permission_denied=True,
        rust_timeout=READY_MS, yield_on_timeout=True,  # the first (empty) answer tells that the watching has begun
    ):
        ready.set()
        touched = {_owner(Path(path), townships) for _, path in changes}
        for township in sorted((t for t in touched if t is not None), key=lambda t: t.number):
            try:
                changed(township)
            except Exception:  # a fault of perfgen's own: said once, and the preview goes on with the next save
                print(f"perfgen serve：更新 {township.name} 的预览时出错（请把下面的信息报告给维护人员）：", file=sys.stderr)
                traceback.print_exc()
