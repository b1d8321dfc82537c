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
