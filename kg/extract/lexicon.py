"""Word lists as fast regular expressions, and the per-document region context."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..regions import Division, Gazetteer, gazetteer


def trie_regex(words) -> str:
    """A regex source matching any of `words`, longest first (prefix-shared alternation).

    Python's re tries alternatives one by one; a trie-shaped pattern keeps the cost per
    position close to one dictionary step, which matters for thousands of place names.
    """
    trie: dict = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and not end:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if end else body

    first = "".join(sorted(ch for ch in trie))
    if len(first) > 8:
        # a character-class look-ahead lets the engine skip positions where no word starts
        return "(?=[" + "".join(re.escape(c) for c in first) + "])" + build(trie)
    return build(trie)


def marked(flags: bytearray, start: int, end: int) -> bool:
    """Whether any position in [start, end) is marked (non-zero); counted in C."""
    return flags.count(0, start, end) != end - start


class NameIndex:
    """Find dictionary names in text by looking backwards from each possible last character.

    For thousands of names this beats a regex alternation both to build (no compile) and to
    run; `spans` yields the longest name ending at each position."""

    def __init__(self, names):
        self.names = frozenset(n for n in names if n)
        by_end: dict[str, set[int]] = {}
        for n in self.names:
            by_end.setdefault(n[-1], set()).add(len(n))
        # for each last character, the lengths of the names ending with it, longest first
        self.lengths_by_end = {c: tuple(sorted(ls, reverse=True)) for c, ls in by_end.items()}
        # the last two characters of every name of two characters or more: a cheap first test
        self.ends2 = frozenset(n[-2:] for n in self.names if len(n) >= 2)
        self.single = frozenset(n for n in self.names if len(n) == 1)
        ends = sorted(by_end)
        self.end_re = re.compile("[" + "".join(re.escape(c) for c in ends) + "]") if ends else None

    def spans(self, body: str):
        if self.end_re is None:
            return
        names, by_end, ends2, single = self.names, self.lengths_by_end, self.ends2, self.single
        for m in self.end_re.finditer(body):
            e = m.end()
            if body[e - 2:e] not in ends2:
                if body[e - 1] in single:
                    yield e - 1, e
                continue
            for n in by_end[body[e - 1]]:
                if n <= e and body[e - n:e] in names:
                    yield e - n, e
                    break


LEVEL_OF_CHAR = {"省": "province", "自治区": "province", "市": "city", "州": "city", "盟": "city",
                 "区": "county", "县": "county", "旗": "county",
                 "镇": "town", "乡": "town", "街道": "town", "街": "town"}
LEVEL_RANK = {"national": 0, "province": 1, "city": 2, "county": 3, "town": 4, "village": 5}
GOLD_LEVEL = {"province": "provincial", "city": "municipal", "county": "county", "town": "town",
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

    @property
    def own(self) -> Division | None:
        return self.path[-1] if self.path else None

    def county(self) -> Division | None:
        return self.at("county")


def division_prefix(div: Division) -> str:
    """The region part of a canonical name: 德阳市罗江区, 天津市静海区, 四川省."""
    path = div.path()
    if len(path) > 1 and path[0].level == "province":
        path = path[1:]
    return "".join(d.name for d in path)


def division_level(div: Division) -> str:
    if div.level == "county" and div.kind == "district":
        return "district"
    if div.level == "city" and div.parent is None:
        return "provincial"
    if div.level == "province":
        return "provincial"
    return GOLD_LEVEL.get(div.level, "other")


@lru_cache(maxsize=1)
def global_place_names() -> tuple[str, ...]:
    gaz = gazetteer()
    names = {n for n in gaz.by_name if len(n) >= 2}
    return tuple(sorted(names))


def context_for(region: str | None, gaz: Gazetteer | None = None) -> RegionContext:
    gaz = gaz or gazetteer()
    return RegionContext(gaz.resolve_path(region))
