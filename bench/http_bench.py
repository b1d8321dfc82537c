"""Benchmark: search-page throughput under gunicorn with 2 workers and 16 concurrent clients
(wrk from Debian's packages), on a build of the given reports.

    python bench/http_bench.py [--seconds 20] [PATH ...]
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from common import default_paths, distinct_queries, gunicorn  # noqa: E402

QUERIES = ["万安", "Wan'an", "发改局", "行政复议", "放管服", "告知承诺制", "出庭应诉率", "Bureau of Justice", "调解 矛盾纠纷",
           '"行政复议"', "Tiaoyuan", "审计局", "法律顾问", "一网通办", "行政处罚法", "Sichuan"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--distinct", type=int, default=0,
                    help="use this many distinct queries made from the graph's names and their pieces (defeats the result cache) "
                         "instead of the 16 popular ones")
    ap.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (1: sync workers)")
    ap.add_argument("paths", nargs="*")
    a = ap.parse_args()
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("this benchmark needs wrk (apt-get install wrk)")
    from app.build import build
    paths = a.paths or default_paths()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        build(paths, data)
        with gunicorn(data, threads=a.threads) as base:
            queries = QUERIES
            if a.distinct:
                queries = distinct_queries(data, a.distinct)
            paths_lua = ", ".join('"/search?q=' + urllib.parse.quote(q) + '"' for q in queries)
            script = Path(tmp) / "search.lua"
            script.write_text("local paths = {" + paths_lua + "}\nlocal i = 0\n"
                              "request = function()\n  i = i % #paths + 1\n"
                              "  return wrk.format('GET', paths[i])\nend\n", encoding="utf-8")
            for q in QUERIES:  # warm both workers' searchers
                for _ in range(2):
                    urllib.request.urlopen(base + "/search?q=" + urllib.parse.quote(q)).read()
            out = subprocess.run([wrk, "-t2", f"-c{a.clients}", f"-d{a.seconds}s", "--latency", "-s", str(script),
                                  base], capture_output=True, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    print(out.strip())
    print(f"\nsearch pages: {rps.group(1) if rps else '?'} requests/s, p50 {p50.group(1) if p50 else '?'}, "
          f"p99 {p99.group(1) if p99 else '?'}, errors {errors.group(1) if errors else 0} "
          f"({a.clients} clients, gunicorn 2 workers x {a.threads} threads, {len(queries)} distinct queries)")


if __name__ == "__main__":
    main()
