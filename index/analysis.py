"""The Chinese analyzer: rjieba segmentation with our user dictionary, ordinal positions
(so phrase queries work), and, when indexing, dictionary sub-words at the same position
(行政复议 inside 行政复议与应诉股, 告知承诺 inside 告知承诺制).

    ChineseTokenizer() | LowercaseFilter()
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import rjieba
from whoosh.analysis import LowercaseFilter, Token, Tokenizer

PUNCT = re.compile(r"^[\s\W_]+$", re.U)
CJK_WORD = re.compile(r"^[\u4e00-\u9fff]+$")
_loaded: set[str] = set()


def load_user_words(words) -> None:
    """Add words (labels, aliases, place names and stems) to the segmenter's dictionary."""
    for w in words:
        w = w.strip()
        if len(w) >= 2 and w not in _loaded:
            rjieba.add_word(w, 20000, "nz")
            _loaded.add(w)


def load_user_dictionary(path: Path) -> None:
    if path.exists():
        load_user_words(path.read_text(encoding="utf-8").splitlines())


def sub_words(word: str) -> list[tuple[str, int]]:
    """Dictionary words strictly inside `word`, with their character offset in it."""
    if len(word) < 3:
        return []
    return _sub_words(word, len(_loaded))


@lru_cache(maxsize=65536)
def _sub_words(word: str, dictionary_size: int) -> list[tuple[str, int]]:
    # keyed on the user dictionary's size too: words added later can split `word` differently
    out = []
    for w, s, e in rjieba.tokenize(word, mode="search"):
        if e - s >= 2 and (s, e) != (0, len(word)):
            out.append((w, s))
    # search mode adds only two- and three-character pieces: the longer words inside a compound
    # of our dictionary (行政复议 in 行政复议与应诉股) come from cutting it without its last or
    # its first character
    for part, shift in ((word[:-1], 0), (word[1:], 1)):
        for w, s, e in rjieba.tokenize(part):
            if e - s >= 4 and (w, s + shift) not in out:
                out.append((w, s + shift))
    return out


class ChineseTokenizer(Tokenizer):
    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        index_mode = mode == "index"
        for word, s, e in rjieba.tokenize(value):
            if not word.strip() or PUNCT.match(word):
                continue
            t.original = t.text = word
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start_char + s, start_char + e
            yield t
            if index_mode:
                subs = sub_words(word)
                if len(word) >= 2 and CJK_WORD.match(word):
                    # single characters too, so a query word the segmenter splits differently
                    # (政务云 -> 政务|云 against 政务|云上) still meets the text at the right position
                    subs = subs + [(ch, i) for i, ch in enumerate(word)]
                for sub, off in subs:
                    t.original = t.text = sub
                    if positions:
                        t.pos = pos
                    if chars:
                        t.startchar, t.endchar = start_char + s + off, start_char + s + off + len(sub)
                    yield t
            pos += 1


def chinese_analyzer():
    return ChineseTokenizer() | LowercaseFilter()
