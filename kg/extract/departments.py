"""Departments: government, Party, congress, court and procuratorate bodies and sub-units.

A mention is [中共] [place names] [level character] unit [sub-unit ...], e.g.
区委 + 理论学习中心组, 德阳市罗江区 + 审计局, 万安 + 司法所. Units and their standard
short forms come from ontology/lexicon/units.tsv; national bodies from national.tsv.
The canonical name puts the resolved region in front: 区发改局 -> 德阳市罗江区发展和改革局.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..data import read_table
from ..records import Document, Mention
from ..regions import Division, gazetteer
from .lexicon import (LEVEL_OF_CHAR, RegionContext, division_level, division_prefix,
                      global_place_names, trie_regex)

LEVEL_CHARS = "省市区县州镇乡旗"
LEVELS_RE = "自治区|街道|[省市区县州镇乡旗街盟]"
GENERIC_SUFFIX = "局|委员会|办公室|领导小组|工作领导小组|服务中心|中心|管委会|督察组|办事处"
GENERIC_BAD = "的了在对将把被由向从为以及等和与、,,。;;::“”《》()()0-9A-Za-z各全我本该其并"
WORD_BEFORE_LEVEL = set("社城辖片园景山小开地校营矿林垦郊都")


@dataclass(frozen=True)
class Unit:
    form: str
    canonical: str
    kind: str
    use: str  # bare | prefix | sub | national


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    for row in read_table("lexicon", "units.tsv"):
        form, canon, kind, use = (row + ["", "", "", ""])[:4]
        if "{N}" in form:
            continue
        if "{L}" in form:
            for ch in "省市区县州镇乡旗":
                out[form.replace("{L}", ch)] = Unit(form.replace("{L}", ch), canon.replace("{L}", ch), kind, use)
        else:
            out[form] = Unit(form, canon, kind, use)
    return out


@lru_cache(maxsize=1)
def national() -> dict[str, str]:
    return {r[0]: r[1] for r in read_table("lexicon", "national.tsv")}


def _longest(units_map: dict[str, Unit], text: str, pos: int, max_len: int) -> Unit | None:
    for n in range(min(max_len, len(text) - pos), 0, -1):
        u = units_map.get(text[pos:pos + n])
        if u is not None:
            return u
    return None


class DepartmentRecognizer:
    def __init__(self, local_names: tuple[str, ...] = ()):
        self.units = units()
        self.max_unit = max(len(f) for f in self.units)
        places = set(global_place_names()) | set(local_names)
        head = trie_regex([f for f, u in self.units.items() if u.use != "sub"])
        anyu = trie_regex(list(self.units))
        generic = rf"[^{GENERIC_BAD}\s]{{2,10}}?(?:{GENERIC_SUFFIX})"
        self.regex = re.compile(
            rf"(?P<party>中共|中国共产党)?(?P<places>(?:{trie_regex(places)})*)"
            rf"(?P<level>{LEVELS_RE})?(?P<session>第[一二三四五六七八九十]+届)?"
            rf"(?P<units>(?:{head})(?:{anyu})*|(?P<generic>{generic}))")
        self.national_re = re.compile(trie_regex(national()))

    def find(self, doc: Document, ctx: RegionContext) -> list[Mention]:
        body = doc.body
        out: list[Mention] = []
        taken = bytearray(len(body))
        for m in self.national_re.finditer(body):
            canon = national()[m.group(0)]
            out.append(Mention("Department", m.start(), m.end(), m.group(0), canon,
                               {"canonical": canon, "level": "national", "kind": "national"}))
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        pos = 0
        while True:
            m = self.regex.search(body, pos)
            if not m:
                break
            mention = self._interpret(m, body, ctx)
            if mention is None or any(taken[mention.start:mention.end]):
                pos = m.start() + 1
                continue
            out.append(mention)
            pos = m.end()
        out.sort(key=lambda x: x.start)
        return out

    def _interpret(self, m: re.Match, body: str, ctx: RegionContext) -> Mention | None:
        places, level = m.group("places"), m.group("level")
        party = bool(m.group("party"))
        start = m.start()
        if not places and level and start > 0 and body[start - 1] in WORD_BEFORE_LEVEL:
            return None
        chain = self._chain(m.group("units"), bool(m.group("generic")))
        if not chain:
            return None
        has_prefix = bool(places or level or party)
        first = chain[0]
        if m.group("generic") and not (places or level):
            return None
        if not has_prefix and first.use not in ("bare",) and not (
                first.kind == "government" and len(chain) > 1):
            return None
        # where the body sits
        div = self._region(places, level, ctx)
        if div is None and (places or level):
            if places and not level:
                return None
            region_text = (places or "") + (level or "")
        else:
            region_text = None
        canon_units = self._canonical_units(chain, party)
        if div is not None:
            prefix = division_prefix(div)
            lvl = division_level(div)
        elif region_text is not None:
            prefix, lvl = region_text, LEVEL_OF_CHAR.get(level or "", "other")
            lvl = {"city": "municipal", "county": "county", "province": "provincial"}.get(lvl, lvl)
        else:
            prefix, lvl = "", "other"
        party_body = first.kind == "party" and first.form in ("委", "纪委", "纪委监委")
        if party_body:
            label = "中共" + prefix + canon_units
        else:
            label = prefix + canon_units
        text = body[start:m.end()]
        short = (level or "") + "".join(u.form for u in chain) if level else text
        info = {"canonical": label, "short": short, "level": lvl, "kind": first.kind,
                "units": [u.canonical for u in chain],
                "region": division_prefix(div) if div is not None else None}
        if len(chain) > 1:
            # the body a sub-unit hangs under: everything but the last unit
            parent_units = self._canonical_units(chain[:-1], party)
            info["parent"] = ("中共" if party_body else "") + prefix + parent_units
        return Mention("Department", start, m.end(), text, label, info)

    def _chain(self, text: str, generic: bool) -> list[Unit]:
        if generic:
            return [Unit(text, text, "bureau" if text.endswith("局") else "office", "prefix")]
        out: list[Unit] = []
        pos = 0
        while pos < len(text):
            u = _longest(self.units, text, pos, self.max_unit)
            if u is None:
                return []
            out.append(u)
            pos += len(u.form)
        return out

    @staticmethod
    def _canonical_units(chain: list[Unit], party: bool) -> str:
        parts = []
        for i, u in enumerate(chain):
            if u.form == "委" and i < len(chain) - 1:
                parts.append("委")
            else:
                parts.append(u.canonical)
        return "".join(parts)

    @staticmethod
    def _region(places: str, level: str | None, ctx: RegionContext) -> Division | None:
        gaz = gazetteer()
        if places:
            # the last named place is the most specific one
            div = None
            rest = places
            found: list[Division] = []
            while rest:
                for n in range(len(rest), 1, -1):
                    cand = rest[:n]
                    d = _local_or_global(cand, ctx, found[-1] if found else None)
                    if d is not None:
                        found.append(d)
                        rest = rest[n:]
                        break
                else:
                    break
            div = found[-1] if found else None
            if div is not None and level:
                # 罗江 + 区 -> 罗江区; 万安 + 镇 -> 万安镇
                if not div.name.endswith(level):
                    full = _local_or_global(div.short + level if div.short else div.name, ctx, div) \
                        if div.short else None
                    div = full or div
            return div
        if level:
            lvl = LEVEL_OF_CHAR.get(level)
            return ctx.at(lvl) if lvl else None
        return ctx.own


def _local_or_global(name: str, ctx: RegionContext, within: Division | None) -> Division | None:
    gaz = gazetteer()
    county = ctx.county()
    if county is not None:
        for t in gaz.towns_of(county):
            if name in (t.name, t.short):
                return t
    for d in ctx.path:
        if name in (d.name, d.short):
            return d
    return gaz.find(name, within or ctx.own) if name in gaz.by_name else None
