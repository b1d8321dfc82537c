"""A rough English rendering of a body's or place's name: place parts in pinyin with their level
(Luojiang District), the body's kind by its ending (Bureau of Justice; ontology/lexicon/english.tsv,
whose further columns are other names in use). Search matches it; English pages show its first form."""
from __future__ import annotations

import re
from functools import lru_cache

from kg.core.data import read_table
from kg.text.pinyin import place_pinyin

PARTY_COMMITTEE = re.compile(r"^中共.+[省市区县州旗]委$")
PLACE_PART = re.compile(r"[\u4e00-\u9fff]+?(?:自治州|省|市|区|县|镇|乡|街道|社区|村)")


@lru_cache(maxsize=1)
def english_endings() -> list[tuple[str, str]]:
    """(Chinese ending, its English names joined by " / "), longest ending first."""
    return sorted(((r[0], " / ".join(c for c in r[1:] if c)) for r in read_table("lexicon", "english.tsv")
                   if len(r) >= 2), key=lambda r: -len(r[0]))


def _kind(label: str) -> tuple[str, str] | None:
    """(the name without the ending that tells the body's kind, the kind in English), or None."""
    if PARTY_COMMITTEE.search(label):  # 中共德阳市罗江区委: the committee of the place whose level it keeps
        return label[:-1], "Committee"
    for ending, en in english_endings():
        if label.endswith(ending) and len(ending) >= 2:
            return label[: -len(ending)], en
    return None


def english_name(label: str, typ: str) -> str:
    """德阳市罗江区司法局 -> "Luojiang District Deyang City Bureau of Justice / Justice Bureau";
    "" where neither the ending nor a place part is known."""
    if typ == "Place":
        return place_pinyin(label)
    kind = _kind(label)
    rest, words = (kind[0], [kind[1]]) if kind else (label, [])
    party = rest.startswith("中共")  # the Communist Party of China's bodies: CPC … Committee
    for part in PLACE_PART.findall(rest[2:] if party else rest):
        words.insert(0, place_pinyin(part))
    return " ".join((["CPC"] if party and words else []) + words)


def display_name(label: str, typ: str) -> str:
    """The English name to show: its first form only; none for a body whose kind no ending tells
    (行政复议与应诉股): its place alone would read as its name."""
    if typ != "Place" and _kind(label) is None:
        return ""
    return english_name(label, typ).split(" / ")[0]
