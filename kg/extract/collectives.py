"""Collectives: groups of bodies that act together (区级各部门, 9个部门, 各镇(街道))."""
from __future__ import annotations

import re
from functools import lru_cache

from kg.core.data import read_words
from kg.core.records import CollectiveAttrs, Document, Mention


@lru_cache(maxsize=1)
def patterns() -> re.Pattern:
    alternatives = "|".join(f"(?:{p})" for p in read_words("lexicon", "collectives.tsv"))
    # every pattern opens with one of these characters; the look-ahead skips other positions fast
    return re.compile(rf"(?=[全我各省市区县镇乡\d相有部重执行法政党])(?:{alternatives})")


@lru_cache(maxsize=1)
def list_patterns() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in read_words("lexicon", "collective_lists.txt")))


UNIT_END = re.compile(r"(?:局|委|办|院|部|厅|所|中心|站|队|会|组|处|室|科|股)$")


def _sector_lists(body: str):
    """应急、气象、水利、自然资源等部门: a list of sector words; a list of department names is not one."""
    for m in list_patterns().finditer(body):
        items = m.group(0).split("等")[0].split("、")
        if not any(UNIT_END.search(i) for i in items):
            yield m


def find(doc: Document, taken: list[tuple[int, int]]) -> list[Mention]:
    body = doc.body
    out: list[Mention] = []
    found = sorted([*patterns().finditer(body), *_sector_lists(body)], key=lambda m: m.start())
    for m in found:
        s, e = m.start(), m.end()
        if out and s < out[-1].end:
            continue
        if e - s < 3:
            continue
        if any(ts <= s and e <= te for ts, te in taken):
            continue
        attrs = CollectiveAttrs(m.group(0))
        if m.re is list_patterns():
            attrs.sectors = True
        out.append(Mention("Collective", s, e, m.group(0), "col:" + m.group(0), attrs))
    return out
