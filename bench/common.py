"""What several benchmarks share: the default corpus and a gunicorn server on a free port."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def default_paths() -> list[str]:
    """The bundled report, plus the dev reports when ../shared is beside the checkout."""
    dev = ROOT.parent / "shared/corpus/dev"
    return [str(ROOT / "corpus")] + ([str(dev)] if dev.exists() else [])


def distinct_queries(data: Path, n: int) -> list[str]:
    """Up to n different search queries made from the graph's names: whole names, their
    two-character pieces, then pairs of pieces of one name, so a benchmark can defeat the
    result cache."""
    from kg.graph.store import open_store, query
    store = open_store(data)
    names = sorted({r["l"].value for r in query(store, "SELECT DISTINCT ?l WHERE { ?x skos:prefLabel ?l }")})
    del store
    pieces = list(dict.fromkeys(n[i:i + 2] for n in names for i in range(0, len(n) - 1, 2)))
    pool = names + pieces
    # then pieces of one name asked together, in both orders (罗江 司法局, 司法局 罗江): they match
    for order in (1, -1):
        for name in names:
            ps = [name[i:i + 2] for i in range(0, len(name) - 1, 2)][::order]
            pool += [f"{ps[i]} {ps[j]}" for i in range(len(ps)) for j in range(i + 1, len(ps))]
    return list(dict.fromkeys(pool))[:n]


@contextlib.contextmanager
def gunicorn(data: Path, workers: int = 2, threads: int = 1):
    """Serve `data` with gunicorn on 127.0.0.1; yields the base URL once the app answers.
    With threads > 1 the workers are gthread workers, which keep connections alive."""
    with gunicorn_process(data, workers, threads) as (base, _):
        yield base


@contextlib.contextmanager
def gunicorn_process(data: Path, workers: int = 2, threads: int = 1):
    """As gunicorn(), yielding (base URL, the gunicorn master process)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
    threading = ["-k", "gthread", "--threads", str(threads)] if threads > 1 else []
    proc = subprocess.Popen([exe, "-w", str(workers), *threading, "-b", f"127.0.0.1:{port}", "web:create_app()"],
                            env=dict(os.environ, KG_DATA=str(data)), cwd=str(ROOT),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/openapi.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(10)
