from __future__ import annotations

from pathlib import Path

import pytest

from kg.text.documents import load_bytes
from kg.extract import extract

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "luojiang-2022h1.txt"


def report(text: str, region: str = "四川省/德阳市/罗江区", title: str = "测试报告") -> bytes:
    return f"---\ntitle: {title}\nregion: {region}\nyear: 2022\n---\n{text}".encode("utf-8")


@pytest.fixture
def run():
    """Extract from a short report written for the test."""
    def _run(text: str, region: str = "四川省/德阳市/罗江区", title: str = "测试报告"):
        return extract(load_bytes(report(text, region, title), "test.txt"))
    return _run


def by_type(x, typ):
    return [e for e in x.entities if e.type == typ]


def labels(x, typ):
    return {e.label for e in by_type(x, typ)}


@pytest.fixture(scope="session")
def built_data(tmp_path_factory):
    """A build of the bundled report, shared by the search, web and SPARQL tests."""
    from app.build import build
    data = tmp_path_factory.mktemp("built")
    build([str(SEED)], data)
    return data


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(cmd: list[str], probe_url: str, env: dict | None = None):
    """Start a server process and wait until `probe_url` answers; fail the test if it never does."""
    import subprocess
    import time
    import urllib.request
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            urllib.request.urlopen(probe_url, timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail(f"{cmd[0]} did not start")


@pytest.fixture(scope="module", params=["kg serve", "kg serve --workers 2", "gunicorn"])
def either_server(request, built_data):
    """`kg serve` (waitress, one process), `kg serve --workers 2` (two processes on one port) and
    gunicorn with two workers (a deployment of its own), on the bundled report's build."""
    import os
    import shutil
    import sys
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, KG_DATA=str(built_data), KG_SPARQL_TIMEOUT="5")
    if request.param.startswith("kg serve"):
        cmd = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--data", str(built_data)]
        if request.param.endswith("2"):
            cmd += ["--workers", "2"]
    else:
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        cmd = [gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "web:create_app()"]
    proc = start_server(cmd, url + "/openapi.json", env)
    yield url
    proc.terminate()
    proc.wait(10)
