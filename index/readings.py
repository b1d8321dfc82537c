"""Pinyin readings of the index's words, so that a query typed in pinyin is searched as the
Chinese it spells: xingzheng fuyi, xingzhengfuyi or Xing Zheng Fu Yi as 行政复议, luojiang
sifaju as 罗江司法局.

The table is made at the build from the index's own vocabulary (the Chinese words of two to
eight characters its analyzer made of passages and names), so a reading is always made of words
that occur in the corpus; it is written beside the index as `readings.tsv` (toneless syllables
run together, a tab, the word). A query is read by cutting its letters into the fewest such
words; where one spelling stands for several words (luojiang: 罗江, 洛江) the word in more
documents is taken and the others are offered as alternatives.
"""
from __future__ import annotations

import math
import os
import re
from functools import lru_cache
from pathlib import Path

from kg.text.pinyin import syllables

READINGS = "readings.tsv"
WORD = re.compile(r"[\u4e00-\u9fff]{2,8}")
FIELDS = ("text", "label")      # passages and names
LATIN_QUERY = re.compile(r"[A-Za-zÜü:' \-]+")
MOST_LETTERS = 64


def spelling(word: str) -> str:
    """行政复议 -> xingzhengfuyi (the syllables a pinyin typist types, without tones or breaks)."""
    return "".join(syllables(word)).lower()


def write_readings(ix, out: Path, previous: Path | None = None, gone: list[str] | tuple = (),
                   written: str | None = None) -> int:
    """Write the readings of the words of index `ix` into `out`/readings.tsv. An update gives
    `previous` (the index folder it starts from), `gone` (the texts of the cards it deleted) and
    `written` (the id of the segment it wrote): the words of `previous`'s table stay (spelled as
    they were) unless those texts held them and no card does now, and only that segment is read
    for new words. Returns the number of words."""
    known = {w: k for k, w in _rows(previous / READINGS)} if previous is not None else {}
    with ix.reader() as r:
        segments = list(r.readers) if hasattr(r, "readers") else [r]
        if not known:  # a build from scratch, or no usable table to start from: every word
            words = _words_in(segments)
            if any(seg.has_deletions() for seg in segments):
                words = {w for w in words if _held(segments, w)}
        else:
            new = _words_in([seg for seg in segments if seg.segment().segment_id() == written])
            old = [seg for seg in segments if seg.segment().segment_id() != written]
            # a word of the previous table stays while a card holds it: any card of the segment
            # written now, or a live one of the others (deleted cards keep their terms in a
            # segment's lexicon until it is merged)
            went = _words_within(gone, known)
            words = new | {w for w in known if w not in went or w in new or _held(old, w)}
    rows = sorted((known.get(w) or spelling(w), w) for w in words)
    tmp = out / (READINGS + ".tmp")
    tmp.write_text("".join(f"{k}\t{w}\n" for k, w in rows if k.isascii() and k.isalpha()), encoding="utf-8")
    os.replace(tmp, out / READINGS)  # a new file: the previous build's table (a link) is left as it was
    return len(rows)


def _words_in(segments) -> set[str]:
    words: set[str] = set()
    for seg in segments:
        for field in FIELDS:
            if field in seg.schema:
                words.update(w for w in (t.decode("utf-8") for t in seg.lexicon(field)) if WORD.fullmatch(w))
    return words


def _held(segments, word: str) -> bool:
    """Whether a live card of `segments` holds `word`: at once where the segment deleted none or
    fewer cards than hold the word, else by reading its postings past the deleted ones."""
    for seg in segments:
        deleted = seg.doc_count_all() - seg.doc_count()
        for field in FIELDS:
            if field in seg.schema and (field, word) in seg:
                if not deleted or seg.doc_frequency(field, word) > deleted or seg.postings(field, word).is_active():
                    return True
    return False


def texts_of_cards(reader, terms) -> list[str]:
    """The texts (passages and names) of the cards that `terms` ((field, value) pairs such as
    ("id", iri) or ("document", iri)) select: what deleting these cards may take words from."""
    docnums: set[int] = set()
    for field, value in terms:
        if (field, value) in reader:
            docnums.update(reader.postings(field, value).all_ids())
    texts = []
    for n in sorted(docnums):
        stored = reader.stored_fields(n)
        texts.extend(stored[f] for f in FIELDS if stored.get(f))
    return texts


def _words_within(texts, words) -> set[str]:
    """The `words` that occur in `texts` (every word an analyzer makes of a text is a piece of it)."""
    found = set()
    for text in texts:
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", text):
            for i in range(len(run) - 1):
                for j in range(i + 2, min(len(run), i + 8) + 1):
                    if run[i:j] in words:
                        found.add(run[i:j])
    return found


def _rows(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):  # missing or damaged: no readings (search works without them)
        return
    for line in text.splitlines():
        k, _, w = line.partition("\t")
        if k and w:
            yield k, w


@lru_cache(maxsize=4)
def _table(path: str, stamp: tuple) -> tuple[dict[str, tuple[str, ...]], int]:
    table: dict[str, list[str]] = {}
    for k, w in _rows(Path(path)):
        table.setdefault(k, []).append(w)
        if "v" in k:  # ü is typed v (lv, nv) or u (lu, nu): 法律 is falv or falu
            table.setdefault(k.replace("v", "u"), []).append(w)
    return {k: tuple(ws) for k, ws in table.items()}, max(map(len, table), default=0)


def table(index_dir: Path) -> tuple[dict[str, tuple[str, ...]], int]:
    """spelling -> words, and the longest spelling; empty for an index built without the table."""
    path = Path(index_dir) / READINGS
    try:
        st = path.stat()
    except OSError:
        return {}, 0
    return _table(str(path), (st.st_mtime_ns, st.st_size, st.st_ino))


def read_as(index_dir: Path, q: str, frequency, most: int = 4) -> list[str]:
    """The Chinese a query typed in pinyin spells, best reading first and up to `most` in all
    (each other one changes one word of the best for a rarer word of the same spelling); in a
    query mixing Chinese and pinyin (luojiang 司法局) each run of letters that spells words of the
    corpus is read (罗江 司法局), the best reading only. [] when nothing is read: no letters, or
    letters that are not a run of the corpus's words. `frequency(word)` is the number of documents
    holding the word."""
    q = q or ""
    if not LATIN_WORD.search(q):  # no letters: the table is not even read
        return []
    words, longest = table(index_dir)
    if not words:
        return []
    if LATIN_QUERY.fullmatch(q):
        return _read(q, words, longest, frequency, most)
    read, out, at = False, [], 0
    for start, end in _latin_runs(q):
        reading = _read(q[start:end], words, longest, frequency, 1)
        out += [q[at:start], f" {reading[0]} " if reading else q[start:end]]
        read, at = read or bool(reading), end
    out.append(q[at:])
    return [re.sub(r"\s+", " ", "".join(out)).strip()] if read else []


LATIN_WORD = re.compile(r"[A-Za-zÜü:'\-]+")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


def _latin_runs(q: str) -> list[tuple[int, int]]:
    """Spans of letters in a mixed query, words parted only by spaces joined (xingzheng fuyi),
    the query syntax's operators left out."""
    runs: list[list[int]] = []
    for m in LATIN_WORD.finditer(q):
        if m.group() in OPERATORS:
            runs.append([m.end(), m.end()])  # ends the run before it
            continue
        if runs and runs[-1][1] > runs[-1][0] and not q[runs[-1][1]:m.start()].strip():
            runs[-1][1] = m.end()
        else:
            runs.append([m.start(), m.end()])
    return [(a, b) for a, b in runs if b > a]


def _read(q: str, words: dict, longest: int, frequency, most: int) -> list[str]:
    letters = re.sub(r"[^a-z]", "", q.lower().replace("ü", "v").replace("u:", "v"))
    if not letters or len(letters) > MOST_LETTERS:
        return []
    ranked: dict[str, list[tuple[int, str]]] = {}

    def choices(spelled: str) -> list[tuple[int, str]]:
        if spelled not in ranked:
            ranked[spelled] = sorted(((frequency(w), w) for w in words[spelled]), key=lambda c: (-c[0], c[1]))
        return ranked[spelled]

    # fewest words covering all the letters; among those, the most frequent best words
    best: list[tuple[int, float, list[str]] | None] = [None] * (len(letters) + 1)
    best[0] = (0, 0.0, [])
    for i in range(len(letters)):
        if best[i] is None:
            continue
        n, weight, pieces = best[i]
        for j in range(i + 2, min(len(letters), i + longest) + 1):
            spelled = letters[i:j]
            if spelled not in words:
                continue
            top = choices(spelled)[0][0]
            cand = (n + 1, weight - math.log1p(top), pieces + [spelled])
            if best[j] is None or cand[:2] < best[j][:2]:
                best[j] = cand
    if best[-1] is None:
        return []
    pieces = best[-1][2]
    first = [choices(p)[0][1] for p in pieces]
    others = sorted(((-df, k, w) for k, p in enumerate(pieces) for df, w in choices(p)[1:]))
    readings = ["".join(first)]
    for _, k, w in others[:most - 1]:
        readings.append("".join(first[:k] + [w] + first[k + 1:]))
    return readings
