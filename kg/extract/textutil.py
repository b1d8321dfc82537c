"""Small helpers shared by recognisers: the verb lexicon and boundary characters."""
from __future__ import annotations

import re
from functools import lru_cache

from ..data import read_words
from .lexicon import trie_regex

BOUNDARY_CHARS = set(",,。;;::、!!??()()《》“”\"'\n\t \u3000—")
FUNCTION_CHARS = set("的了在对将把被由向从为以及等和与各全我本该其并")


@lru_cache(maxsize=1)
def verbs() -> tuple[str, ...]:
    return tuple(sorted(set(read_words("lexicon", "verbs.txt")), key=len, reverse=True))


@lru_cache(maxsize=1)
def verb_regex() -> re.Pattern:
    return re.compile(trie_regex(verbs()))
