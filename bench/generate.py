"""A deterministic generator of realistic reports from the bundled sample.

Each generated report is the sample re-homed in another county of the division table: the
county, its city and its towns and villages take the place of the sample's own, departments
are swapped for others of the same kind (from ontology/lexicon/units.tsv), numbers and years
vary, sentences are reordered within their paragraph and some are left out, and every section
gains a few sentences assembled from our own lexicons (a department, a town or village of the
county, a law or programme, a number). Same seed, same corpus.

    python bench/generate.py OUT --documents 1000 [--seed 7]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SENTENCE = re.compile(r"[^。！？；\n]*[。！？；]")
SECTION_HEAD = re.compile(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）")
ACTIONS = ["开展", "组织", "推进", "完成", "办理", "落实"]
OBJECTS = [("专项检查", "次"), ("法治宣传活动", "场"), ("行政执法案件", "件"), ("矛盾纠纷调解", "件"),
           ("业务培训", "期"), ("合法性审查", "件"), ("普法讲座", "场"), ("走访企业", "家")]


def _lines(*parts: str) -> list[str]:
    from kg.core.data import read_words
    return read_words(*parts)


def _bureaus() -> list[str]:
    """Short forms of bureaus that stand alone in reports (发改局, 司法局, 审计局...)."""
    from kg.core.data import read_table
    return sorted({r[0] for r in read_table("lexicon", "units.tsv")
                   if len(r) >= 4 and r[2] == "bureau" and r[3] == "bare" and r[0].endswith("局")
                   and "{" not in r[0]})


class Generator:
    def __init__(self, seed: int = 7):
        sys.path.insert(0, str(ROOT))
        from kg.text.regions import gazetteer
        self.rnd = random.Random(seed)
        self.gaz = gazetteer()
        self.sample = (ROOT / "corpus" / "luojiang-2022h1.txt").read_text(encoding="utf-8")
        home = self.gaz.find("罗江区")
        self.home = home
        self.home_towns = [t for t in self.gaz.towns_of(home) if t.name in self.sample or t.short in self.sample]
        self.home_villages = [v for t in self.home_towns for v in self.gaz.villages_of(t) if v.name in self.sample]
        self.counties = sorted((d for d in self.gaz.by_code.values() if d.level == "county" and d.parent is not None
                                and d.name.endswith(("区", "县")) and not re.search("开发区|园区|新区", d.name)
                                and self.gaz.towns_of(d)), key=lambda d: d.code)
        self.bureaus = _bureaus()
        self.bureaus_in_sample = [b for b in self.bureaus if b in self.sample]
        self.laws = _lines("lexicon", "laws.txt")
        self.programmes = _lines("lexicon", "initiatives_known.txt")

    def report(self) -> str:
        rnd = self.rnd
        county = rnd.choice(self.counties)
        city = county.parent
        towns = self.gaz.towns_of(county)
        text = self.sample
        # places: the sample's towns and villages become towns and villages of the new county
        for old in self.home_towns:
            new = rnd.choice(towns)
            villages = self.gaz.villages_of(new)
            for v in self.home_villages:
                if v.parent is old and villages:
                    text = text.replace(v.name, rnd.choice(villages).name)
            text = text.replace(old.name, new.name).replace(old.short, new.short)
        text = text.replace(self.home.name, county.name).replace(self.home.short, county.short)
        text = text.replace(self.home.parent.name, city.name)
        # departments: a few of the sample's bureaus become others
        swap = {b: rnd.choice(self.bureaus) for b in rnd.sample(self.bureaus_in_sample,
                                                                 k=min(3, len(self.bureaus_in_sample)))}
        if swap:
            text = re.sub("|".join(map(re.escape, sorted(swap, key=len, reverse=True))),
                          lambda m: swap[m.group(0)], text)
        # numbers and years
        text = re.sub(r"\d+(?=[件次名项个%场期家])", lambda m: str(rnd.randint(1, 200)), text)
        year = rnd.randint(2018, 2025)
        text = text.replace("2022", str(year))
        # sentences: reordered within paragraphs, some left out, and new ones in each section
        out = []
        for line in text.split("\n"):
            sentences = SENTENCE.findall(line)
            if len(sentences) > 2 and not SECTION_HEAD.match(line):
                body = sentences[1:]
                rnd.shuffle(body)
                body = [s for s in body if rnd.random() > 0.1] or body[:1]
                line = sentences[0] + "".join(body) + "".join(self._sentence(county, towns)
                                                              for _ in range(rnd.randint(0, 2)))
            out.append(line)
        return "\n".join(out)

    def _sentence(self, county, towns) -> str:
        rnd = self.rnd
        level = county.name[-1]
        dept = level + rnd.choice(self.bureaus)
        town = rnd.choice(towns)
        villages = self.gaz.villages_of(town)
        place = town.name + (rnd.choice(villages).name if villages and rnd.random() < 0.5 else "")
        action = rnd.choice(ACTIONS)
        obj, unit = rnd.choice(OBJECTS)
        if rnd.random() < 0.5:
            basis = f"依据《中华人民共和国{rnd.choice(self.laws)}》，"
        else:
            basis = f"围绕“{rnd.choice(self.programmes)}”，"
        return f"{basis}{dept}在{place}{action}{obj}{rnd.randint(1, 60)}{unit}。"


def generate(out: Path, megabytes: float | None = None, documents: int | None = None, seed: int = 7) -> list[Path]:
    """Write reports into `out` until `megabytes` of text or `documents` reports; returns their paths."""
    gen = Generator(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    total = 0
    i = 0
    while (megabytes is not None and total < megabytes * 1e6) or (documents is not None and i < documents):
        text = gen.report()
        p = out / f"gen{i:05d}.txt"
        data = text.encode("utf-8")
        if not p.exists() or p.read_bytes() != data:
            p.write_bytes(data)
        total += len(data)
        paths.append(p)
        i += 1
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--documents", type=int)
    ap.add_argument("--mb", type=float)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    paths = generate(Path(a.out), a.mb, a.documents or (None if a.mb else 100), a.seed)
    print(f"{len(paths)} reports, {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB in {a.out}")


if __name__ == "__main__":
    main()
