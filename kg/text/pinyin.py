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
    """万安镇 -> "Wan'an Town", 天津市 -> "Tianjin Municipality"."""
    if name in MUNICIPALITIES:
        return word_pinyin(name[:-1]) + " Municipality"
    for suf, en in ((e.ending, e.english) for e in place_endings() if e.english):
        if name.endswith(suf) and len(name) > len(suf):
            stem = name[: -len(suf)]
            if len(stem) == 1:  # 泸县 -> Luxian County keeps the suffix syllable
                return word_pinyin(name) + " " + en
            return word_pinyin(stem) + " " + en
    return word_pinyin(name)
