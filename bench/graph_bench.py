"""Benchmark: grow a generated corpus to at least N triples (default 1M), build it, and print
build throughput, store size, peak RSS and p50/p95 of the query gallery.

    python bench/graph_bench.py --triples 1000000
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

TRIPLES_PER_REPORT = 3950  # measured on the generated reports


def size_of(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--keep", metavar="DIR", help="build into DIR and keep it; if DIR already holds a build, "
                                                  "only time the gallery on it")
    a = ap.parse_args()
    from app.build import build
    from kg.datafolder import current_build
    from index.match import fulltext_options
    from kg.graph.store import open_store, query
    from web.gallery import gallery
    with tempfile.TemporaryDirectory() as tmp:
        docs = a.triples // TRIPLES_PER_REPORT + 1
        data = Path(a.keep) if a.keep else Path(tmp) / "data"
        if current_build(data) is None:
            paths = generate(Path(tmp) / "in", documents=docs)
            size = sum(p.stat().st_size for p in paths)
            t0 = time.perf_counter()
            r = build([str(Path(tmp) / "in")], data)
            dt = time.perf_counter() - t0
            built = (f"kg build           {dt:.0f} s = {size / 1e6 / dt:.3f} MB/s, {docs / dt:.2f} reports/s "
                     f"(extraction, shapes, store, index); {size / 1e6:.1f} MB")
            triples = r.triples
        else:
            import json
            m = json.loads((current_build(data) / "manifest.json").read_text(encoding="utf-8"))
            built, triples, docs = f"kg build           (reused {data}: {m['seconds']} s)", m["triples"], len(m["documents"])
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        b = current_build(data)
        store = open_store(data)
        lat: dict[str, list[float]] = {}
        for q in gallery():
            t = time.perf_counter()
            list(query(store, q["query"], **fulltext_options()))
            print(f"  {q['id']:<34} first run {(time.perf_counter() - t) * 1000:8.1f} ms", flush=True)
            for _ in range(a.repeat):
                t = time.perf_counter()
                list(query(store, q["query"], **fulltext_options()))
                lat.setdefault(q["id"], []).append((time.perf_counter() - t) * 1000)
        store_bytes, index_bytes = size_of(b / "store"), size_of(b / "index")
    allq = sorted(x for v in lat.values() for x in v)
    print(f"reports            {docs}")
    print(f"triples            {triples}")
    print(built)
    print(f"store size         {store_bytes / 1e6:.0f} MB; index {index_bytes / 1e6:.0f} MB")
    print(f"peak RSS           {rss:.0f} MB")
    print(f"gallery            p50 {statistics.median(allq):.1f} ms, p95 {allq[int(0.95 * (len(allq) - 1))]:.1f} ms "
          f"over {len(allq)} runs of {len(lat)} queries")
    worst = sorted(((statistics.median(v), k) for k, v in lat.items()), reverse=True)[:3]
    print("slowest queries    " + ", ".join(f"{k} {m:.0f} ms" for m, k in worst))


if __name__ == "__main__":
    main()
