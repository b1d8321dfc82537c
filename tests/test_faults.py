"""Faults and bad input: every bad file gets a clear error or loads, good files always load,
a killed build leaves the previous data whole, and reads during a rebuild see one build."""
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from kg.cli import main
from kg.store import current_build, open_store, query

from conftest import SEED

GOOD = "某区2022年工作报告\n区司法局开展普法宣传活动5场,办理行政复议案件3件。"


def bad_inputs(folder: Path) -> dict[str, str]:
    """name -> expected outcome ('ok' or a word of the error)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "gbk.txt": ("某县2023年度报告\n县司法局办理案件3件。".encode("gbk"), "ok"),
        "utf8-bom.txt": (b"\xef\xbb\xbf" + GOOD.encode("utf-8"), "ok"),
        "utf16.txt": (GOOD.encode("utf-16"), "ok"),
        "gbk-declared-utf8.html": ('<html><head><meta charset="utf-8"></head><body><p>区司法局开展普法宣传活动5场。</p></body></html>'.encode("gbk"), "ok"),
        "binary.txt": (bytes(range(256)) * 64, "binary"),
        "empty.txt": (b"", "empty"),
        "broken.html": (b"<html><body><div><p>\xe5\x8c\xba\xe5\x8f\xb8\xe6\xb3\x95\xe5\xb1\x80\xe5\xbc\x80\xe5\xb1\x95\xe6\xb4\xbb\xe5\x8a\xa8\xe3\x80\x82<table><tr><td>", "ok"),
        "front-unclosed.txt": (b"---\ntitle: x\nregion: y\n" + GOOD.encode(), "front matter"),
        "front-garbage.txt": (b"---\n::::\nnot a field\n---\n" + GOOD.encode(), "front matter"),
        "one-long-line.txt": (("区司法局开展普法宣传活动5场," * 40000).encode("utf-8"), "ok"),
        "deep.html": (("<div>" * 5000 + "<p>区司法局开展普法宣传活动5场。</p>" + "</div>" * 5000).encode(), "ok"),
        "big.txt": (b"", "oversized"),
    }
    out = {}
    for name, (data, expect) in files.items():
        p = folder / name
        if name == "big.txt":
            with open(p, "wb") as f:  # 50 MB of text, over the 20 MB limit
                f.write(("区司法局开展普法宣传活动。\n" * 1_340_000).encode("utf-8"))
        else:
            p.write_bytes(data)
        out[name] = expect
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    out["good.txt"] = "ok"
    return out


def test_bad_inputs_get_clear_errors_and_good_ones_load(tmp_path, capsys):
    expected = bad_inputs(tmp_path / "in")
    code = main(["extract", str(tmp_path / "in"), "--json"])
    out, err = capsys.readouterr()
    loaded = {Path(json.loads(line)["document"]["source"]).name for line in out.splitlines()}
    assert "Traceback" not in err
    for name, expect in expected.items():
        if expect == "ok":
            assert name in loaded, f"{name} should load; stderr: {err}"
        else:
            assert name not in loaded
            line = next(l for l in err.splitlines() if name in l)
            assert expect in line, line
    assert code == 1


def _build_cmd(data: Path, *paths: str):
    return [sys.executable, "-m", "kg.cli", "build", *paths, "--data", str(data)]


def test_kill_9_during_a_build_leaves_the_previous_data_whole(tmp_path):
    data = tmp_path / "data"
    assert subprocess.run(_build_cmd(data, str(SEED)), capture_output=True).returncode == 0
    good = current_build(data)
    corpus = tmp_path / "many"
    corpus.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(12):
        (corpus / f"r{i:02d}.txt").write_text(text, encoding="utf-8")
    for delay in (0.5, 1.5, 3.0):
        proc = subprocess.Popen(_build_cmd(data, str(corpus)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        build = current_build(data)
        assert build == good or (build / "manifest.json").exists()
        m = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
        store = open_store(data)
        n = int(next(iter(query(store, "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a zw:Report }")))["n"].value)
        assert n == len(m["documents"])  # graph and manifest from the same build
        assert (build / "index" / "userdict.txt").exists()  # and its index
        del store


def test_reads_during_a_rebuild_see_one_consistent_build(tmp_path):
    from web import create_app
    data = tmp_path / "data"
    assert subprocess.run(_build_cmd(data, str(SEED)), capture_output=True).returncode == 0
    client = create_app({"DATA": str(data), "TESTING": True}).test_client()
    sparql = "/sparql?query=" + urllib.parse.quote("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a zw:Report }")
    errors, answers, stop = [], set(), threading.Event()

    def reader():
        while not stop.is_set():
            seen = []
            for path in ("/search?q=万安", sparql, "/?format=json", "/regulations"):
                r = client.get(path, headers={"Accept": "application/json"})
                if r.status_code != 200:
                    errors.append((path, r.status_code))
                elif path.startswith("/search"):
                    seen.append(r.get_json()["total"])
                elif path.startswith("/sparql"):
                    seen.append(r.get_json()["results"]["bindings"][0]["n"]["value"])
            answers.add(tuple(seen))
            time.sleep(0.05)
    t = threading.Thread(target=reader)
    t.start()
    try:
        for _ in range(2):
            assert subprocess.run(_build_cmd(data, str(SEED)), capture_output=True).returncode == 0
    finally:
        stop.set()
        t.join(10)
    assert errors == []
    assert len(answers) == 1 and next(iter(answers))[1] == "1"  # the same answers from every build


def test_a_build_killed_while_indexing_leaves_no_process_behind(tmp_path):
    """The index is written by several processes (whoosh's MpWriter); kill -9 of `kg build` must
    not leave them waiting for work for ever."""
    import os

    from index.build import index_procs
    if index_procs() < 2:
        import pytest
        pytest.skip("the index is written by one process on this machine")
    corpus = tmp_path / "many"
    corpus.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(12):
        (corpus / f"r{i:02d}.txt").write_text(text, encoding="utf-8")

    def children(pid: int) -> set[int]:
        out = set()
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    stat = Path(f"/proc/{d}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    out.add(int(d))
        return out
    proc = subprocess.Popen(_build_cmd(tmp_path / "data", str(corpus)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    writers: set[int] = set()
    deadline = time.time() + 120
    while not writers and proc.poll() is None and time.time() < deadline:
        writers = children(proc.pid)
        time.sleep(0.01)
    assert writers, "the build ended before its index writers were seen"
    def alive(pid: int) -> bool:  # a zombie waiting to be reaped has ended
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(100):
        if not any(alive(w) for w in writers):
            break
        time.sleep(0.05)
    leftover = [w for w in writers if alive(w)]
    for w in leftover:
        os.kill(w, signal.SIGKILL)
    assert not leftover, "index writers outlived the build"
