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


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")


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


class OverBudget(Exception):
    """An item took more time or memory than allowed; its worker was stopped."""


def budgeted_map(fn, items: list, workers: int, seconds: float, memory: int):
    """fn(item) for each item in order, in `workers` forked processes, each item within a time
    and a memory budget: an item that runs longer than `seconds` or would take more than `memory`
    bytes beyond what the build had (an address-space limit, so Python raises MemoryError inside
    fn) yields an OverBudget in its place, and a worker that dies (killed, crashed) costs only its
    item; a new worker takes its place. Workers end with this process, even by kill -9."""
    import multiprocessing
    import time
    from multiprocessing.connection import wait

    die_with_parent()
    ctx = multiprocessing.get_context("fork")

    def serve(conn) -> None:
        try:
            import resource
            with open("/proc/self/statm") as f:  # what the fork shares, plus the budget
                size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            resource.setrlimit(resource.RLIMIT_AS, (size + memory, size + memory))
        except (OSError, ValueError, ImportError):
            pass
        while True:
            try:
                job = conn.recv()
            except EOFError:
                return
            if job is None:
                return
            i, item = job
            try:
                out = fn(item)
            except MemoryError:
                out = OverBudget(f"needs more than {memory >> 20} MB of memory")
            conn.send((i, out))

    def start():
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=serve, args=(child,), daemon=True)
        proc.start()
        child.close()
        return {"proc": proc, "conn": parent, "job": None, "since": 0.0}

    pool = [start() for _ in range(max(1, min(workers, len(items))))]
    pending = list(enumerate(items))[::-1]
    done: dict[int, object] = {}
    nxt = 0
    try:
        while nxt < len(items):
            for w in pool:  # give idle workers the next items
                if w["job"] is None and pending:
                    w["job"] = pending.pop()
                    w["since"] = time.monotonic()
                    w["conn"].send(w["job"])
            busy = [w for w in pool if w["job"] is not None]
            ready = wait([w["conn"] for w in busy] + [w["proc"].sentinel for w in busy], timeout=1.0)
            now = time.monotonic()
            for k, w in enumerate(pool):
                if w["job"] is None:
                    continue
                i = w["job"][0]
                if w["conn"] in ready:
                    try:
                        j, out = w["conn"].recv()
                        done[j] = out
                        w["job"] = None
                        continue
                    except (EOFError, OSError):
                        pass  # it died while answering: handled below
                late = now - w["since"] > seconds
                dead = not w["proc"].is_alive()
                if late or dead or w["proc"].sentinel in ready:
                    if w["proc"].is_alive():
                        w["proc"].kill()
                    w["proc"].join(5)
                    done[i] = OverBudget(f"took more than {seconds:g} s" if late else
                                         f"its worker stopped (exit {w['proc'].exitcode})")
                    w["conn"].close()
                    pool[k] = start()
            while nxt in done:
                yield done.pop(nxt)
                nxt += 1
    finally:
        for w in pool:
            try:
                w["conn"].send(None)
            except (OSError, BrokenPipeError):
                pass
        for w in pool:
            w["proc"].join(1)
            if w["proc"].is_alive():
                w["proc"].kill()
                w["proc"].join(1)
