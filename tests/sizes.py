"""How much random and seeded input the tests draw: a share in the fast loop, all of it in CI.

``PERFGEN_EXAMPLES`` is the number of examples per property test: tests/run.sh (and so CI) sets
``FULL`` (200), a plain pytest run (the fast loop) draws 50, new ones each run; more for a longer run.
The seeded corpora scale with it and are drawn in the same order, so a smaller run reads the first
files of CI's.
"""

from __future__ import annotations

import os

FULL = 200
EXAMPLES = int(os.environ.get("PERFGEN_EXAMPLES", "50"))


def share(full: int) -> int:
    """A seeded corpus of ``full`` files in CI, scaled to ``EXAMPLES``: at least one."""
    return max(1, full * EXAMPLES // FULL)
