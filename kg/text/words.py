"""Words in running text: the verb lexicon, boundary and function characters, and fast matching
of word lists (trie-shaped regular expressions, a backwards name index)."""
from __future__ import annotations

import re
from functools import lru_cache

import rjieba

from kg.core.data import read_words

BOUNDARY_CHARS = set(",,。;;::、!!??()()《》“”\"'\n\t \u3000—")
# function characters (ontology/lexicon/function_chars.txt), with the determiners and pronouns
# that open a phrase (各 全 我 本): where a glued name cannot run on
FUNCTION_WORDS = frozenset(read_words("lexicon", "function_chars.txt"))
FUNCTION_CHARS = FUNCTION_WORDS | set("各全我本")


@lru_cache(maxsize=1)
def verbs() -> tuple[str, ...]:
    return tuple(sorted(set(read_words("lexicon", "verbs.txt")), key=len, reverse=True))


@lru_cache(maxsize=1)
def verb_regex() -> re.Pattern:
    return re.compile(trie_regex(verbs()))


MANNER_ADVERBS = tuple(read_words("lexicon", "manner_adverbs.txt"))  # 严格, 深入, 进一步…


@lru_cache(maxsize=1)
def _segmenter() -> rjieba.Jieba:
    """rjieba's standard dictionary and the endings of zones (ontology/lexicon/zone_suffixes.txt:
    产业集聚区 is one word, so its 区 is no level word). rjieba's module-level instance, made when
    rjieba is imported (a second costs 24 MB): extraction's alone, as the search index keeps an
    instance of its own for its user words, so what extraction finds never depends on them."""
    seg = getattr(rjieba, "_DEFAULT_JIEBA", None) or rjieba.Jieba()
    for w in read_words("lexicon", "zone_suffixes.txt"):
        seg.add_word(w, 20000, "ns")
    return seg


WORD_REACH = 8  # characters either side the segmenter reads to decide one word


def word_at(text: str, i: int) -> tuple[int, int]:
    """The span of the word the segmenter reads at `i` (rjieba's standard dictionary and ours,
    without guessing unknown words: no HMM, which glues 向区 together). The text is read a few
    characters either side, up to punctuation: in 在区司法局 the word at 区 is 区 (在/区/司法局),
    in 今年区政府 it is 区政府, in 社区司法局 it is 社区 and in 区市场监管局 the word at 市 is 市场."""
    a = i
    while a > max(0, i - WORD_REACH) and text[a - 1] not in BOUNDARY_CHARS:
        a -= 1
    b = i + 1
    while b < min(len(text), i + WORD_REACH) and text[b] not in BOUNDARY_CHARS:
        b += 1
    pos = a
    for w in _segmenter().cut(text[a:b], False):
        if pos + len(w) > i:
            return pos, pos + len(w)
        pos += len(w)
    return i, i + 1


def alternation(words) -> str:
    """The words as a regex alternation, in their given order (where one begins another, the
    order decides which is taken: keep longer forms first)."""
    return "|".join(re.escape(w) for w in words)


def trie_regex(words) -> str:
    """A regex source matching any of `words`, longest first (prefix-shared alternation).

    Python's re tries alternatives one by one; a trie-shaped pattern keeps the cost per
    position close to one dictionary step, which matters for thousands of place names.
    """
    trie: dict = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and not end:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if end else body

    first = "".join(sorted(ch for ch in trie))
    if len(first) > 8:
        # a character-class look-ahead lets the engine skip positions where no word starts
        return "(?=[" + "".join(re.escape(c) for c in first) + "])" + build(trie)
    return build(trie)


def marked(flags: bytearray, start: int, end: int) -> bool:
    """Whether any position in [start, end) is marked (non-zero); counted in C."""
    return flags.count(0, start, end) != end - start


class NameIndex:
    """Find dictionary names in text by looking backwards from each possible last character.

    For thousands of names this beats a regex alternation both to build (no compile) and to
    run; `spans` yields the longest name ending at each position."""

    def __init__(self, names):
        self.names = frozenset(n for n in names if n)
        by_end: dict[str, set[int]] = {}
        for n in self.names:
            by_end.setdefault(n[-1], set()).add(len(n))
        # for each last character, the lengths of the names ending with it, longest first
        self.lengths_by_end = {c: tuple(sorted(ls, reverse=True)) for c, ls in by_end.items()}
        # the last two characters of every name of two characters or more: a cheap first test
        self.ends2 = frozenset(n[-2:] for n in self.names if len(n) >= 2)
        self.single = frozenset(n for n in self.names if len(n) == 1)
        ends = sorted(by_end)
        self.end_re = re.compile("[" + "".join(re.escape(c) for c in ends) + "]") if ends else None

    def spans(self, body: str):
        if self.end_re is None:
            return
        names, by_end, ends2, single = self.names, self.lengths_by_end, self.ends2, self.single
        for m in self.end_re.finditer(body):
            e = m.end()
            if body[e - 2:e] not in ends2:
                if body[e - 1] in single:
                    yield e - 1, e
                continue
            for n in by_end[body[e - 1]]:
                if n <= e and body[e - n:e] in names:
                    yield e - n, e
                    break


def ends_a_word(text: str, end: int) -> bool:
    """Whether a word of the segmenter ends at `end`: after 负责 in 负责人 none does (负责人 is one
    word), after 发挥 in 充分发挥作用 one does."""
    return word_at(text, end - 1)[1] == end
