"""Word lists as fast regular expressions, and the per-document region context."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from kg.text.regions import Division, Gazetteer, gazetteer


LEVEL_OF_CHAR = {"省": "province", "自治区": "province", "市": "city", "州": "city", "盟": "city",
                 "区": "county", "县": "county", "旗": "county",
                 "镇": "town", "乡": "town", "街道": "town", "街": "town"}
# the level words a body's name may open with (区司法局, 自治区政府), longest first
LEVEL_WORDS = tuple(sorted(LEVEL_OF_CHAR, key=len, reverse=True))
# a division's level as the graph names a body's level (zw:level): 市 bodies are municipal, …
BODY_LEVEL = {"province": "provincial", "city": "municipal", "county": "county", "town": "town",
              "national": "national"}


@dataclass
class RegionContext:
    """What a report's own region is, so that 区司法局 can become 德阳市罗江区司法局."""
    path: list[Division] = field(default_factory=list)

    def at(self, level: str) -> Division | None:
        for d in self.path:
            if d.level == level:
                return d
        if level == "city":
            # municipalities: 市 is the province-level city (天津市)
            prov = self.at("province")
            if prov is not None and prov.name.endswith("市"):
                return prov
        return None

    def by_char(self, char: str) -> Division | None:
        """The division a level word stands for in this report (市 in 市司法局, 我市): the nearest
        one, from the report's own up, whose name ends so, so that in a county-level city's
        report (高邮市) 市 is that city and not its prefecture; else the division of that level
        (州 for 凉山彝族自治州, 市 for the municipality 天津市)."""
        for d in reversed(self.path):
            if d.name.endswith(char):
                return d
        return self.at(LEVEL_OF_CHAR.get(char, ""))

    @property
    def own(self) -> Division | None:
        return self.path[-1] if self.path else None

    def county(self) -> Division | None:
        return self.at("county")


def division_prefix(div: Division) -> str:
    """The region part of a canonical name: 德阳市罗江区, 天津市静海区, 四川省; a county-level
    city is named on its own (高邮市司法局, not 扬州市高邮市司法局), as it names itself."""
    path = div.path()
    if len(path) > 1 and path[0].level == "province":
        path = path[1:]
    for i, d in enumerate(path):
        if d.level == "county" and d.kind == "city":
            path = path[i:]
            break
    return "".join(d.name for d in path)


def division_level(div: Division) -> str:
    if div.level == "county" and div.kind == "district":
        return "district"
    if div.level == "city" and div.parent is None:
        return "provincial"
    if div.level == "province":
        return "provincial"
    return BODY_LEVEL.get(div.level, "other")


@lru_cache(maxsize=1)
def global_place_names() -> tuple[str, ...]:
    gaz = gazetteer()
    names = {n for n in gaz.by_name if len(n) >= 2}
    return tuple(sorted(names))


def context_for(region: str | None, gaz: Gazetteer | None = None) -> RegionContext:
    gaz = gaz or gazetteer()
    return RegionContext(gaz.resolve_path(region))
