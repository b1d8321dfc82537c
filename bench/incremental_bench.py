"""What adding, changing and removing one report costs on a large build, and what worker
processes give a full build.

    python bench/incremental_bench.py [--documents 1000] [--keep DIR] [--jobs-compare]

Generates DOCUMENTS + 1 reports (bench/generate.py), builds DOCUMENTS of them from scratch with
`kg build --jobs 2`, then times, each as its own `kg build` / `kg remove` process (wall time,
as a user waits for it): adding the last report, a build with nothing changed, changing one
report, removing one. With --jobs-compare it also times the full build with --jobs 1 (same
reports, fresh data folder) and prints the speed-up. Every step's build must equal what it says
(reports counted through SPARQL).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def kg(*args: str) -> tuple[float, str]:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"kg {' '.join(args)} failed ({r.returncode}): {r.stderr[-2000:]}")
    return took, (r.stdout.strip() or r.stderr.strip()).splitlines()[-1]


def reports(data: Path) -> int:
    r = subprocess.run([sys.executable, "-m", "app.cli", "query", "--data", str(data), "--format", "json",
                        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a zw:Report }"], cwd=ROOT,
                       capture_output=True, text=True, check=True)
    return int(json.loads(r.stdout)[0]["n"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    ap.add_argument("--jobs-compare", action="store_true", help="also time the full build with --jobs 1")
    ap.add_argument("--reuse", action="store_true", help="keep the full build already in DIR (with --keep): time only "
                                                         "adding, changing and removing")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kg-incr-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus, extra, data = work / "corpus", work / "extra", work / "data"
    n = args.documents
    if not corpus.exists() or len(list(corpus.iterdir())) != n:
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(extra, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(work / "gen"), "--documents",
                        str(n + 1)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        files = sorted((work / "gen").iterdir())
        corpus.mkdir()
        extra.mkdir()
        for f in files[:n]:
            f.rename(corpus / f.name)
        files[n].rename(extra / files[n].name)
        shutil.rmtree(work / "gen")
    size = sum(f.stat().st_size for f in corpus.iterdir())
    print(f"# {platform.node()} {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{n} reports, {size / 1e6:.1f} MB")
    rows = []
    if not (args.reuse and (data / "current").exists()):
        shutil.rmtree(data, ignore_errors=True)
        took, line = kg("build", str(corpus), "--data", str(data), "--jobs", "2")
        rows.append(("full build, --jobs 2", took, line))
    if args.jobs_compare and not args.reuse:
        one = work / "data-jobs1"
        shutil.rmtree(one, ignore_errors=True)
        took1, line1 = kg("build", str(corpus), "--data", str(one), "--jobs", "1")
        rows.append(("full build, --jobs 1", took1, line1))
        shutil.rmtree(one, ignore_errors=True)
    new = next(extra.iterdir())
    if reports(data) == n + 1:  # a kept build that still holds the extra report
        kg("remove", new.stem, "--data", str(data))
    assert reports(data) == n
    if args.reuse:  # a kept build may hold another version of a report (or be of another extractor)
        kg("build", str(corpus), "--data", str(data))
    took, line = kg("build", str(new), "--data", str(data))
    rows.append(("add one report", took, line))
    assert reports(data) == n + 1
    took, line = kg("build", str(corpus), str(extra), "--data", str(data))
    rows.append(("nothing changed (all files given)", took, line))
    changed = sorted(corpus.iterdir())[n // 2]
    original = changed.read_bytes()
    changed.write_text(original.decode("utf-8") + "\n区司法局开展法治宣传活动12场。\n", encoding="utf-8")
    try:
        took, line = kg("build", str(changed), "--data", str(data))
        rows.append(("change one report", took, line))
    finally:
        changed.write_bytes(original)
    took, line = kg("remove", new.stem, "--data", str(data))
    rows.append(("remove one report", took, line))
    assert reports(data) == n
    print("| step | wall | kg's last line |")
    print("| --- | --- | --- |")
    for name, took, line in rows:
        print(f"| {name} | {took:.1f} s | {line} |")
    if args.jobs_compare and not args.reuse:
        print(f"\nspeed-up of --jobs 2 over --jobs 1: {rows[1][1] / rows[0][1]:.2f}x")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
