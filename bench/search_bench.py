"""Benchmark: full-text search at a given number of passages.

Builds a generated corpus with `kg build` (graph and index together), then prints the build
rate, the index size and the p50/p95 latency of known-item and free queries, highlighting
included.

    python bench/search_bench.py --passages 10000
    python bench/search_bench.py --passages 100000
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

QUERIES = ["罗江 司法局", "发改局", "Wan'an", "wanan", "Tiaoyuan", "行政处罚法", "重大行政决策", "行政复议 案件",
           "出庭应诉率", "法律顾问 律师事务所", "一网通办", "放管服", "告知承诺制", "调解 矛盾纠纷", "核酸检测",
           "审计局", '"行政复议"', "Bureau of Justice", "Sichuan", "执法资格 考试", "农民工 欠薪", "政务云",
           "type:passage 法治", "安全生产 OR 应急", "规范性文件 备案"]
# typed in pinyin, whole or as first letters (read as the Chinese they spell, index/readings.py);
# the last one spells nothing
PINYIN = ["xingzheng fuyi", "fazhi zhengfu", "luojiang sifaju", "sfj", "fzzf", "xzzf", "ggflfw", "bcdfgh"]
PASSAGES_PER_DOC = 170  # sentences of a generated report (bench/generate.py)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=10, help="runs of each query")
    ap.add_argument("--keep", metavar="DIR", help="build into DIR and keep it; a later run with the same DIR "
                                                   "measures the queries again without rebuilding")
    a = ap.parse_args()
    from index.search import open_index
    from app.build import build
    from kg.datafolder import index_dir
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(a.keep) if a.keep else Path(tmp)
        docs = max(1, a.passages // PASSAGES_PER_DOC)
        paths = generate(work / "in", documents=docs)
        size = sum(p.stat().st_size for p in paths)
        t0 = time.perf_counter()
        if a.keep and (work / "data" / "current").exists():
            report, dt = None, float("nan")
        else:
            report = build([str(work / "in")], work / "data")
            dt = time.perf_counter() - t0
        ix_path = index_dir(work / "data")
        ix = open_index(str(ix_path))
        with ix.searcher() as s:
            n_passages = s.doc_count()
        ix_bytes = sum(f.stat().st_size for f in ix_path.iterdir())
        lat, lat_pinyin = _latencies(ix_path, QUERIES, a.repeat), _latencies(ix_path, PINYIN, a.repeat)
    p50, p95 = _p50_p95(lat)
    print(f"documents          {docs} ({size / 1e6:.1f} MB)")
    print(f"index documents    {n_passages} (entities and passages)")
    print(f"kg build           {dt:.1f} s = {size / 1e6 / dt:.2f} MB/s, {docs / dt:.1f} documents/s "
          f"(extraction, SHACL, store and index)")
    print(f"index size         {ix_bytes / 1e6:.1f} MB; graph {report.triples if report else '?'} triples")
    print(f"query latency      p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(lat)} queries (top 10, highlighted)")
    print("pinyin queries     p50 {:.1f} ms, p95 {:.1f} ms over {} queries".format(*_p50_p95(lat_pinyin), len(lat_pinyin)))
    print(f"peak RSS           {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def _latencies(ix_path, queries: list[str], repeat: int) -> list[float]:
    """Milliseconds of each run of each query (top 10, highlighted), after one warm run each."""
    from index.search import search
    for q in queries:
        search(ix_path, q, limit=10)
    lat = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            search(ix_path, q, limit=10)
            lat.append((time.perf_counter() - t) * 1000)
    return sorted(lat)


def _p50_p95(lat: list[float]) -> tuple[float, float]:
    return statistics.median(lat), lat[int(0.95 * (len(lat) - 1))]


if __name__ == "__main__":
    main()
