"""Small helpers shared by recognisers: verb lexicon and left boundaries of names."""
from __future__ import annotations

import re
from functools import lru_cache

from ..data import read_words
from .lexicon import trie_regex

BOUNDARY_CHARS = set(",,。;;::、!!??()()《》“”\"'\n\t \u3000")
FUNCTION_CHARS = set("的了在对将把被由向从为以及等和与各全我本该其并")


@lru_cache(maxsize=1)
def verbs() -> tuple[str, ...]:
    return tuple(sorted(set(read_words("lexicon", "verbs.txt")), key=len, reverse=True))


@lru_cache(maxsize=1)
def verb_regex() -> re.Pattern:
    return re.compile(trie_regex(verbs()))


def left_start(body: str, end: int, limit: int, floor: int = 0) -> int:
    """Where a name that ends at `end` starts: after the nearest punctuation, function word
    or verb on its left, at most `limit` characters back."""
    lo = max(floor, end - limit)
    start = lo
    for i in range(end - 1, lo - 1, -1):
        if body[i] in BOUNDARY_CHARS:
            start = i + 1
            break
    # the last verb inside [start, end) cuts it further
    seg = body[start:end]
    best = start
    for m in verb_regex().finditer(seg):
        if m.end() < len(seg) - 1:
            best = max(best, start + m.end())
    for i in range(end - 2, best - 1, -1):
        if body[i] in FUNCTION_CHARS and i > best:
            best = i + 1
            break
    return best
