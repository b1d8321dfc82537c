"""Derive the compact division table in ontology/places/ from jionlp's china_location.zip.

jionlp (Apache-2.0) bundles a tab-indented tree of every province, city, county, town and
village. We only need it as data, so this script turns it into two small files instead of
making jionlp (and its 150 MB of dependencies) a run-time requirement:

- divisions.tsv: code, level, name, short name, parent code for provinces, cities, counties;
- towns.tsv.gz: county code, town name, and its villages/communities joined by '|'.

Usage: python -m kg.tools.derive_places path/to/china_location.zip [OUT_DIR]
"""
from __future__ import annotations

import gzip
import io
import sys
import zipfile
from pathlib import Path

LEVELS = ("province", "city", "county")


def derive(zip_path: Path, out_dir: Path) -> tuple[int, int]:
    with zipfile.ZipFile(zip_path) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".txt"))
        text = zf.read(name).decode("utf-8")
    divisions: list[tuple[str, str, str, str, str]] = []
    towns: list[tuple[str, str, list[str]]] = []
    stack: list[str] = ["", "", ""]  # codes of the current province, city, county
    for raw in io.StringIO(text):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        cols = line.strip("\t").split("\t")
        if depth < 3:
            name_, code, short = (cols + ["", ""])[:3]
            parent = stack[depth - 1] if depth else ""
            stack[depth] = code
            for d in range(depth + 1, 3):
                stack[d] = ""
            divisions.append((code, LEVELS[depth], name_, short, parent))
        elif depth == 3:
            towns.append((stack[2] or stack[1], cols[0], []))
        elif towns:
            towns[-1][2].append(cols[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "divisions.tsv", "w", encoding="utf-8") as f:
        f.write("# code\tlevel\tname\tshort\tparent\n")
        for row in divisions:
            f.write("\t".join(row) + "\n")
    with gzip.open(out_dir / "towns.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        for county, town, villages in towns:
            f.write(f"{county}\t{town}\t{'|'.join(villages)}\n")
    return len(divisions), len(towns)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[2] / "ontology" / "places"
    n_div, n_town = derive(Path(sys.argv[1]), out)
    print(f"wrote {n_div} divisions and {n_town} towns to {out}")
