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

import pytest

from app.cli import main
from kg.datafolder import current_build
from kg.graph.store import open_store, query

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
    return [sys.executable, "-m", "app.cli", "build", *paths, "--data", str(data)]


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
    """The index is written by several processes (one segment each); kill -9 of `kg build` must
    not leave them behind."""
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


def _good_reports(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"r{i:02d}.txt").write_text(f"---\ntitle: 某区2022年工作报告{i}\nyear: 2022\n---\n{GOOD}", encoding="utf-8")
    return folder


def test_a_bad_year_costs_its_report_not_the_index(tmp_path):
    """A 50-digit year made both index writers fail while the build exited 0, and every
    search then found nothing."""
    corpus = _good_reports(tmp_path / "in", 10)
    (corpus / "bad-year.txt").write_text("---\ntitle: 坏年份\nyear: " + "9" * 50 + "\n---\n" + GOOD, encoding="utf-8")
    (corpus / "bad-date.txt").write_text("---\ntitle: 坏日期\npublished: not-a-date\n---\n" + GOOD, encoding="utf-8")
    (corpus / "superscript.txt").write_text("---\ntitle: 上标\nyear: ²\n---\n" + GOOD, encoding="utf-8")
    data = tmp_path / "data"
    r = subprocess.run([sys.executable, "-m", "app.cli", "build", str(corpus), "--data", str(data)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert "bad-year.txt: front matter: year" in r.stderr and "is not a year" in r.stderr
    assert "bad-date.txt: front matter: published 'not-a-date' is not a date" in r.stderr
    assert "superscript.txt: front matter: year '²'" in r.stderr
    s = subprocess.run([sys.executable, "-m", "app.cli", "search", "普法", "--json", "--data", str(data)],
                       capture_output=True, text=True, timeout=120)
    assert json.loads(s.stdout)["total"] >= 10


@pytest.mark.parametrize("full", [True, False], ids=["full", "incremental"])
def test_an_index_writer_failure_fails_the_build_and_keeps_the_last_one(tmp_path, monkeypatch, full):
    from index import build as index_build
    from app.build import build
    data = tmp_path / "data"
    build([str(_good_reports(tmp_path / "a", 3))], data)
    before = current_build(data)
    real_writer = index_build._writer

    class DropsDocuments:  # a writer that loses cards
        def __init__(self, ix, *args, **kwargs):
            self.w = real_writer(ix, *args, **kwargs)
            self.n = 0

        def add_document(self, **fields):
            self.n += 1
            if self.n % 2:
                self.w.add_document(**fields)

        def __getattr__(self, name):
            return getattr(self.w, name)
    monkeypatch.setattr(index_build, "_writer", DropsDocuments)
    new = _good_reports(tmp_path / "b", 3)
    (new / "r01.txt").write_text(f"---\ntitle: 某县2023年工作报告\n---\n{GOOD}县公安局开展宣传3场。", encoding="utf-8")
    with pytest.raises(index_build.IndexBuildError, match="an index writer failed"):
        build([str(new)], data, full=full)
    assert current_build(data) == before
    left = [p for p in (data / "builds").iterdir() if p.name != before.name]
    assert not left, [str(f.relative_to(left[0])) for f in left[0].rglob("*")][:40]


def test_a_failure_while_the_store_compacts_fails_the_build_and_leaves_no_folder(tmp_path, monkeypatch):
    """A full build compacts its store while the index reads the entities: a failure there must
    wait for the compaction before the new build's folder goes, and keep the current build."""
    from index import build as index_build
    from app import build as app_build
    from app.build import build
    data = tmp_path / "data"
    build([str(_good_reports(tmp_path / "a", 3))], data)
    before = current_build(data)

    def broken(*args, **kwargs):
        raise RuntimeError("the store could not be read")
    monkeypatch.setattr(index_build, "_entities", broken)
    background = app_build._in_background

    def slow(work, name):  # a compaction still running when the failure comes (as at 1,000 reports)
        return background(lambda: (time.sleep(1.5), work()), name)
    monkeypatch.setattr(app_build, "_in_background", slow)
    with pytest.raises(RuntimeError, match="could not be read"):
        build([str(_good_reports(tmp_path / "b", 3))], data, full=True)
    for t in threading.enumerate():
        if t.name == "compaction":  # what the build left running, had it not waited
            t.join()
    assert current_build(data) == before
    left = [p for p in (data / "builds").iterdir() if p.name != before.name]
    assert not left, [str(f.relative_to(left[0])) for f in left[0].rglob("*")][:40]
    monkeypatch.undo()
    r = subprocess.run([sys.executable, "-m", "app.cli", "search", "普法", "--json", "--data", str(data)],
                       capture_output=True, text=True, timeout=120)
    assert json.loads(r.stdout)["total"] >= 1


def test_two_builds_at_once_do_not_destroy_each_other(tmp_path):
    """The first to finish deleted the other's build directory; now a second build refuses while
    the first holds the data folder's lock (held here as a running build holds it)."""
    from kg.datafolder import lock
    corpus = _good_reports(tmp_path / "in", 5)
    data = tmp_path / "data"
    cmd = [sys.executable, "-m", "app.cli", "build", str(corpus), "--data", str(data)]
    assert subprocess.run(cmd, capture_output=True, text=True, timeout=300).returncode == 0
    before = current_build(data)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from kg.datafolder import lock\nwith lock(Path(sys.argv[1])):\n    print('held', flush=True)\n"
                               "    time.sleep(60)", str(data)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        second = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert second.returncode == 1 and "Traceback" not in second.stderr
        assert f"another kg build (pid {holder.pid}) is running" in second.stderr
        assert current_build(data) == before and before.exists()
    finally:
        holder.kill()
        holder.wait()
    # a killed build's lock goes with it: the next build runs
    assert subprocess.run(cmd, capture_output=True, text=True, timeout=300).returncode == 0
    with lock(data):  # and it is free again once that build is over
        pass


def test_a_relative_data_folder_keeps_the_build_readers_use(tmp_path):
    """With --data given relatively (as the default ./data is), each swap deleted the build it
    had just replaced, under the feet of readers that still held it."""
    corpus = _good_reports(tmp_path / "in", 2)
    for round_ in range(3):
        r = subprocess.run([sys.executable, "-m", "app.cli", "build", str(corpus), "--data", "data", "--full"],
                           capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        if round_ == 0:
            first = current_build(tmp_path / "data")
        if round_ == 1:
            assert first.exists(), "the replaced build is kept until the next swap"
    builds = sorted(p.name for p in (tmp_path / "data" / "builds").iterdir())
    assert len(builds) == 2 and current_build(tmp_path / "data").name in builds


def _break(data: Path, how: str) -> None:
    build = current_build(data)
    if how == "current is a file":
        (data / "current").unlink()
        (data / "current").write_text("x")
    elif how == "current is a folder":
        (data / "current").unlink()
        (data / "current").mkdir()
    elif how == "current dangles":
        (data / "current").unlink()
        (data / "current").symlink_to(data / "builds" / "gone")
    elif how == "manifest truncated":
        m = build / "manifest.json"
        m.write_text(m.read_text()[:40])
    elif how == "store missing":
        import shutil
        shutil.rmtree(build / "store")
    elif how == "store garbage":
        for f in (build / "store").iterdir():
            if f.is_file():
                f.write_bytes(b"garbage" * 100)
    elif how == "index missing":
        import shutil
        shutil.rmtree(build / "index")
    elif how == "index garbage":
        for f in (build / "index").iterdir():
            f.write_bytes(b"garbage")


import pytest  # noqa: E402


@pytest.mark.parametrize("how", ["current is a file", "current is a folder", "current dangles", "manifest truncated",
                                 "store missing", "store garbage", "index missing", "index garbage"])
def test_a_broken_data_folder_gets_clear_messages_and_a_build_repairs_it(tmp_path, how):
    corpus = _good_reports(tmp_path / "in", 2)
    data = tmp_path / "data"
    kg = [sys.executable, "-m", "app.cli"]
    assert subprocess.run(kg + ["build", str(corpus), "--data", str(data)], capture_output=True).returncode == 0
    _break(data, how)
    noticed = 0
    for cmd in (["stats"], ["search", "普法"], ["query", "ASK { ?s ?p ?o }"], ["validate"]):
        r = subprocess.run(kg + cmd + ["--data", str(data)], capture_output=True, text=True, timeout=120)
        assert "Traceback" not in r.stderr, (cmd, r.stderr)
        if r.returncode != 0:  # what the damage left readable may still answer; the rest says what to do
            assert "kg build" in r.stderr and len(r.stderr.strip().splitlines()) == 1, (cmd, r.stderr)
            noticed += 1
    assert noticed >= 1
    from web import create_app
    page = create_app({"DATA": str(data)}).test_client().get("/")
    assert page.status_code in (200, 503) and ("kg build" in page.get_data(as_text=True) or page.status_code == 200)
    r = subprocess.run(kg + ["build", str(corpus), "--data", str(data)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    r = subprocess.run(kg + ["search", "普法", "--json", "--data", str(data)], capture_output=True, text=True)
    assert json.loads(r.stdout)["total"] >= 2
    assert create_app({"DATA": str(data)}).test_client().get("/").status_code == 200


def test_a_data_folder_that_cannot_be_written_gets_a_clear_message(tmp_path, monkeypatch, capsys):
    def refuse(self, *a, **k):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(Path, "mkdir", refuse)
    code = main(["build", str(SEED), "--data", str(tmp_path / "ro")])
    err = capsys.readouterr().err
    assert code == 1 and "cannot write to" in err and "Permission denied" in err


def test_a_municipality_has_one_type_in_every_report(tmp_path):
    """天津市 was a province in one report and a city in another, so the build passed and
    `kg validate` failed."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("---\ntitle: 和平区2022年法治政府建设工作报告\nregion: 天津市/和平区\n---\n和平区司法局开展普法宣传活动。",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("---\ntitle: 天津市2022年法治政府建设工作报告\nregion: 天津市\n---\n天津市司法局开展普法宣传活动,"
                                  "天津市和平区推进工作。", encoding="utf-8")
    data = tmp_path / "data"
    assert main(["build", str(folder), "--data", str(data)]) == 0
    assert main(["validate", "--data", str(data)]) == 0
    rows = list(query(open_store(data), 'SELECT DISTINCT ?t WHERE { ?p skos:prefLabel "天津市"@zh ; zw:placeType ?t }'))
    assert [r["t"].value for r in rows] == ["province"]


def test_a_report_over_its_time_or_memory_budget_is_skipped_and_costs_nothing_else(tmp_path, monkeypatch):
    """A report that would take minutes or gigabytes (a recogniser gone quadratic, a hostile
    file) is stopped at its budget and skipped with the reason; the others load."""
    from app import build as build_module
    corpus = _good_reports(tmp_path / "in", 4)
    (corpus / "r01.txt").write_text("---\ntitle: slow\n---\n" + GOOD, encoding="utf-8")
    (corpus / "r02.txt").write_text("---\ntitle: greedy\n---\n" + GOOD, encoding="utf-8")
    real = build_module.extract

    def extract(doc):
        if doc.meta.title == "slow":
            time.sleep(60)
        if doc.meta.title == "greedy":
            hog = [bytearray(1 << 20) for _ in range(4096)]  # 4 GB
            del hog
        return real(doc)
    monkeypatch.setattr(build_module, "extract", extract)
    monkeypatch.setenv("KG_REPORT_SECONDS", "3")
    monkeypatch.setenv("KG_REPORT_MEMORY", str(400 << 20))
    t = time.monotonic()
    r = build_module.build([str(corpus)], tmp_path / "data", jobs=2)
    assert time.monotonic() - t < 45
    reasons = {Path(p).name: why for p, why in r.skipped}
    assert set(reasons) == {"r01.txt", "r02.txt"}
    assert "took more than 3 s" in reasons["r01.txt"] and "KG_REPORT_SECONDS" in reasons["r01.txt"]
    assert "400 MB" in reasons["r02.txt"]
    assert sorted(Path(p).name for p in r.loaded) == ["r00.txt", "r03.txt"]


def test_a_worker_that_dies_costs_only_its_report(tmp_path, monkeypatch):
    import os as _os
    from app import build as build_module
    corpus = _good_reports(tmp_path / "in", 3)
    (corpus / "r01.txt").write_text("---\ntitle: crash\n---\n" + GOOD, encoding="utf-8")
    real = build_module.extract

    def extract(doc):
        if doc.meta.title == "crash":
            import faulthandler
            faulthandler.disable()  # pytest's dump of the child's stack is noise here
            _os.kill(_os.getpid(), signal.SIGSEGV)
        return real(doc)
    monkeypatch.setattr(build_module, "extract", extract)
    r = build_module.build([str(corpus)], tmp_path / "data", jobs=1)
    assert [Path(p).name for p, _ in r.skipped] == ["r01.txt"] and "worker stopped" in r.skipped[0][1]
    assert sorted(Path(p).name for p in r.loaded) == ["r00.txt", "r02.txt"]
