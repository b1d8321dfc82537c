"""A deterministic generator of realistic reports: the bundled sample re-homed in other
counties of the division table, with its numbers and years varied."""
from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(out: Path, megabytes: float | None = None, documents: int | None = None, seed: int = 7) -> list[Path]:
    import sys
    sys.path.insert(0, str(ROOT))
    from kg.regions import gazetteer
    rnd = random.Random(seed)
    sample = (ROOT / "corpus" / "luojiang-2022h1.txt").read_text(encoding="utf-8")
    gaz = gazetteer()
    counties = sorted((d for d in gaz.by_code.values() if d.level == "county" and d.parent is not None
                       and d.name.endswith(("区", "县"))), key=lambda d: d.code)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    total = 0
    i = 0
    while (megabytes is not None and total < megabytes * 1e6) or (documents is not None and i < documents):
        county = rnd.choice(counties)
        city = county.parent
        text = sample.replace("罗江区", county.name).replace("罗江", county.short).replace("德阳市", city.name)
        text = re.sub(r"\d+(?=[件次名项个%])", lambda m: str(rnd.randint(1, 200)), text)
        text = text.replace("2022", str(rnd.randint(2018, 2025)))
        p = out / f"gen{i:05d}.txt"
        p.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        paths.append(p)
        i += 1
    return paths
