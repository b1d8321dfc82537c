"""Initiatives: named programmes, reforms, campaigns and systems.

Three shapes: quoted names (“放管服”改革, “一网通办”, with a glued prefix or suffix),
unquoted names ending in 制度/机制/改革/行动/... (left edge at the governing verb), and
法治 + the report's own place (法治通川, 法治遂宁建设).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from kg.core.data import read_words
from kg.core.records import Document, InitiativeAttrs, Mention
from kg.extract.lexicon import RegionContext
from kg.text.words import NameIndex, marked, trie_regex
from kg.extract.names import name_start
from kg.text.words import BOUNDARY_CHARS, FUNCTION_CHARS

COORDINATION = set("和与及")

QUOTED = re.compile(r"“([^“”\n]{1,30})”")
NOT_INITIATIVE = re.compile(r"^(?:优秀|良好|合格|好|差|满意|先进|[0-9.%%]+|[A-Za-z]+|十[一二三四五六七八九]?五)$")  # 十四五: a planning period
BARE_QUOTED_OK = re.compile(r"^[一二三四五六七八九十两双百千多首第零免\d]|[、,,+]|[办治制化改]$")
DATE_LIKE = re.compile(r"^[\d·.\-]+$")
HONOUR = re.compile(r"(?:单位|先进|模范|标兵|集体|个人|称号|城市|最强市|之城|之乡)$")


@lru_cache(maxsize=1)
def suffixes() -> tuple[str, ...]:
    return tuple(sorted(read_words("lexicon", "initiative_suffixes.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def known_index():
    return NameIndex(read_words("lexicon", "initiatives_known.txt"))


@lru_cache(maxsize=1)
def role_words() -> tuple[str, ...]:
    return tuple(sorted(read_words("lexicon", "initiative_roles.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def generic_cores() -> frozenset[str]:
    return frozenset(read_words("lexicon", "initiative_generic.txt"))


@lru_cache(maxsize=1)
def glued_suffix_regex() -> re.Pattern:
    return re.compile(r"[\u4e00-\u9fff]{0,12}?(?:" + trie_regex(suffixes()) + ")")


@lru_cache(maxsize=1)
def suffix_regex() -> re.Pattern:
    return re.compile(rf"(?:{trie_regex(suffixes())})(?![\u4e00-\u9fff]{{0,1}}(?:机制|制度|改革))")


def _key(text: str) -> str:
    return re.sub(r"[“”‘’\"'\s]", "", text)


MAX_QUOTED_RUN = 4  # quoted names read as one programme: “一件事”“一次办”
MAX_NAME = 40  # characters: the longest programme names are about 30
SCOPE_WORDS = ("全面", "全国", "全省", "全市", "全区", "全县")
SCOPE_PREFIX = re.compile(r"(?:全[国省市区县镇乡](?:首批|第[一二三四五六七八九十]批)?|首批|全面(?:推开|推行|实施|开展))")


def find(doc: Document, ctx: RegionContext, taken: list[tuple[int, int]],
         bodies: list[tuple[int, int]] = ()) -> list[Mention]:
    """`taken`: spans no name may overlap (titles); `bodies`: department mentions a name may
    contain (党委理论学习中心组学法制度), so a verb-like word inside one does not cut the name."""
    body = doc.body
    inside_body = {}
    body_ends = {}
    for a, b in bodies:
        body_ends[a] = b
        for i in range(a + 1, b):
            inside_body[i] = a

    def start_of(end: int, limit: int) -> int:
        st = name_start(body, end, limit)
        while st in inside_body and end - inside_body[st] <= limit + 8:
            st = name_start(body, inside_body[st], limit) if inside_body[st] > 0 else 0
            st = min(st, end)
        return st
    out: list[Mention] = []
    occupied = bytearray(len(body))
    for s, e in taken:
        occupied[s:e] = b"\x01" * (e - s)

    def free(s: int, e: int) -> bool:
        return not marked(occupied, s, e)

    def add(s: int, e: int, variants: tuple[str, ...] = ()) -> None:
        text = body[s:e]
        alts = tuple(v for v in dict.fromkeys(variants) if v and v != text)
        out.append(Mention("Initiative", s, e, text, _key(text), InitiativeAttrs(_key(text), alts)))
        occupied[s:e] = b"\x01" * (e - s)

    # 1. quoted names, extended by a glued suffix and a glued prefix
    for m in QUOTED.finditer(body):
        s, e = m.start(), m.end()
        inner = m.group(1).strip()
        if not free(s, e) or NOT_INITIATIVE.match(inner) or len(inner) < 2 or HONOUR.search(inner):
            continue
        # runs of quoted names: “一件事”“一次办” (a few at most: a long run is a list, and
        # following every run to its end from each of its names would be quadratic)
        for _ in range(MAX_QUOTED_RUN - 1):
            if e >= len(body) or body[e] != "“":
                break
            nxt = QUOTED.match(body, e)
            if not nxt:
                break
            e = nxt.end()
        sm = suffix_regex().match(body, e)
        if sm is None:
            sm2 = glued_suffix_regex().match(body, e)
            if sm2 and not any(c in FUNCTION_CHARS for c in sm2.group(0)):
                sm = sm2
        quoted_only = body[s:e]
        if sm is None and not BARE_QUOTED_OK.search(inner) and len(inner) < 6:
            continue  # “头雁效应”, “司法掮客”: a quoted word, not a named programme
        if sm is None and DATE_LIKE.match(inner):
            continue
        if sm is not None:
            e = sm.end()
        # the name as written may also carry a descriptive prefix: 高质量发展“十项行动”
        ps = name_start(body, s, 10)
        prefixed = body[ps:e] if ps < s else ""
        if free(s, e):
            add(s, e, (quoted_only, prefixed))
    # 2. nationally known names (ontology/lexicon/initiatives_known.txt)
    roles = role_words()
    known_ends = set()
    for ks, ke in known_index().spans(body):
        known_ends.add(ke)
        short = body[ks:ke]
        # 会前学法 + (常态化) 机制
        sm = suffix_regex().match(body, ke + 3 if body.startswith("常态化", ke) else ke)
        if sm is not None and sm.group(0) in ("机制", "制度", "活动", "工作机制", "改革", "试点", "模式"):
            ke = sm.end()
        elif ke < len(body) and body[ke].isdigit():
            continue  # 组织会前学法19次: held so many times, an activity rather than the practice
        role = next((r for r in roles if body.startswith(r, ks - len(r))), None)
        if role is not None and free(ks - len(role), ks):
            ks -= len(role)  # 领导干部年终述法
        if free(ks, ke):
            add(ks, ke, (short,) if body[ks:ke] != short else ())
    # 3. unquoted names ending in a suffix
    for m in suffix_regex().finditer(body):
        e = m.end()
        if not free(m.start(), e):
            continue
        s = start_of(m.start(), 18)
        core = body[s:m.start()]
        if len(core) < 2 or core in generic_cores() or any(c in BOUNDARY_CHARS for c in core):
            continue
        if len(core) < 3 and m.group(0) in ("工程", "经验", "原则", "品牌", "布局", "普法", "述法"):
            continue
        if m.group(0) in ("体系", "机制", "制度", "模式") and len(core) < 4:
            continue
        if re.search(r"\d", core) or (s > 0 and body[s - 1].isdigit()):
            continue  # 20余项试点: a count, not a name
        if free(s, e):
            # 全面依法治区: a scope word before the name may belong to it
            variants = [body[s - 2:e] for w in SCOPE_WORDS if body.startswith(w, s - 2)]
            # and one inside it may not: 全国首批简化行政审批程序试点, 全面推开企业简易注销登记改革;
            # nor the body that runs it: 市政府党组理论学习中心组学法制度
            lead = SCOPE_PREFIX.match(body, s, e)
            cut = lead.end() if lead else body_ends.get(s)
            if cut is not None and e - cut >= 4:
                variants.append(body[cut:e])
            # a name cut at a conjunction may go on before it: 党内法规和法律法规清单制度
            # (unless what comes before is a programme of its own: 会前学法和…年度报告制度)
            if s >= 2 and body[s - 1] in COORDINATION and body[s - 2] not in BOUNDARY_CHARS \
                    and s - 1 not in known_ends:
                wider = start_of(s - 1, 12)
                if wider < s - 2:
                    variants.append(body[wider:e])
            add(s, e, tuple(variants))
    # 4. 法治 + own place (法治通川, 法治遂宁建设)
    names = {d.short for d in ctx.path if len(d.short) >= 2} | {d.name for d in ctx.path}
    if names:
        for m in re.finditer(rf"法治(?:{trie_regex(names)})(建设)?", body):
            if free(m.start(), m.end()):
                add(m.start(), m.end(), (body[m.start():m.start(1)],) if m.group(1) else ())
    # 告知承诺制 after 证明事项告知承诺制 names the same system
    # (only where the longer names ending so are one name: after 信阳镇办理法治宣传活动 and
    # 一月一主题法治宣传活动, 法治宣传活动 is neither)
    with_suffix: dict[str, list[str]] = {}
    for k in sorted({m.key for m in out if len(m.key) <= MAX_NAME}, key=lambda k: (len(k), k)):
        for i in range(1, len(k) - 2):
            with_suffix.setdefault(k[i:], []).append(k)
    for m in out:
        if len(m.key) >= 3:
            names = with_suffix.get(m.key, [])
            longer = names[-1] if names and all(names[-1].endswith(n) for n in names) else None
            if longer is not None:
                m.key = longer
                m.attrs = replace(m.attrs, name=longer)
    out.sort(key=lambda x: x.start)
    return out
