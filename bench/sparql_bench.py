"""Benchmark: SPARQL gallery latency through the HTTP endpoint (gunicorn, 2 workers) against
calling pyoxigraph directly in one process, on a build of the given reports.

    python bench/sparql_bench.py [PATH ...]      (default: corpus/ and ../shared/corpus/dev if present)
"""
from __future__ import annotations

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


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * (len(xs) - 1)))]


def main() -> None:
    from kg.store import build, open_store, query
    from web.gallery import gallery
    paths = sys.argv[1:] or default_paths()
    repeat = int(os.environ.get("REPEAT", "20"))
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        r = build(paths, data)
        store = open_store(data)
        direct: dict[str, list[float]] = {}
        for q in gallery():
            list(query(store, q["query"]))
            for _ in range(repeat):
                t = time.perf_counter()
                list(query(store, q["query"]))
                direct.setdefault(q["id"], []).append((time.perf_counter() - t) * 1000)
        del store
        with gunicorn(data) as base:
            url = base + "/sparql"
            http: dict[str, list[float]] = {}
            for q in gallery():
                for i in range(repeat + 2):  # the first calls of each worker start its query process
                    req = urllib.request.Request(url, data=q["query"].encode(), headers={
                        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
                    t = time.perf_counter()
                    urllib.request.urlopen(req).read()
                    if i >= 2:
                        http.setdefault(q["id"], []).append((time.perf_counter() - t) * 1000)
    print(f"graph: {r.triples} triples from {len(r.loaded)} reports; {repeat} runs per query")
    print(f"{'query':<34} {'direct p50':>10} {'http p50':>9} {'http p95':>9} {'ratio':>6}")
    ratios = []
    for qid in direct:
        d50, h50, h95 = statistics.median(direct[qid]), statistics.median(http[qid]), pct(http[qid], 0.95)
        ratios.append(h50 / d50 if d50 else float("inf"))
        print(f"{qid:<34} {d50:>8.2f}ms {h50:>7.2f}ms {h95:>7.2f}ms {ratios[-1]:>5.1f}x")
    alld = [x for v in direct.values() for x in v]
    allh = [x for v in http.values() for x in v]
    print(f"{'all gallery queries':<34} {statistics.median(alld):>8.2f}ms {statistics.median(allh):>7.2f}ms "
          f"{pct(allh, 0.95):>7.2f}ms  total time ratio {sum(allh) / sum(alld):.2f}x")


if __name__ == "__main__":
    main()
