"""The administrative division gazetteer (ontology/places/), read as data.

Provinces, cities and counties are loaded at once (3.6k rows); towns and villages
(43k towns, 660k villages) stay as raw lines until a document's region needs them.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.core.data import data_path, read_table

LEVEL_SUFFIXES = {
    "province": ("省", "自治区", "市", "特别行政区"),
    "city": ("市", "自治州", "地区", "盟"),
    "county": ("区", "县", "市", "自治县", "旗", "自治旗", "林区", "特区"),
    "town": ("镇", "乡", "街道", "民族乡", "苏木"),
}


@dataclass(frozen=True)
class PlaceEnding:
    ending: str
    place_type: str
    english: str  # "" where the ending is not translated (州 of 凉山州: the name stays whole)
    stem_names_place: bool  # 罗江区 -> 罗江 still names it


@lru_cache(maxsize=1)
def place_endings() -> tuple[PlaceEnding, ...]:
    """The endings of place names, in the order they are checked (ontology/lexicon/place_endings.tsv)."""
    return tuple(PlaceEnding(r[0], r[1], r[2] if len(r) > 2 else "", len(r) > 3 and r[3] == "yes")
                 for r in read_table("lexicon", "place_endings.tsv") if len(r) >= 2)


def place_type_of_name(name: str) -> str:
    """The kind of place a name makes by its ending, for places the division table lacks."""
    return next((e.place_type for e in place_endings() if name.endswith(e.ending)), "other")


@dataclass(eq=False)
class Division:
    code: str
    level: str  # province | city | county | town | village
    name: str
    short: str
    parent: "Division | None" = None
    children: list["Division"] = field(default_factory=list)
    pending: str | None = None  # raw village list of a town not yet expanded

    @property
    def kind(self) -> str:
        """Finer type for pages and output: district, community, street..."""
        n = self.name
        if self.level == "province":
            return "province"
        if self.level == "city":
            # a municipality (天津市) is listed as a province and as its own city: one place, the province
            return "province" if self.parent is not None and self.parent.name == n else "city"
        if self.level == "county":
            if n.endswith("区"):
                return "district"
            if n.endswith("市"):
                return "city"
            return "county"
        if self.level == "town":
            if n.endswith("街道"):
                return "street"
            if n.endswith("乡"):
                return "township"
            return "town"
        if n.endswith("社区") or n.endswith("居委会"):
            return "community"
        return "village"

    def path(self) -> list["Division"]:
        out: list[Division] = []
        node: Division | None = self
        while node is not None:
            if not out or out[-1].name != node.name:  # 天津市 is both province and city
                out.append(node)
            node = node.parent
        return out[::-1]


@lru_cache(maxsize=None)
def _suffixes(level: str) -> tuple[str, ...]:
    return tuple(sorted(LEVEL_SUFFIXES.get(level, ()) + ("社区", "村", "居委会"), key=len, reverse=True))


def _stem(name: str, level: str) -> str:
    for suf in _suffixes(level):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def common_names(div: Division) -> list[str]:
    """Everyday names of autonomous divisions: 金平苗族瑶族傣族自治县 -> 金平县, 红河…自治州 -> 红河州."""
    out = []
    if "自治" in div.name and div.short and len(div.short) >= 2:
        for suffix, common in (("自治县", "县"), ("自治州", "州"), ("自治旗", "旗")):
            if div.name.endswith(suffix):
                out.append(div.short + common)
    return out


class Gazetteer:
    def __init__(self, folder: Path):
        self.folder = folder
        self.by_code: dict[str, Division] = {}
        self.by_name: dict[str, list[Division]] = {}
        self.by_short: dict[str, list[Division]] = {}
        provinces: dict[str, Division] = {}
        with open(folder / "divisions.tsv", encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                code, level, name, short, parent = line.rstrip("\n").split("\t")
                div = Division(code, level, name, short or _stem(name, level))
                par = provinces.get(parent) if level == "city" else self.by_code.get(parent)
                if level == "county" and parent in provinces and parent not in self.by_code:
                    par = provinces[parent]
                div.parent = par
                if par is not None:
                    par.children.append(div)
                if level == "province":
                    provinces[code] = div
                    self.by_code.setdefault(code, div)
                else:
                    self.by_code[code] = div
                self.by_name.setdefault(name, []).append(div)
                for common in common_names(div):
                    if common not in self.by_name:
                        self.by_name.setdefault(common, []).append(div)
                if div.short and div.short != name:
                    self.by_short.setdefault(div.short, []).append(div)
        self._towns_raw: dict[str, list[str]] | None = None
        self._towns: dict[str, list[Division]] = {}

    # -- towns and villages, loaded on first need
    def towns_of(self, county: Division) -> list[Division]:
        if county.code in self._towns:
            return self._towns[county.code]
        if self._towns_raw is None:
            raw: dict[str, list[str]] = {}
            with gzip.open(self.folder / "towns.tsv.gz", "rt", encoding="utf-8") as f:
                for line in f:
                    code, rest = line.split("\t", 1)
                    raw.setdefault(code, []).append(rest)
            self._towns_raw = raw
        towns: list[Division] = []
        for rest in self._towns_raw.get(county.code, []):
            name, villages = rest.rstrip("\n").split("\t")
            town = Division(county.code, "town", name, _stem(name, "town"), county)
            town.pending = villages  # villages are built on first use (villages_of)
            towns.append(town)
        self._towns[county.code] = towns
        return towns

    @staticmethod
    def villages_of(town: Division) -> list[Division]:
        if town.pending is not None:
            for v in town.pending.split("|") if town.pending else []:
                town.children.append(Division(town.code, "village", v, _stem(v, "village"), town))
            town.pending = None
        return town.children

    # -- lookups
    def find(self, name: str, within: Division | None = None) -> Division | None:
        """The division called `name`, preferring one inside or near `within`."""
        cands = self.by_name.get(name) or self.by_short.get(name) or []
        if not cands:
            return None
        if within is not None and len(cands) > 1:
            anchor = {d.code for d in within.path()}
            for d in cands:
                if {p.code for p in d.path()} & anchor:
                    return d
        return cands[0]

    def region_of_text(self, text: str) -> Division | None:
        """The most specific division named in `text` (titles like 德阳市罗江区2022年...)."""
        found: list[Division] = []
        for m in re.finditer(r"[\u4e00-\u9fff]{1,12}?(?:自治区|自治州|自治县|特别行政区|省|市|区|县|旗|盟)",
                             text):
            s = m.group(0)
            for i in range(len(s) - 1):
                for d in self.by_name.get(s[i:], []):
                    found.append(d)
        if not found:
            return None
        names = {d.name for d in found}

        def score(d: Division) -> tuple[int, int]:
            support = sum(1 for p in d.path()[:-1] if p.name in names)
            return (support, {"province": 0, "city": 1, "county": 2}.get(d.level, 0))
        return max(found, key=score)

    def resolve_path(self, region: str | None) -> list[Division]:
        """'四川省/德阳市/罗江区' or '浙江省/宁波市/象山县/贤庠镇' -> divisions, top first."""
        if not region:
            return []
        parts = [p for p in re.split(r"[/>\s]+", region) if p]
        if len(parts) == 1:
            # an unsplit path such as 四川省德阳市罗江区
            div = self.region_of_text(parts[0])
            if div is None:
                return []
            return div.path()
        out: list[Division] = []
        for part in parts:
            parent = out[-1] if out else None
            div = None
            if parent is not None and parent.level == "county":
                div = next((t for t in self.towns_of(parent) if t.name == part or t.short == part), None)
            if div is None:
                cands = self.by_name.get(part, []) + self.by_short.get(part, [])
                if parent is not None:
                    cands = [c for c in cands if parent in c.path()] or cands
                div = cands[0] if cands else None
            if div is None:
                break
            if not out or div.name != out[-1].name:
                out.append(div)
        if out:
            full = out[-1].path() if out[-1].level != "village" else out
            return full if len(full) >= len(out) else out
        return out

    @staticmethod
    def path_string(div: Division) -> str:
        return "/".join(d.name for d in div.path())


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(data_path("places"))
