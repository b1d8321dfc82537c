"""Pinyin for place names, with heteronym fixes from ontology/lexicon/pinyin_fixes.tsv."""
from __future__ import annotations

from functools import lru_cache

from kg.core.data import read_table
from kg.text.regions import place_endings

MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}


@lru_cache(maxsize=1)
def _setup():
    import pypinyin
    phrases = {}
    for row in read_table("lexicon", "pinyin_fixes.tsv"):
        if len(row) >= 2:
            syll = row[1].split()
            if len(syll) == len(row[0]):
                phrases[row[0]] = [[s] for s in syll]
    pypinyin.load_phrases_dict(phrases)
    return pypinyin


def syllables(text: str) -> list[str]:
    """Toneless syllables; non-Chinese characters pass through."""
    pypinyin = _setup()
    return pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL, errors="default",
                                v_to_u=False, neutral_tone_with_five=False)


def join_syllables(syl: list[str]) -> str:
    """Hanyu Pinyin word: syllables joined, an apostrophe before a/o/e inside the word."""
    out = ""
    for i, s in enumerate(syl):
        if i and s[:1] in ("a", "o", "e"):
            out += "'"
        out += s
    return out[:1].upper() + out[1:]


def word_pinyin(text: str) -> str:
    return join_syllables(syllables(text))


@lru_cache(maxsize=65536)
def place_pinyin(name: str, kind: str | None = None) -> str:
    """万安镇 -> "Wan'an Town", 天津市 -> "Tianjin Municipality", 金平苗族瑶族傣族自治县 ->
    "Jinping Miao, Yao and Dai Autonomous County"."""
    if name in MUNICIPALITIES:
        return word_pinyin(name[:-1]) + " Municipality"
    for suf, en in _zone_endings():  # 成都高新技术产业开发区 -> Chengdu Hi-tech Industrial Development Zone
        if name.endswith(suf) and len(name) > len(suf):
            return word_pinyin(name[: -len(suf)]) + " " + en
    for suf, en in ((e.ending, e.english) for e in place_endings() if e.english):
        if name.endswith(suf) and len(name) > len(suf):
            stem = name[: -len(suf)]
            if suf.startswith("自治"):  # the peoples of an autonomous area by their English names
                place, peoples = _peoples(stem)
                if peoples:  # 鄂伦春自治旗: named after its people alone (Oroqen Autonomous Banner)
                    return " ".join(p for p in (word_pinyin(place) if place else "", _series(peoples), en) if p)
            if len(stem) == 1:  # 泸县 -> Luxian County keeps the suffix syllable
                return word_pinyin(name) + " " + en
            return word_pinyin(stem) + " " + en
    return word_pinyin(name)


@lru_cache(maxsize=1)
def _zone_endings() -> tuple[tuple[str, str], ...]:
    """(ending of a development zone, its English), longest first (ontology/lexicon/zone_suffixes.txt)."""
    return tuple(sorted(((r[0], r[1]) for r in read_table("lexicon", "zone_suffixes.txt") if len(r) > 1 and r[1]),
                        key=lambda r: -len(r[0])))


@lru_cache(maxsize=1)
def _ethnic_names() -> tuple[tuple[str, str], ...]:
    """(name as division names write it, English name), longest first (ontology/lexicon/ethnic_groups.tsv)."""
    out = []
    for r in read_table("lexicon", "ethnic_groups.tsv"):
        english = r[2] if len(r) > 2 and r[2] else r[1]
        out.append((r[0], english))
        if len(r) > 3 and r[3] == "yes":
            out.append((r[0].removesuffix("族"), english))
    return tuple(sorted(out, key=lambda x: -len(x[0])))


def _peoples(stem: str) -> tuple[str, list[str]]:
    """金平苗族瑶族傣族 -> (金平, [Miao, Yao, Dai]): the ethnic names ending a stem, in order; the
    place name left is of two characters at least, or none (内蒙古 stays whole)."""
    peoples: list[str] = []
    while True:
        hit = next(((n, en) for n, en in _ethnic_names()
                    if stem.endswith(n) and len(stem) - len(n) in (0, *range(2, len(stem)))), None)
        if hit is None:
            return stem, peoples
        stem = stem[: -len(hit[0])]
        peoples.insert(0, hit[1])


def _series(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
