"""Benchmark: SPARQL gallery latency through the HTTP endpoint (gunicorn, 2 workers) against
calling pyoxigraph directly in one process, on a build of the given reports.

    python bench/sparql_bench.py [PATH ...]      (default: corpus/ and ../shared/corpus/dev if present)
"""
from __future__ import annotations

import http.client
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from common import default_paths, gunicorn  # noqa: E402

KEEPALIVE = os.environ.get("KEEPALIVE", "1") != "0"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * (len(xs) - 1)))]


def _post(base: str, conn, sparql: str) -> None:
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    if conn is not None:  # one connection kept alive, as SPARQL client libraries pool them
        conn.request("POST", "/sparql", body=sparql.encode(), headers=headers)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise SystemExit(f"HTTP {resp.status} for {sparql[:60]}")
    else:
        urllib.request.urlopen(urllib.request.Request(base + "/sparql", data=sparql.encode(), headers=headers)).read()


def main() -> None:
    from app.build import build
    from index.match import fulltext_options
    from kg.graph.store import open_store, query
    from web.gallery import gallery
    paths = sys.argv[1:] or default_paths()
    repeat = int(os.environ.get("REPEAT", "20"))
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        r = build(paths, data)
        with gunicorn(data, threads=int(os.environ.get("THREADS", "4"))) as base:
            port = int(base.rsplit(":", 1)[1])
            store = open_store(data)  # read-only, beside the server's own
            conn = http.client.HTTPConnection("127.0.0.1", port) if KEEPALIVE else None
            direct: dict[str, list[float]] = {}
            timed: dict[str, list[float]] = {}
            for q in gallery():
                for _ in range(2):  # the first calls of each worker start its query process
                    _post(base, conn, q["query"])
                list(query(store, q["query"], **fulltext_options()))
                # direct and HTTP runs alternate, so load on the machine weighs on both alike
                for _ in range(repeat):
                    t = time.perf_counter()
                    list(query(store, q["query"], **fulltext_options()))
                    direct.setdefault(q["id"], []).append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    _post(base, conn, q["query"])
                    timed.setdefault(q["id"], []).append((time.perf_counter() - t) * 1000)
            del store
    print(f"graph: {r.triples} triples from {len(r.loaded)} reports; {repeat} runs per query")
    print(f"{'query':<34} {'direct p50':>10} {'http p50':>9} {'http p95':>9} {'ratio':>6}")
    ratios = []
    for qid in direct:
        d50, h50, h95 = statistics.median(direct[qid]), statistics.median(timed[qid]), pct(timed[qid], 0.95)
        ratios.append(h50 / d50 if d50 else float("inf"))
        print(f"{qid:<34} {d50:>8.2f}ms {h50:>7.2f}ms {h95:>7.2f}ms {ratios[-1]:>5.1f}x")
    alld = [x for v in direct.values() for x in v]
    allh = [x for v in timed.values() for x in v]
    print(f"{'all gallery queries':<34} {statistics.median(alld):>8.2f}ms {statistics.median(allh):>7.2f}ms "
          f"{pct(allh, 0.95):>7.2f}ms  total time ratio {sum(allh) / sum(alld):.2f}x")
    med_d = sum(statistics.median(v) for v in direct.values())
    med_h = sum(statistics.median(v) for v in timed.values())
    print(f"sum of per-query medians: direct {med_d:.1f} ms, HTTP {med_h:.1f} ms, ratio {med_h / med_d:.2f}x "
          f"({'keep-alive' if KEEPALIVE else 'new connection per request'})")


if __name__ == "__main__":
    main()
