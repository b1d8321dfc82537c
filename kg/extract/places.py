"""Places: the administrative hierarchy from the division gazetteer, plus zones (片区, 高新区).

Provinces, cities and counties are matched by full name anywhere; towns, villages and
communities only inside the report's own county (short village names repeat all over China).
Short forms (罗江, 万安) count for the report's own region and its towns.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..records import Document, Mention
from ..regions import Division, gazetteer
from .lexicon import NameIndex, RegionContext, global_place_names, trie_regex
from .pinyin import place_pinyin

OWN_REGION = re.compile(r"(?:我|全|本)(省|市|区|县|州|镇|乡|街)(?![长委政级直属内外])")
ZONE_SUFFIX = re.compile(r"(?:片区|高新技术产业开发区|高新区|经济技术开发区|经开区|开发区|"
                         r"示范区|产业园区|工业园区|产业集聚区|自贸区|试验区|新区)")
CJK_RUN_END = re.compile(r"[\u4e00-\u9fff]{2,16}$")
ZONE_BAD = set("的了在对将把被由向从为以及等和与各全我本该其并打造建设推进构建加快围绕依托")
LEVEL_OF_OWN = {"省": "province", "市": "city", "州": "city", "区": "county", "县": "county",
                "镇": "town", "乡": "town", "街": "town"}


@lru_cache(maxsize=1)
def _global_index() -> NameIndex:
    """Provinces, cities and counties named in full (three characters or more)."""
    return NameIndex(n for n in global_place_names() if len(n) >= 3)


@lru_cache(maxsize=512)
def _local_index(names: tuple[str, ...]) -> NameIndex:
    return NameIndex(names)


def local_names(ctx: RegionContext) -> dict[str, Division]:
    gaz = gazetteer()
    out: dict[str, Division] = {}
    county = ctx.county()
    if county is not None:
        for t in gaz.towns_of(county):
            out[t.name] = t
            if len(t.short) >= 2:
                out.setdefault(t.short, t)
            for v in t.children:
                out[v.name] = v
    for d in ctx.path:
        out[d.name] = d
        if len(d.short) >= 2:
            out.setdefault(d.short, d)
    return out


def find(doc: Document, ctx: RegionContext) -> list[Mention]:
    body = doc.body
    gaz = gazetteer()
    local = local_names(ctx)
    found: list[tuple[int, int, Division]] = []
    for s, e in _global_index().spans(body):
        name = body[s:e]
        div = local.get(name) or gaz.find(name, ctx.own)
        if div is not None:
            found.append((s, e, div))
    if local:
        for s, e in _local_index(tuple(sorted(local))).spans(body):
            found.append((s, e, local[body[s:e]]))
    # prefer longer matches; drop ones inside others
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    mentions: list[Mention] = []
    last_end = -1
    for s, e, div in found:
        if s < last_end:
            continue
        # a short form glued into a longer word (罗江村 is not 罗江) is skipped
        if div.short == body[s:e] and e < len(body) and body[e] in "村路街镇乡社":
            continue
        mentions.append(_mention(s, e, body[s:e], div))
        last_end = e
    own = ctx.own
    if own is not None:
        for m in OWN_REGION.finditer(body):
            lvl = LEVEL_OF_OWN[m.group(1)]
            div = ctx.at(lvl)
            if div is not None and div is own:
                mentions.append(_mention(m.start(), m.end(), m.group(0), div))
    for sm in ZONE_SUFFIX.finditer(body):
        run = CJK_RUN_END.search(body, max(0, sm.start() - 16), sm.start())
        if run is None:
            continue
        s = run.start()
        text = body[s:sm.end()]
        # trim on the left up to a function word or verb
        cut = max((i + 1 for i, ch in enumerate(text[:-2]) if ch in ZONE_BAD), default=0)
        text, s = text[cut:], s + cut
        if len(text) < 3 or text in ("开发区", "新区", "示范区", "园区", "片区", "高新区", "经开区"):
            if text != "高新区":
                continue
        parent = ctx.own
        mentions.append(Mention("Place", s, s + len(text), text, "zone:" + text,
                                {"name": text, "place_type": "zone",
                                 "parent": parent.name if parent else None,
                                 "pinyin": place_pinyin(text, "zone")}))
    mentions.sort(key=lambda x: x.start)
    return mentions


def _mention(s: int, e: int, text: str, div: Division) -> Mention:
    parent = div.parent.name if div.parent is not None and div.parent.name != div.name else None
    if div.parent is not None and div.parent.parent is not None and div.parent.name == div.name:
        parent = None
    return Mention("Place", s, e, text, "div:" + "/".join(d.name for d in div.path()),
                   {"name": div.name, "place_type": div.kind, "parent": parent, "code": div.code,
                    "path": [d.name for d in div.path()], "pinyin": place_pinyin(div.name, div.kind)})
