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
# the standard dictionary, and ours added: an instance of the index's own (24 MB), made when first
# needed. rjieba's module-level instance is extraction's (kg.text.words), which must not see the
# index's words: what a report yields may not depend on whether an index was built in the process.
_jieba = None
_loaded: set[str] = set()
_generation = 0  # changes whenever the dictionary does


def _segmenter():
    global _jieba
    if _jieba is None:
        _jieba = rjieba.Jieba()
    return _jieba


def load_user_words(words) -> None:
    """Add words (labels, aliases, place names and stems) to the segmenter's dictionary."""
    global _generation
    _segmenter()
    for w in words:
        w = w.strip()
        if len(w) >= 2 and w not in _loaded:
            _jieba.add_word(w, 20000, "nz")
            _loaded.add(w)
            _generation += 1


def use_user_words(words) -> None:
    """Make `words` exactly the user dictionary, so that text is cut as a new process with only
    these words would cut it (a build after another in one process, a server after a swap)."""
    global _jieba, _loaded, _generation
    words = {w.strip() for w in words if len(w.strip()) >= 2}
    if not _loaded <= words:  # words to forget: start again from the standard dictionary
        _jieba, _loaded = rjieba.Jieba(), set()
        _generation += 1
    load_user_words(words)


def load_user_dictionary(path: Path) -> None:
    """The user dictionary an index was written with (its userdict.txt), in place of any other."""
    if path.exists():
        use_user_words(path.read_text(encoding="utf-8").splitlines())


def sub_words(word: str) -> list[tuple[str, int]]:
    """Dictionary words strictly inside `word`, with their character offset in it."""
    if len(word) < 3:
        return []
    return _sub_words(word, _generation)


@lru_cache(maxsize=65536)
def _sub_words(word: str, generation: int) -> list[tuple[str, int]]:
    # keyed on the user dictionary's generation too: other words can split `word` differently
    out = []
    for w, s, e in _segmenter().tokenize(word, mode="search"):
        if e - s >= 2 and (s, e) != (0, len(word)):
            out.append((w, s))
    # search mode adds only two- and three-character pieces: the longer words inside a compound
    # of our dictionary (行政复议 in 行政复议与应诉股) come from cutting it without its last or
    # its first character
    for part, shift in ((word[:-1], 0), (word[1:], 1)):
        for w, s, e in _segmenter().tokenize(part):
            if e - s >= 4 and (w, s + shift) not in out:
                out.append((w, s + shift))
    return out


class ChineseTokenizer(Tokenizer):
    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        index_mode = mode == "index"
        for word, s, e in _segmenter().tokenize(value):
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
