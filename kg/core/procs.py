"""Worker processes of a build: how many, and that they end with the build."""
from __future__ import annotations

import os
import sys

_REGISTERED = False


def count(chosen: int | None, most: int = 2) -> int:
    """Worker processes for one stage of a build: `chosen` (a setting) if given, else up to
    `most` where the machine has the cores; 1 (no workers) where fork is missing, since the
    workers share what the build has loaded (lexicons, the segmenter's dictionary)."""
    if chosen:
        return max(1, chosen)
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return 1
    return max(1, min(most, os.cpu_count() or 1))


def die_with_parent() -> bool:
    """Make every process forked from here end when this one does, even by kill -9: a worker left
    behind would wait on its queue for ever. False where the system cannot."""
    global _REGISTERED
    if _REGISTERED:
        return True
    import ctypes
    import signal
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    PR_SET_PDEATHSIG = 1

    def after_in_child() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    os.register_at_fork(after_in_child=after_in_child)
    _REGISTERED = True
    return True
