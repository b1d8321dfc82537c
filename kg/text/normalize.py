"""One normalised text for the recognisers, with a map back to the original.

Real report pages differ from one another in typography, not in language: full-width marks
(，：；（）？！) or ASCII ones, digits and letters in either width, paragraphs indented with
ideographic spaces, CRLF or line separators, and text copied from PDF with hard line breaks
inside its sentences. The recognisers read one form of all that:

- full-width ASCII (U+FF01–FF5E) becomes ASCII, as NFKC folds it: ，→, （→( ０→0 Ａ→A;
  parenthesised and circled numbers become their plain form (㈠→(一), ①→1);
- ideographic, no-break and other spaces become a space; zero-width characters and the byte
  order mark go;
- CRLF, CR, U+2028, U+2029 and U+0085 become a line feed;
- a line break inside a paragraph is removed, together with the indent of the line after it:
  where the text is hard-wrapped (many lines of about one length, the wrap width), a line that
  fills that width and does not end a sentence runs on into the next, unless the next starts a
  heading or an item (一、 (一) 1. 一是…).

Chinese punctuation that has no ASCII twin (。、“”《》) is kept. `Normalized.origin[i]` is the
original offset of normalised character i (and `origin[len(text)]` the original length), so
every span found in the normalised text is mapped back (`span`), and every offset stored or
shown points into the original text.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from kg.core.records import Clause, Document, Sentence, Span

# characters folded one to one (or to a short string) before anything else
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_DROP = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_BREAKS = "\u2028\u2029\u0085\x0b\x0c"


def _fold(ch: str) -> str:
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        return chr(o - 0xFEE0)
    if ch in _SPACES:
        return " "
    if ch in _DROP:
        return ""
    if ch in _BREAKS:
        return "\n"
    if 0x2460 <= o <= 0x24FF or 0x3200 <= o <= 0x32FF or 0x2474 <= o <= 0x249B:
        # ① ⑴ ⒈ ㈠ ㊀: their plain forms (NFKC), so headings and items read alike
        return unicodedata.normalize("NFKC", ch)
    return ch


_TABLE: dict[int, str] = {}
for _c in range(0x80, 0x10000):
    _f = _fold(chr(_c))
    if _f != chr(_c):
        _TABLE[_c] = _f
_ONE_TO_ONE = {c: f for c, f in _TABLE.items() if len(f) == 1}
# characters that fold to none or to several: the text needs the slower, general path
_UNEVEN = re.compile("[" + "".join(re.escape(chr(c)) for c, f in sorted(_TABLE.items()) if len(f) != 1) + "]")
_CRLF = re.compile(r"\r(?=\n)")

SENTENCE_END = set("。!?;:…")
TABLE_ROW = re.compile(r"\S(?:\t|  +)\S.*?\S(?:\t|  +)\S")  # cells apart by tabs or runs of spaces
ITEM_START = re.compile(r"[ \t]*(?:[一二三四五六七八九十百]+[、.]|\([一二三四五六七八九十百\d]+\)|\d{1,2}[、.](?!\d)|"
                        r"[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十百\d]+[章节条部分项]|[-*•·●■◆]\s)")
MIN_WRAPPED_LINES = 4   # hard wrapping shows as at least this many lines cut mid-sentence at one length
MIN_WRAP_WIDTH = 16     # narrower "wrap widths" are lists and tables, not wrapping


@dataclass
class Normalized:
    text: str
    origin: list[int]  # len(text) + 1 entries

    def start(self, i: int) -> int:
        return self.origin[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return original_span(self.origin, start, end)


def original_span(origin: list[int], start: int, end: int) -> tuple[int, int]:
    """The original span of the normalised span [start, end), through the offset map."""
    return origin[start], (origin[end - 1] + 1 if end > start else origin[start])


def normalize(original: str) -> Normalized:
    if _UNEVEN.search(original) is None:
        # every fold is one character for one (the common case): str.translate, and the map is
        # the identity but for the CR of each CRLF, which goes
        crs = [m.start() for m in _CRLF.finditer(original)]  # found in the original, cut at the same places
        text = _cut(original.translate(_ONE_TO_ONE), crs).replace("\r", "\n")
        origin = _without(list(range(len(original) + 1)), crs)
    else:
        text, origin = _fold_all(original)
    if "\n" in text:
        text, origin = _lines(text, origin)
    return Normalized(text, origin)


def _without(items: list, drop: list[int]) -> list:
    """`items` without the positions in `drop` (sorted), by slices."""
    if not drop:
        return items
    out: list = []
    prev = 0
    for d in drop:
        out.extend(items[prev:d])
        prev = d + 1
    out.extend(items[prev:])
    return out


def _fold_all(original: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    origin: list[int] = []
    i, n = 0, len(original)
    while i < n:
        ch = original[i]
        if ch == "\r":
            chars.append("\n")
            origin.append(i)
            i += 2 if original.startswith("\n", i + 1) else 1
            continue
        folded = _TABLE.get(ord(ch), ch)
        for f in folded:
            chars.append(f)
            origin.append(i)
        i += 1
    origin.append(n)
    return "".join(chars), origin


def _wrap_width(lines: list[str]) -> int | None:
    """The width the text was hard-wrapped at, if it was: the most common length of the lines
    that break off mid-sentence, when lines of about that length are most of the long lines
    (headings and items, which may share a length, are left out)."""
    # lengths as wrapped: with the indent, which was part of the line when it was broken
    long = [line.rstrip() for line in lines
            if len(line.strip()) >= MIN_WRAP_WIDTH and not ITEM_START.match(line.lstrip(" \t"))]
    lengths = Counter(len(line) for line in long if line[-1] not in SENTENCE_END)
    if not lengths:
        return None
    width = max(lengths.items(), key=lambda kv: (kv[1], kv[0]))[0]
    broken = sum(n for w, n in lengths.items() if width - 1 <= w <= width + 1)  # cut mid-sentence
    near = sum(1 for line in long if width - 1 <= len(line) <= width + 1)
    return width if broken >= MIN_WRAPPED_LINES and near * 2 >= len(long) else None


def _lines(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Indents at line starts removed; hard-wrapped lines joined."""
    lines = text.split("\n")
    width = _wrap_width(lines)
    indented = any(line[:1] in (" ", "\t") for line in lines)
    if width is None and not indented:
        return text, origin
    runs_on = [False] * len(lines)
    if width is not None:
        for k in range(len(lines) - 1):
            body, nxt = lines[k].rstrip(), lines[k + 1]
            runs_on[k] = bool(len(body) >= width - 1 and body.strip() and body[-1] not in SENTENCE_END
                              and nxt.strip() and not ITEM_START.match(nxt.lstrip(" \t")))
        # rows of a table (cells apart by spaces), however alike in length, are no wrapped paragraph
        k = 0
        while k < len(lines):
            if not runs_on[k]:
                k += 1
                continue
            j = k
            while j < len(lines) and runs_on[j]:
                j += 1
            run = lines[k:j + 1]
            if sum(1 for line in run if TABLE_ROW.search(line.strip())) * 2 > len(run):
                for t in range(k, j):
                    runs_on[t] = False
            k = j + 1
    drop: list[int] = []  # positions of the normalised text that go
    pos = 0
    for k, line in enumerate(lines):
        br = pos + len(line)  # the line feed after this line
        indent = len(line) - len(line.lstrip(" \t"))
        drop.extend(range(pos, pos + indent))
        if runs_on[k]:
            drop.extend(range(pos + len(line.rstrip()), br + 1))  # trailing spaces and the line feed
        pos = br + 1
    if not drop:
        return text, origin
    drop.sort()
    out = "".join(_without(list(text), drop)) if len(drop) > len(text) // 4 else _cut(text, drop)
    return out, _without(origin[:-1], drop) + [origin[-1]]


def _cut(text: str, drop: list[int]) -> str:
    parts, prev = [], 0
    for d in drop:
        if d > prev:
            parts.append(text[prev:d])
        prev = d + 1
    parts.append(text[prev:])
    return "".join(parts)


def clean_slice(original: str, start: int, end: int) -> str:
    """The original text of a span for display: line breaks joined, with their indents."""
    piece = original[start:end]
    if "\n" not in piece and "\r" not in piece and "\u2028" not in piece and "\u2029" not in piece \
            and "\u0085" not in piece:
        return piece
    return re.sub(r"[ \t\u3000\u00a0]*(?:\r\n|[\r\n\u2028\u2029\u0085])[ \t\u3000\u00a0]*", "", piece)


def fold(text: str) -> str:
    """A short text (a title, a name) in the recognisers' typography, without the line joins."""
    return text.translate(_TABLE)


def in_original(doc: Document, original: str, origin: list[int]) -> Document:
    """The document's structure with offsets into the original text (and headings as written)."""
    def sp(s: int, e: int) -> tuple[int, int]:
        return original_span(origin, s, e)
    sections = []
    for x in doc.sections:
        s, e = sp(x.start, x.end)
        hs, he = sp(x.heading_start, x.heading_end)
        sections.append(replace(x, start=s, end=e, heading_start=hs, heading_end=he,
                                heading=clean_slice(original, hs, he)))
    return Document(source=doc.source, body=original, meta=doc.meta,
                    paragraphs=[Span(*sp(p.start, p.end)) for p in doc.paragraphs],
                    sections=sections,
                    sentences=[Sentence(*sp(x.start, x.end), x.section) for x in doc.sentences],
                    clauses=[Clause(*sp(x.start, x.end), x.sentence, x.section) for x in doc.clauses])
