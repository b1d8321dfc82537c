"""Places: the administrative hierarchy from the division gazetteer, plus zones (片区, 高新区).

Provinces, cities and counties are matched by full name anywhere; towns, villages and
communities only inside the report's own county (short village names repeat all over China).
Short forms (罗江, 万安) count for the report's own region and its towns.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.core.records import Document, Mention, PlaceAttrs
from kg.text.regions import Division, gazetteer
from kg.extract.spans import Covering
from kg.extract.lexicon import RegionContext, global_place_names
from kg.core.data import read_words
from kg.text.words import FUNCTION_CHARS, NameIndex, alternation
from kg.text.pinyin import place_pinyin
from kg.extract.names import name_start

OWN_REGION = re.compile(r"(?:我|全|本)(省|市|区|县|州|镇|乡|街)(?![长委政级直属内外])")
CJK_RUN_END = re.compile(r"[\u4e00-\u9fff]{2,16}$")
ZONE_BAD = FUNCTION_CHARS | set("打造建设推进构建加快围绕依托")  # and verbs that open the phrase
COMMUNITY = re.compile(r"[\u4e00-\u9fff]{2,6}社区(?![矫服治工建网党居委])")


@lru_cache(maxsize=1)
def zone_suffix_regex() -> re.Pattern:
    """The ending of a development zone or area: ontology/lexicon/zone_suffixes.txt."""
    return re.compile(f"(?:{alternation(read_words('lexicon', 'zone_suffixes.txt'))})")


@lru_cache(maxsize=1)
def generic_community_words() -> frozenset[str]:
    """Words before 社区 that name no community: ontology/lexicon/community_generic.txt."""
    return frozenset(read_words("lexicon", "community_generic.txt"))


@lru_cache(maxsize=1)
def _global_index() -> NameIndex:
    """Provinces, cities and counties named in full (three characters or more)."""
    return NameIndex(n for n in global_place_names() if len(n) >= 3)


@lru_cache(maxsize=512)
def _local_index(names: tuple[str, ...]) -> NameIndex:
    return NameIndex(names)


def local_names(ctx: RegionContext) -> dict[str, Division]:
    """Names that count only in this report's region: its own path (with short forms), the
    towns, villages and communities of its county, a city's districts by short name."""
    return _local_names(tuple(ctx.path))


@lru_cache(maxsize=512)
def _local_names(path: tuple[Division, ...]) -> dict[str, Division]:
    ctx = RegionContext(list(path))
    gaz = gazetteer()
    out: dict[str, Division] = {}
    county = ctx.county()
    if county is not None:
        for t in gaz.towns_of(county):
            out[t.name] = t
            if len(t.short) >= 2:
                out.setdefault(t.short, t)
            for v in gaz.villages_of(t):
                out[v.name] = v
    for d in ctx.path:
        out[d.name] = d
        if len(d.short) >= 2:
            out.setdefault(d.short, d)
    own = ctx.own
    if own is not None and own.level in ("province", "city"):
        # a city's districts and counties by their short names too (浦东 for 浦东新区)
        for child in own.children:
            out.setdefault(child.name, child)
            if len(child.short) >= 2 and child.short not in gaz.by_name:
                out.setdefault(child.short, child)
    for name, d in list(out.items()):
        if d.level == "town" and name == d.name and name.endswith("街道"):
            out.setdefault(name[:-1], d)  # 洛浦街道 is often written 洛浦街
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
    # towns of other counties the report names (长治市 report: 潞州区东街街道)
    own_county = ctx.county()
    named_counties = {d.code: d for _, _, d in found if d.level == "county" and d is not own_county}
    for county in list(named_counties.values())[:8]:
        towns = {t.name: t for t in gaz.towns_of(county)}
        for s, e in _local_index(tuple(sorted(towns))).spans(body):
            found.append((s, e, towns[body[s:e]]))
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
        # the city or county written right before it (绵阳涪城区) is named too
        for anc in div.path()[:-1]:
            form = next((f for f in (anc.name, anc.short) if f and len(f) >= 2
                         and body.startswith(f, s - len(f)) and s - len(f) >= last_end), None)
            if form is not None:
                mentions.append(_mention(s - len(form), s, form, anc))
                break
        mentions.append(_mention(s, e, body[s:e], div))
        last_end = e
    own = ctx.own
    if own is not None:
        for m in OWN_REGION.finditer(body):
            div = ctx.by_char(m.group(1))
            if div is not None and div is own:
                mentions.append(_mention(m.start(), m.end(), m.group(0), div))
    for sm in zone_suffix_regex().finditer(body):
        run = CJK_RUN_END.search(body, max(0, sm.start() - 16), sm.start())
        if run is None:
            continue
        s = max(run.start(), name_start(body, sm.start(), 16))
        prev_zone = body.rfind("区", s, sm.start())
        if prev_zone >= 0:
            s = prev_zone + 1
        if body[s] == "分" and s + 1 < sm.start():  # 分A片区、B片区: "divided into"
            s += 1
        text = body[s:sm.end()]
        # trim on the left up to a function word or verb
        cut = max((i + 1 for i, ch in enumerate(text[:-2]) if ch in ZONE_BAD), default=0)
        text, s = text[cut:], s + cut
        text2 = re.sub(r"^[一二三四五六七八九十两\d]+个", "", text)
        s += len(text) - len(text2)
        text = text2
        if len(text) < 3 or text in ("开发区", "新区", "示范区", "园区", "片区", "高新区", "经开区"):
            if text != "高新区":
                continue
        if text.endswith(("示范区", "试验区", "新区")) and not _starts_with_place(text, local):
            continue
        parent = ctx.own
        mentions.append(Mention("Place", s, s + len(text), text, "zone:" + text,
                                PlaceAttrs(text, "zone", place_pinyin(text, "zone"),
                                           parent.name if parent else None)))
    # communities the division table may lack (new districts): 凤凰花园社区, 飞虹社区
    known = Covering((m.start, m.end) for m in mentions)
    for cm in COMMUNITY.finditer(body):
        s = max(cm.start(), name_start(body, cm.end() - 2, 6))
        name = body[s:cm.end()]
        core = name[:-2]
        if len(core) < 2 or core in generic_community_words() or known.covers_point(s) \
                or any(ch in "进到在下沉入驻" for ch in core):
            continue
        parent = ctx.own
        mentions.append(Mention("Place", s, cm.end(), name, "community:" + name,
                                PlaceAttrs(name, "community", place_pinyin(name, "community"),
                                           parent.name if parent else None)))
    mentions.sort(key=lambda x: x.start)
    return mentions


def _starts_with_place(text: str, local: dict) -> bool:
    names = _global_index().names
    return any(text[:n] in local or text[:n] in names for n in range(2, min(len(text), 9)))


def _mention(s: int, e: int, text: str, div: Division) -> Mention:
    parent = div.parent.name if div.parent is not None and div.parent.name != div.name else None
    if div.parent is not None and div.parent.parent is not None and div.parent.name == div.name:
        parent = None
    return Mention("Place", s, e, text, "div:" + "/".join(d.name for d in div.path()),
                   PlaceAttrs(div.name, div.kind, place_pinyin(div.name, div.kind), parent, div.code,
                              tuple(d.name for d in div.path())))
