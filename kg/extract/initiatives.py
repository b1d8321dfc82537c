"""Initiatives: named programmes, reforms, campaigns and systems.

Three shapes: quoted names (“放管服”改革, “一网通办”, with a glued prefix or suffix),
unquoted names ending in 制度/机制/改革/行动/... (left edge at the governing verb), and
法治 + the report's own place (法治通川, 法治遂宁建设).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..data import read_words
from ..records import Document, Mention
from .lexicon import RegionContext, trie_regex
from .textutil import BOUNDARY_CHARS, FUNCTION_CHARS, left_start

QUOTED = re.compile(r"“([^“”\n]{1,30})”")
NOT_INITIATIVE = re.compile(r"^(?:优秀|良好|合格|好|差|满意|先进|[0-9.%%]+|[A-Za-z]+)$")
HONOUR = re.compile(r"(?:单位|先进|模范|标兵|集体|个人|称号)$")


@lru_cache(maxsize=1)
def suffixes() -> tuple[str, ...]:
    return tuple(sorted(read_words("lexicon", "initiative_suffixes.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def generic_cores() -> frozenset[str]:
    return frozenset(read_words("lexicon", "initiative_generic.txt"))


@lru_cache(maxsize=1)
def suffix_regex() -> re.Pattern:
    return re.compile(rf"(?:{trie_regex(suffixes())})(?![\u4e00-\u9fff]{{0,1}}(?:机制|制度|改革))")


def _key(text: str) -> str:
    return re.sub(r"[“”‘’\"'\s]", "", text)


def find(doc: Document, ctx: RegionContext, taken: list[tuple[int, int]]) -> list[Mention]:
    body = doc.body
    out: list[Mention] = []
    occupied = bytearray(len(body))
    for s, e in taken:
        occupied[s:e] = b"\x01" * (e - s)

    def free(s: int, e: int) -> bool:
        return not any(occupied[s:e])

    def add(s: int, e: int) -> None:
        text = body[s:e]
        out.append(Mention("Initiative", s, e, text, _key(text), {"name": _key(text)}))
        occupied[s:e] = b"\x01" * (e - s)

    content = [(p.start, p.end) for p in doc.paragraphs]
    # 1. quoted names, extended by a glued suffix and a glued prefix
    for m in QUOTED.finditer(body):
        s, e = m.start(), m.end()
        inner = m.group(1).strip()
        if not free(s, e) or NOT_INITIATIVE.match(inner) or len(inner) < 2 or HONOUR.search(inner):
            continue
        # runs of quoted names: “一件事”“一次办”
        while e < len(body) and body[e] == "“":
            nxt = QUOTED.match(body, e)
            if not nxt:
                break
            e = nxt.end()
        sm = suffix_regex().match(body, e)
        if sm is None:
            sm2 = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:" + trie_regex(suffixes()) + ")").match(body, e)
            if sm2 and not any(c in FUNCTION_CHARS for c in sm2.group(0)):
                sm = sm2
        if sm is not None:
            e = sm.end()
        ls = left_start(body, s, 10)
        if ls < s and all(ch not in BOUNDARY_CHARS for ch in body[ls:s]) and s - ls <= 8:
            s = ls
        if free(s, e):
            add(s, e)
    # 2. unquoted names ending in a suffix
    for m in suffix_regex().finditer(body):
        e = m.end()
        if not free(m.start(), e):
            continue
        s = left_start(body, m.start(), 18)
        core = body[s:m.start()]
        if len(core) < 2 or core in generic_cores() or any(c in BOUNDARY_CHARS for c in core):
            continue
        if len(core) < 3 and m.group(0) in ("工作", "建设", "平台", "体系", "经验", "原则", "品牌", "布局"):
            continue
        if m.group(0) == "工作" and len(core) < 6:
            continue
        if re.search(r"\d", core):
            continue
        if free(s, e):
            add(s, e)
    # 3. 法治 + own place (法治通川, 法治遂宁建设)
    names = {d.short for d in ctx.path if len(d.short) >= 2} | {d.name for d in ctx.path}
    if names:
        for m in re.finditer(rf"法治(?:{trie_regex(names)})(?:建设)?", body):
            if free(m.start(), m.end()):
                add(m.start(), m.end())
    out.sort(key=lambda x: x.start)
    return out
