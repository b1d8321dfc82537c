"""Run every benchmark, with the peers in the same run, and write bench/RESULTS.md.

    python bench/run_all.py                      # sizes 100, 1000, 10000 reports; 10-minute load run
    python bench/run_all.py --sizes 100,1000 --load-seconds 600
    python bench/run_all.py --quick              # 100 reports, 30 s load run: a smoke test

Steps, each on generated reports (bench/generate.py, deterministic) unless said otherwise:
1. `kg build` at each size, in a child process: wall and CPU time (MB/s per core, reports/s),
   store and index size, peak RSS.
2. Search at each build (about 110 passages per report): p50/p95 of 25 queries with
   highlighting and facets; peer: SQLite FTS5 with the trigram tokenizer over the same entity
   names and passages, with snippet() highlighting (what a Datasette user would do).
3. Known-item success on ../shared/eval/search_queries.tsv over a build of the bundled and dev
   reports, for our search and for the FTS5 peer, judged by the same rule as score_search.py.
4. The SPARQL gallery over a build of about 1M triples: our endpoint (gunicorn, 2 workers) and,
   as peer, Oxigraph server (PyPI `oxigraph`) over HTTP on the same store, for the queries it can
   run (ours add the full-text functions zw:matches/zw:score); both keep one connection alive.
5. HTTP: search pages under gunicorn with 2 workers and 16 wrk clients, distinct queries.
6. Load run: wrk on a mix of search, entity, document and SPARQL requests for --load-seconds,
   with errors counted and the server's memory sampled (flat memory: last against first minute).

Needs Debian's `wrk` for steps 5 and 6 (they are skipped, and say so, without it).
"""
from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from common import default_paths, distinct_queries, gunicorn, gunicorn_process  # noqa: E402
from generate import generate  # noqa: E402
from search_bench import QUERIES as SEARCH_QUERIES  # noqa: E402

SHARED = ROOT.parent / "shared"
GOALS = {"build": 1.0, "search_p95": 50.0, "gallery_p95": 100.0, "rps": 300.0, "p99": 200.0}


# ------------------------------------------------------------------ helpers

def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))] if xs else float("nan")


def size_of(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def kg_exe() -> str:
    return shutil.which("kg") or str(Path(sys.executable).parent / "kg")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    distro = ""
    try:
        distro = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    return f"{os.cpu_count()} × {cpu}, {mem:.0f} GiB RAM, {distro or platform.platform()}"


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version
    out = [f"CPython {platform.python_version()}"]
    for name in ("pyoxigraph", "rdflib", "whoosh3", "rjieba", "flask", "gunicorn", "oxigraph"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    out.append(f"SQLite {sqlite3.sqlite_version}")
    wrk = shutil.which("wrk")
    if wrk:
        v = subprocess.run([wrk, "--version"], capture_output=True, text=True)
        out.append((v.stdout or v.stderr).split("\n")[0].split(" [")[0])
    return ", ".join(out)


# ------------------------------------------------------------------ 1. build

def _status_kb(pid: int, field: str) -> int:
    """A memory figure of a running process from /proc/PID/status, in kB (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _vm_hwm_kb(pid: int) -> int:
    """The peak resident set of a running process."""
    return _status_kb(pid, "VmHWM")


def _pss_kb(pid: int) -> int:
    """A process's proportional set size: its private pages plus its share of pages it shares
    (a forked child shares its parent's pages until either writes them)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """A process and all its descendants, from /proc's children lists."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in Path(f"/proc/{p}/task").iterdir():
                todo += [int(k) for k in (t / "children").read_text().split()]
        except OSError:
            continue
    return out


def _tree_rss_kb(pid: int) -> int:
    """The memory now of a process and its descendants (the index's writer processes), as the sum
    of their proportional set sizes, so that pages they share count once."""
    return sum(_pss_kb(p) for p in _tree(pid))


def timed_build(inputs: list[str], data: Path) -> dict:
    """A fresh `kg build` in a child process: wall seconds, CPU seconds and the child's peak RSS."""
    shutil.rmtree(data, ignore_errors=True)
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:
        proc = subprocess.Popen([kg_exe(), "build", *inputs, "--data", str(data)], stdout=out_f, stderr=err_f,
                                text=True)
        # the child's own peak: wait4's ru_maxrss would also count this process's pages, which the
        # child holds between fork and exec; /proc's VmHWM is the peak of the exec'd program alone
        peak_kb = tree_kb = 0
        while True:
            peak_kb = max(peak_kb, _vm_hwm_kb(proc.pid))
            tree_kb = max(tree_kb, _tree_rss_kb(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_f.seek(0)
        err_f.seek(0)
        out, err = out_f.read(), err_f.read()
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"kg build failed ({proc.returncode}): {err[-500:]}")
    m = json.loads((data / "current" / "manifest.json").read_text(encoding="utf-8"))
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": peak_kb / 1024,
            "tree_rss_mb": max(tree_kb, peak_kb) / 1024,  # the main process's own peak at least
            "triples": m["triples"], "reports": len(m["documents"]), "out": out.strip(),
            "store_mb": size_of(data / "current" / "store") / 1e6,
            "index_mb": size_of(data / "current" / "index") / 1e6}


# ------------------------------------------------------------------ 2. search and the FTS5 peer

def index_records(data: Path) -> list[dict]:
    """Entity names and passages exactly as our index holds them."""
    from index.search import open_index
    from kg.datafolder import index_dir
    ix = open_index(str(index_dir(data)))
    with ix.searcher() as s:
        return [{"kind": f.get("kind"), "label": f.get("label") or f.get("doc_title") or "",
                 "aliases": f.get("aliases") or "", "text": f.get("text") or ""}
                for f in s.all_stored_fields()]


class Fts5:
    """The peer: one SQLite FTS5 table with the trigram tokenizer over the same records."""

    def __init__(self, records: list[dict], path: Path):
        if path.exists():
            path.unlink()
        self.db = sqlite3.connect(str(path), check_same_thread=False)
        self.db.execute("CREATE VIRTUAL TABLE t USING fts5(kind UNINDEXED, label, aliases, text, tokenize='trigram')")
        with self.db:
            self.db.executemany("INSERT INTO t VALUES (?, ?, ?, ?)",
                                [(r["kind"], r["label"], r["aliases"], r["text"]) for r in records])
        self.bytes = path.stat().st_size

    def search(self, q: str, limit: int = 10) -> list[dict]:
        """Words of three characters or more through MATCH (ranked by bm25); shorter words, which
        the trigram index cannot look up, as substring filters."""
        words = [w for w in re.split(r"\s+", q.replace('"', " ")) if w and w.upper() not in ("OR", "AND")]
        words = [w.split(":", 1)[1] if ":" in w else w for w in words]
        long = [w for w in words if len(w) >= 3]
        short = [w for w in words if len(w) < 3]
        where, args = [], []
        if long:
            where.append("t MATCH ?")
            args.append(" AND ".join('"' + w + '"' for w in long))
        for w in short:
            where.append("(instr(label, ?) OR instr(aliases, ?) OR instr(text, ?))")
            args += [w, w, w]
        if not where:
            return []
        order = "ORDER BY bm25(t)" if long else ""
        sql = (f"SELECT kind, label, aliases, snippet(t, 3, '<mark>', '</mark>', '…', 24) FROM t "
               f"WHERE {' AND '.join(where)} {order} LIMIT {int(limit)}")
        return [{"label": r[1], "snippet": r[3] or r[2]} for r in self.db.execute(sql, args)]


def search_latency(data: Path, peer: Fts5, repeat: int) -> dict:
    from index.search import search
    from kg.datafolder import index_dir
    ix = index_dir(data)
    ours, theirs = [], []
    for q in SEARCH_QUERIES:
        search(ix, q, limit=10)
        peer.search(q)
    for _ in range(repeat):
        for q in SEARCH_QUERIES:
            t = time.perf_counter()
            search(ix, q, limit=10)
            ours.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            peer.search(q)
            theirs.append((time.perf_counter() - t) * 1000)
    return {"p50": statistics.median(ours), "p95": pct(ours, 0.95),
            "peer_p50": statistics.median(theirs), "peer_p95": pct(theirs, 0.95)}


def known_items(data: Path, peer: Fts5) -> tuple[int, int, int]:
    """(ours, peer, total) queries of search_queries.tsv whose target is in the top k."""
    import unicodedata

    from index.search import search
    from kg.datafolder import index_dir

    def norm(s):
        return unicodedata.normalize("NFKC", s or "").replace(" ", "")
    rows = []
    for line in (SHARED / "eval" / "search_queries.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            q, expect, k, *_ = line.split("\t")
            rows.append((q, expect, int(k)))
    ours = theirs = 0
    for q, expect, k in rows:
        for hits, who in ((search(index_dir(data), q, limit=k)["hits"], "ours"), (peer.search(q, k), "peer")):
            ok = any(norm(expect) in norm(h.get("label")) or norm(expect) in norm(h.get("snippet")) for h in hits[:k])
            if ok and who == "ours":
                ours += 1
            elif ok:
                theirs += 1
    return ours, theirs, len(rows)


# ------------------------------------------------------------------ 4. SPARQL gallery, ours and Oxigraph server

def _post(conn: http.client.HTTPConnection, path: str, sparql: str) -> int:
    conn.request("POST", path, body=sparql.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    resp = conn.getresponse()
    resp.read()
    return resp.status


def gallery_latency(data: Path, repeat: int) -> dict:
    from kg.core.vocab import sparql_prefixes
    from web.gallery import gallery
    store = data / "current" / "store"
    port = free_port()
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    peer = None
    if Path(exe).exists():
        peer = subprocess.Popen([exe, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ours_lat: dict[str, list[float]] = {}
    peer_lat: dict[str, list[float]] = {}
    try:
        with gunicorn(data, threads=4) as base:
            conn = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=120)
            pconn = None
            if peer is not None:
                for _ in range(100):
                    try:
                        pconn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                        _post(pconn, "/query", "ASK {}")
                        break
                    except OSError:
                        pconn = None
                        time.sleep(0.2)
            for q in gallery():
                full = sparql_prefixes() + "\n" + q["query"]
                peer_ok = pconn is not None and "zw:matches" not in q["query"] and "zw:score" not in q["query"]
                for i in range(repeat + 2):  # two warm-up runs (each worker's query process)
                    t = time.perf_counter()
                    status = _post(conn, "/sparql", q["query"])
                    if status != 200:
                        raise SystemExit(f"gallery query {q['id']} failed on our endpoint: HTTP {status}")
                    if i >= 2:
                        ours_lat.setdefault(q["id"], []).append((time.perf_counter() - t) * 1000)
                    if peer_ok:
                        t = time.perf_counter()
                        if _post(pconn, "/query", full) != 200:
                            peer_ok = False
                            peer_lat.pop(q["id"], None)
                        elif i >= 2:
                            peer_lat.setdefault(q["id"], []).append((time.perf_counter() - t) * 1000)
                log(f"  gallery {q['id']}: ours p50 {statistics.median(ours_lat[q['id']]):.1f} ms"
                    + (f", Oxigraph server {statistics.median(peer_lat[q['id']]):.1f} ms" if q["id"] in peer_lat else ""))
    finally:
        if peer is not None:
            peer.terminate()
            peer.wait(10)
    allq = [x for v in ours_lat.values() for x in v]
    common = [k for k in ours_lat if k in peer_lat]
    ours_common = sum(statistics.median(ours_lat[k]) for k in common)
    peer_common = sum(statistics.median(peer_lat[k]) for k in common)
    worst = sorted(((statistics.median(v), k) for k, v in ours_lat.items()), reverse=True)[:3]
    return {"p50": statistics.median(allq), "p95": pct(allq, 0.95), "queries": len(ours_lat),
            "common": len(common), "ours_common_ms": ours_common, "peer_common_ms": peer_common,
            "peer_p95": pct([x for k in common for x in peer_lat[k]], 0.95) if common else float("nan"),
            "ours_common_p95": pct([x for k in common for x in ours_lat[k]], 0.95) if common else float("nan"),
            "slowest": ", ".join(f"{k} {m:.0f} ms" for m, k in worst)}


# ------------------------------------------------------------------ 5, 6. HTTP with wrk

def _wrk(base: str, paths: list[str], seconds: int, clients: int, tmp: Path) -> dict:
    lua = tmp / f"paths{len(paths)}.lua"
    lua.write_text("local paths = {" + ", ".join(json.dumps(p) for p in paths) + "}\nlocal i = 0\n"
                   "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n",
                   encoding="utf-8")
    out = subprocess.run([shutil.which("wrk"), "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", str(lua),
                          "--timeout", "10s", base], capture_output=True, text=True).stdout

    def ms(label):
        m = re.search(label + r"\s+([\d.]+)(us|ms|s)\b", out)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {"rps": float(rps.group(1)) if rps else float("nan"), "p50": ms("50%"), "p99": ms("99%"),
            "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0),
            "requests": int(total.group(1)) if total else 0}


def _rss_of_tree(pid: int) -> float:
    """Resident memory (MB) of a process and all its descendants."""
    return sum(_status_kb(p, "VmRSS") for p in _tree(pid)) / 1024


def http_runs(data: Path, tmp: Path, seconds: int, load_seconds: int) -> dict:
    from kg.graph.store import open_store, query
    queries = distinct_queries(data, 40000)
    out: dict = {"distinct": len(queries)}
    search_paths = ["/search?q=" + urllib.parse.quote(q) for q in queries]
    store = open_store(data)
    entities = [r["e"].value for r in query(store, "SELECT ?e WHERE { ?e a ?t . VALUES ?t { zw:Department zw:Place "
                                                  "zw:Regulation zw:Initiative } } LIMIT 300")]
    docs = [r["d"].value for r in query(store, "SELECT ?d WHERE { ?d a zw:Report } LIMIT 20")]
    del store
    sparql = ["/sparql?query=" + urllib.parse.quote("SELECT ?l WHERE { ?d a zw:Department ; skos:prefLabel ?l } LIMIT 20"),
              "/sparql?query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?f a zw:Fact }")]
    with gunicorn_process(data, threads=4) as (base, server):
        local = [urllib.parse.quote(urllib.parse.urlsplit(iri).path) for iri in entities + docs]
        for p in search_paths[:50] + local[:20]:  # warm both workers
            urllib.request.urlopen(base + p).read()
        log(f"HTTP: search pages, {len(search_paths)} distinct queries, {seconds} s")
        out["search"] = _wrk(base, search_paths, seconds, 16, tmp)
        if load_seconds:
            mix = []
            for i in range(max(len(search_paths), len(local))):
                mix.append(search_paths[i % len(search_paths)])
                if i % 2 == 0:
                    mix.append(local[i % len(local)])
                if i % 10 == 0:
                    mix.append(sparql[i % len(sparql)])
            pid = server.pid
            samples: list[tuple[float, float]] = []
            stop = threading.Event()

            def sample():
                t0 = time.time()
                while not stop.is_set():
                    samples.append((time.time() - t0, _rss_of_tree(pid)))
                    stop.wait(5)
            th = threading.Thread(target=sample, daemon=True)
            th.start()
            log(f"load run: {load_seconds} s of mixed requests")
            out["load"] = _wrk(base, mix, load_seconds, 16, tmp)
            stop.set()
            th.join()
            minute = max(1, min(60, load_seconds // 5))
            first = [m for t, m in samples if t <= minute]
            last = [m for t, m in samples if t >= load_seconds - minute]
            out["load"].update(rss_first=statistics.median(first) if first else float("nan"),
                               rss_last=statistics.median(last) if last else float("nan"),
                               rss_max=max((m for _, m in samples), default=float("nan")), window=minute)
    return out


# ------------------------------------------------------------------ report

def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def write_results(path: Path, r: dict, args) -> None:
    L = []
    L.append("# Benchmark results\n")
    L.append(f"Written by `python bench/run_all.py {' '.join(args.argv)}` on {r['date']} "
             f"({r['minutes']:.0f} minutes).\n")
    L.append(f"- Machine: {r['machine']}")
    L.append(f"- Versions: {r['versions']}")
    L.append("- Corpus: `bench/generate.py` (seed 7): the bundled report re-homed in other counties, with their "
             "towns and villages, departments swapped, numbers, years and sentences varied, plus sentences "
             "assembled from our lexicons.\n")
    L.append("## Build (`kg build` in a child process)\n")
    L.append("| reports | text | triples | wall | CPU | MB/s | MB/s per core | reports/s | store | index | "
             "peak RSS (with index writers) | goal ≥ 1 MB/s |")
    L.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for b in r["builds"]:
        per_core = b["mb"] / b["cpu"]
        wall_rate = b["mb"] / b["wall"]
        tree = b.get("tree_rss_mb", b["rss_mb"])
        L.append(f"| {b['reports']:,}{' (gallery)' if b.get('for_gallery') else ''} | {b['mb']:.1f} MB | {b['triples']:,} | {b['wall']:.0f} s | {b['cpu']:.0f} s | "
                 f"{wall_rate:.3f} | {per_core:.3f} | {b['reports'] / b['wall']:.2f} | {b['store_mb']:.0f} MB | {b['index_mb']:.0f} MB | "
                 f"{b['rss_mb']:.0f} MB ({tree:.0f} MB) | {verdict(wall_rate >= GOALS['build'])} |")
    L.append("\n## Search (top 10 with highlighting and facets; 25 queries × runs)\n")
    L.append("| passages (index documents) | ours p50 | ours p95 | FTS5 trigram p50 | FTS5 p95 | p95 ratio ours/FTS5 | goal p95 ≤ 50 ms |")
    L.append("| --- | --- | --- | --- | --- | --- | --- |")
    for s in r["search"]:
        L.append(f"| {s['records']:,} | {s['p50']:.1f} ms | {s['p95']:.1f} ms | {s['peer_p50']:.1f} ms | "
                 f"{s['peer_p95']:.1f} ms | {s['p95'] / s['peer_p95']:.2f}x | {verdict(s['p95'] <= GOALS['search_p95'])} |")
    if r.get("known"):
        o, p, n = r["known"]
        L.append(f"\nKnown-item success on `search_queries.tsv` (bundled + dev reports, same rule as "
                 f"`score_search.py`): ours **{o}/{n}**, SQLite FTS5 trigram {p}/{n} (ratio {o / max(p, 1):.2f}x).")
    g = r.get("gallery")
    if g:
        L.append(f"\n## SPARQL gallery at {g['triples']:,} triples (HTTP, one kept-alive connection)\n")
        L.append("| server | queries | p50 | p95 | goal p95 ≤ 100 ms |")
        L.append("| --- | --- | --- | --- | --- |")
        L.append(f"| ours (`/sparql`, gunicorn 2 workers) | {g['queries']} | {g['p50']:.1f} ms | {g['p95']:.1f} ms | "
                 f"{verdict(g['p95'] <= GOALS['gallery_p95'])} |")
        if g["common"]:
            L.append(f"| ours, the {g['common']} queries both can run | {g['common']} | — | {g['ours_common_p95']:.1f} ms | |")
            L.append(f"| Oxigraph server (`oxigraph serve-read-only`), same store | {g['common']} | — | "
                     f"{g['peer_p95']:.1f} ms | |")
            L.append(f"\nSum of per-query medians on the common queries: ours {g['ours_common_ms']:.0f} ms, "
                     f"Oxigraph server {g['peer_common_ms']:.0f} ms (ratio {g['ours_common_ms'] / g['peer_common_ms']:.2f}x). "
                     f"Slowest of ours: {g['slowest']}.")
    h = r.get("http")
    if h:
        s = h["search"]
        L.append("\n## HTTP (gunicorn 2 workers × 4 threads, wrk 16 clients, bundled + dev reports)\n")
        L.append("| run | requests/s | p50 | p99 | errors | goals ≥ 300 req/s, p99 ≤ 200 ms |")
        L.append("| --- | --- | --- | --- | --- | --- |")
        L.append(f"| search pages, {h['distinct']:,} distinct queries, {args.http_seconds} s | {s['rps']:.0f} | "
                 f"{s['p50']:.0f} ms | {s['p99']:.0f} ms | {s['errors']} | "
                 f"{verdict(s['rps'] >= GOALS['rps'])}, {verdict(s['p99'] <= GOALS['p99'])} |")
        if "load" in h:
            ld = h["load"]
            L.append(f"| load run, {args.load_seconds} s mixed (search, entity and document pages, SPARQL) | "
                     f"{ld['rps']:.0f} | {ld['p50']:.0f} ms | {ld['p99']:.0f} ms | {ld['errors']} of "
                     f"{ld['requests']:,} | |")
            L.append(f"\nServer memory during the load run (gunicorn master, workers and query processes): "
                     f"{ld['rss_first']:.0f} MB in the first {ld['window']} s, {ld['rss_last']:.0f} MB in the last "
                     f"{ld['window']} s, {ld['rss_max']:.0f} MB at most.")
    elif r.get("http_skipped"):
        L.append(f"\n## HTTP\n\nSkipped: {r['http_skipped']}.")
    notes = HERE / "NOTES.md"
    if notes.exists():
        L.append("\n" + notes.read_text(encoding="utf-8").strip())
    path.write_text("\n".join(L) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,10000", help="report counts to build (comma-separated)")
    ap.add_argument("--triples", type=int, default=1_000_000, help="graph size for the SPARQL gallery")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each query")
    ap.add_argument("--http-seconds", type=int, default=20)
    ap.add_argument("--load-seconds", type=int, default=600)
    ap.add_argument("--quick", action="store_true", help="sizes 100, graph of 100 reports, 30 s load run")
    ap.add_argument("--work", help="keep generated reports and builds here (default: a temporary folder)")
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = ap.parse_args()
    args.argv = sys.argv[1:]
    if args.quick:
        args.sizes, args.triples, args.load_seconds, args.http_seconds = "100", 0, 30, 10
    sizes = sorted(int(s) for s in args.sizes.split(","))
    started = time.time()
    r: dict = {"date": datetime.date.today().isoformat(), "machine": machine(), "versions": versions(),
               "builds": [], "search": []}
    with tempfile.TemporaryDirectory() as tmp_name:
        work = Path(args.work) if args.work else Path(tmp_name)
        work.mkdir(parents=True, exist_ok=True)
        corpus = work / "in"
        generate(corpus, documents=max(sizes))
        files = sorted(corpus.glob("gen*.txt"))
        per_triples: float | None = None
        for n in sizes:
            log(f"build: {n} reports")
            subset = work / f"in-{n}"
            if not subset.exists():
                subset.mkdir()
                for f in files[:n]:
                    os.link(f, subset / f.name)
            data = work / f"data-{n}"
            b = timed_build([str(subset)], data)
            b["mb"] = sum(f.stat().st_size for f in files[:n]) / 1e6
            r["builds"].append(b)
            per_triples = b["triples"] / b["reports"]
            log(f"  {b['wall']:.0f} s, {b['mb'] / b['wall']:.3f} MB/s, {b['mb'] / b['cpu']:.3f} MB/s per core, "
                f"{b['triples']:,} triples, peak RSS {b['rss_mb']:.0f} MB ({b['tree_rss_mb']:.0f} MB with index writers)")
            records = index_records(data)
            peer = Fts5(records, work / f"fts5-{n}.db")
            s = search_latency(data, peer, args.repeat)
            s["records"] = len(records)
            r["search"].append(s)
            log(f"  search over {len(records):,} index documents: p95 {s['p95']:.1f} ms, FTS5 {s['peer_p95']:.1f} ms")
            del peer
        # the gallery at about the requested number of triples
        if args.triples and per_triples:
            need = int(args.triples / per_triples) + 1
            gdata = next((work / f"data-{b['reports']}" for b in r["builds"]
                          if args.triples <= b["triples"] <= 1.5 * args.triples), None)
            if gdata is None:
                log(f"build: {need} reports for {args.triples:,} triples")
                subset = work / f"in-g{need}"
                generate(subset, documents=need)
                gdata = work / f"data-g{need}"
                g = timed_build([str(subset)], gdata)
                g["mb"] = sum(f.stat().st_size for f in subset.glob("*.txt")) / 1e6
                g["for_gallery"] = True
                r["builds"].append(g)
        else:
            gdata = work / f"data-{sizes[0]}"
        triples = json.loads((gdata / "current" / "manifest.json").read_text())["triples"]
        log(f"gallery over {triples:,} triples")
        r["gallery"] = gallery_latency(gdata, args.repeat)
        r["gallery"]["triples"] = triples
        # known items and HTTP on the bundled and dev reports
        real = work / "data-real"
        timed_build(default_paths(), real)
        if (SHARED / "eval" / "search_queries.tsv").exists():
            r["known"] = known_items(real, Fts5(index_records(real), work / "fts5-real.db"))
        if shutil.which("wrk"):
            r["http"] = http_runs(real, work, args.http_seconds, args.load_seconds)
        else:
            r["http_skipped"] = "wrk is not installed (apt-get install wrk)"
    r["minutes"] = (time.time() - started) / 60
    write_results(Path(args.out), r, args)
    print(Path(args.out).read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
