"""Collectives: groups of bodies that act together (区级各部门, 9个部门, 各镇(街道))."""
from __future__ import annotations

import re
from functools import lru_cache

from ..data import read_words
from ..records import Document, Mention


@lru_cache(maxsize=1)
def patterns() -> re.Pattern:
    alternatives = "|".join(f"(?:{p})" for p in read_words("lexicon", "collectives.tsv"))
    # every pattern opens with one of these characters; the look-ahead skips other positions fast
    return re.compile(rf"(?=[全我各省市区县镇乡\d相有])(?:{alternatives})")


def find(doc: Document, taken: list[tuple[int, int]]) -> list[Mention]:
    body = doc.body
    out: list[Mention] = []
    for m in patterns().finditer(body):
        s, e = m.start(), m.end()
        if e - s < 3:
            continue
        if any(ts <= s and e <= te for ts, te in taken):
            continue
        out.append(Mention("Collective", s, e, m.group(0), "col:" + m.group(0), {"label": m.group(0)}))
    return out
