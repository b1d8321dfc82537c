"""Where an unquoted name begins: read backwards from its last character to punctuation, a
function word, an ordinal or an action verb. Shared by the recognisers of initiatives,
regulations, places and departments."""
from __future__ import annotations

from functools import lru_cache

from kg.core.data import read_words
from kg.text.words import BOUNDARY_CHARS, FUNCTION_WORDS

# where a name read backwards stops: the function characters and the copula 是 (二是…); not
# 各 全 我 本, which open names (全面依法治区, 本级)
NAME_STOP = FUNCTION_WORDS | {"是"}


@lru_cache(maxsize=1)
def cut_words() -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """The cut words, and for each last character the lengths of the words ending in it."""
    words = frozenset(read_words("lexicon", "initiative_cut.txt"))
    by_end: dict[str, set[int]] = {}
    for w in words:
        by_end.setdefault(w[-1], set()).add(len(w))
    return words, {c: tuple(sorted(ls, reverse=True)) for c, ls in by_end.items()}


def name_start(body: str, end: int, limit: int, years: bool = False) -> int:
    """Where an unquoted name ending at `end` begins: after punctuation, a function word,
    an ordinal (二是) or an action verb (ontology/lexicon/initiative_cut.txt)."""
    lo = max(0, end - limit)
    words, lengths_by_end = cut_words()
    for i in range(end - 1, lo - 1, -1):
        ch = body[i]
        if ch == "、" and i > lo:
            # a short list inside the name: 防灾、减灾、救灾综合协调机制
            j = i - 1
            while j >= lo and body[j] not in BOUNDARY_CHARS and body[j] not in NAME_STOP and i - j <= 4:
                j -= 1
            if i - j - 1 in (1, 2, 3, 4) and (j < lo or body[j] in BOUNDARY_CHARS or body[j] in NAME_STOP):
                continue
            return i + 1
        if years and ch == "年" and i >= 4 and body[i - 4:i].isdigit():
            continue  # 2022年 inside a document's name
        if years and ch.isdigit() and i + 1 < len(body) and (body[i + 1].isdigit() or body[i + 1] == "年"):
            continue
        if ch in BOUNDARY_CHARS or ch in NAME_STOP or ch.isdigit():
            return i + 1
        for n in lengths_by_end.get(ch, ()):
            if i + 1 - n >= lo and body[i + 1 - n:i + 1] in words:
                return i + 1
    return lo
