"""Run one function over many townships on several CPU cores, results in input order."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def default_jobs() -> int:
    return os.cpu_count() or 1


def ordered_map(
    function: Callable[[T], R],
    items: Iterable[T],
    jobs: int | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """``map(function, items)`` over ``jobs`` processes (in this process when 1); order is kept.

    ``function`` and ``initializer`` must be module-level functions so that
    worker processes can import them.
    """
    items = list(items)
    jobs = min(jobs or default_jobs(), max(len(items), 1))
    if jobs <= 1:
        if initializer:
            initializer(*initargs)
        yield from map(function, items)
        return
    from concurrent.futures import ProcessPoolExecutor  # only here: multiprocessing costs ~15 ms to import

    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(initializer, initargs)) as pool:
        yield from pool.map(function, items, chunksize=max(1, len(items) // (jobs * 8)))


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    _end_with_parent()
    if initializer:
        initializer(*initargs)


def _end_with_parent() -> None:
    """The worker is killed when the process that started it ends (Linux; elsewhere nothing changes).

    A killed perfgen would otherwise leave its workers waiting forever on their queue, holding its
    output pipes open: whoever ran it (a CI step, a test) would wait for them too.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl: the worker lives on as before
        pass
