"""Pinyin readings of the index's words, so that a query typed in pinyin is searched as the
Chinese it spells: xingzheng fuyi, xingzhengfuyi or Xing Zheng Fu Yi as 行政复议, luojiang
sifaju as 罗江司法局.

Letters without a vowel are read as the first letters of the syllables, as input methods
read them: sfj as 司法局, xzfy as 行政复议, yshj as 营商环境.

The table is made at the build from the index's own vocabulary (the Chinese words of two to
eight characters its analyzer made of passages and names), so a reading is always made of words
that occur in the corpus; it is written beside the index as `readings.tsv` (toneless syllables
run together, a tab, the word, a tab, the syllables' first letters). A query is read by cutting
its letters into the fewest such words; where one spelling stands for several words (luojiang:
罗江, 洛江) the word in more documents is taken and the others are offered as alternatives.
"""
from __future__ import annotations

import math
import os
import re
from functools import lru_cache
from itertools import product
from pathlib import Path

from kg.text.pinyin import syllables

READINGS = "readings.tsv"
WORD = re.compile(r"[\u4e00-\u9fff]{2,8}")
FIELDS = ("text", "label")      # passages and names
LATIN_QUERY = re.compile(r"[A-Za-zÜü:' \-]+")
MOST_LETTERS = 64


def _spelled(word: str) -> tuple[str, str]:
    """行政复议 -> (xingzhengfuyi, xzfy): the syllables a pinyin typist types, without tones or
    breaks, and their first letters."""
    syl = [s.lower() for s in syllables(word)]
    return "".join(syl), "".join(s[:1] for s in syl)


def write_readings(ix, out: Path, previous: Path | None = None, gone: list[str] | tuple = (),
                   written: str | None = None) -> int:
    """Write the readings of the words of index `ix` into `out`/readings.tsv. An update gives
    `previous` (the index folder it starts from), `gone` (the texts of the cards it deleted) and
    `written` (the id of the segment it wrote): the words of `previous`'s table stay (spelled as
    they were) unless those texts held them and no card does now, and only that segment is read
    for new words. Returns the number of words."""
    # (a table written before it had the first letters is spelled again)
    known = {w: (k, i) for k, w, i in _rows(previous / READINGS) if i} if previous is not None else {}
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
    rows = sorted((*(known.get(w) or _spelled(w)), w) for w in words)
    tmp = out / (READINGS + ".tmp")
    tmp.write_text("".join(f"{k}\t{w}\t{i}\n" for k, i, w in rows
                           if k.isascii() and k.isalpha() and i.isascii() and i.isalpha() and len(i) == len(w)),
                   encoding="utf-8")
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
        k, w, i = (line.split("\t") + ["", ""])[:3]  # (tables of before had no first letters)
        if k and w:
            yield k, w, i


class _Table:
    """spelling -> words and first letters -> words, each with its longest key."""

    def __init__(self, rows) -> None:
        spelled: dict[str, list[str]] = {}
        initials: dict[str, list[str]] = {}
        for k, w, i in rows:
            spelled.setdefault(k, []).append(w)
            if "v" in k:  # ü is typed v (lv, nv) or u (lu, nu): 法律 is falv or falu
                spelled.setdefault(k.replace("v", "u"), []).append(w)
            if i:
                initials.setdefault(i, []).append(w)
        self.spelled = {k: tuple(ws) for k, ws in spelled.items()}
        self.initials = {k: tuple(ws) for k, ws in initials.items()}
        self.longest = max(map(len, self.spelled), default=0)
        self.longest_initials = max(map(len, self.initials), default=0)
        self.ranked: dict = {}  # key -> its words ranked (`_ranker`)
        self.ranked_initials: dict = {}


@lru_cache(maxsize=4)
def _table(path: str, stamp: tuple) -> _Table:
    return _Table(_rows(Path(path)))


def table(index_dir: Path) -> _Table | None:
    """The readings of an index; None for an index built without the table."""
    path = Path(index_dir) / READINGS
    try:
        st = path.stat()
    except OSError:
        return None
    t = _table(str(path), (st.st_mtime_ns, st.st_size, st.st_ino))
    return t if t.spelled else None


def read_as(index_dir: Path, q: str, frequency, most: int = 4, together=None) -> list[str]:
    """The Chinese a query typed in pinyin spells, best reading first and up to `most` in all
    (each other one changes one word of the best for a rarer word of the same spelling); in a
    query mixing Chinese and pinyin (luojiang 司法局) each run of letters that spells words of the
    corpus is read (罗江 司法局), the best reading only. [] when nothing is read: no letters, or
    letters that are not a run of the corpus's words. `frequency(word)` is the number of documents
    holding the word; `together(words)`, if given, whether some passage has the words side by
    side (first letters are read as several words only where it says so)."""
    q = q or ""
    if not LATIN_WORD.search(q):  # no letters: the table is not even read
        return []
    words = table(index_dir)
    if words is None:
        return []
    if LATIN_QUERY.fullmatch(q):
        return _read(q, words, frequency, most, together)
    read, out, at = False, [], 0
    for start, end in _latin_runs(q):
        reading = _read(q[start:end], words, frequency, 1, together)
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


def _read(q: str, table: _Table, frequency, most: int, together=None) -> list[str]:
    letters = re.sub(r"[^a-z]", "", q.lower().replace("ü", "v").replace("u:", "v"))
    if not letters or len(letters) > MOST_LETTERS:
        return []
    return (_cut(letters, table.spelled, table.longest, _ranker(table.spelled, frequency, table.ranked), most)
            or (_initials(q, table, frequency, most, together) if _initials_only(q, letters, frequency) else []))


def _initials(q: str, table: _Table, frequency, most: int, together) -> list[str]:
    """Each group of letters typed (sfj, ljq sfj) the first letters of a word of the corpus, or
    of words that stand together in some passage (`together(words)`): fzzf is 法治政府 because
    the corpus has 法治 政府 side by side; the likeliest word of each part alone would give
    nonsense (xz and zf are the first letters of hundreds of words: 行政政府 for xzzf)."""
    groups = [w.lower() for w in re.findall(r"[A-Za-z]+", q)]
    if not groups:
        return []
    choices = _ranker(table.initials, frequency, table.ranked_initials)
    if all(g in table.initials for g in groups):
        return _choose(groups, choices, most)
    if together is None:
        return []
    read = []
    for g in groups:
        if g in table.initials:
            read.append(choices(g)[0][1])
            continue
        cut = _cut(g, table.initials, table.longest_initials, choices, 1, pieces_only=True)
        if not cut:
            return []
        # the likeliest words of each part first; the first that stand together in a passage
        ranked = [choices(p)[:3 if len(cut) <= 3 else 2] for p in cut]
        combos = sorted(product(*ranked), key=lambda c: -sum(math.log1p(df) for df, _ in c))
        found = next((c for c in combos[:MOST_TRIES] if together([w for _, w in c])), None)
        if found is None:
            return []
        read.append("".join(w for _, w in found))
    return ["".join(read)]


MOST_TRIES = 6  # phrase checks per group of letters (one that fails reads the postings of both words:
# 0.1 s for two common words at 1,000 reports)


def _initials_only(q: str, letters: str, frequency) -> bool:
    """Whether letters that spell no words may be first letters of syllables: no vowel (every
    syllable has one, so xzfy is no spelling), not more than MOST_INITIALS, and not themselves a
    word of the corpus (gdp, pdf stay what they are)."""
    return (len(letters) <= MOST_INITIALS and by_first_letters(q)
            and not any(frequency(w.lower()) for w in LATIN_WORD.findall(q)))


MOST_INITIALS = 12


def by_first_letters(q: str) -> bool:
    """Whether a reading of `q` can only have been made of first letters: its letters have no
    vowel, and every syllable's spelling has one."""
    letters = "".join(LATIN_WORD.findall(q or "")).lower()
    return bool(letters) and not re.search("[aeiouvü]", letters)


def _ranker(words: dict, frequency, ranked: dict):
    """key -> its words as (documents, word), the commonest first, each key ranked once into
    `ranked` (kept with the table: the frequencies are those of the index it was written with)."""

    def choices(key: str) -> list[tuple[int, str]]:
        if key not in ranked:
            ranked[key] = sorted(((frequency(w), w) for w in words[key]), key=lambda c: (-c[0], c[1]))
        return ranked[key]
    return choices


def _cut(letters: str, words: dict, longest: int, choices, most: int, pieces_only: bool = False) -> list:
    """The readings of `letters` cut into the fewest keys of `words` (the commonest words among
    cuts of as many; `choices` ranks a key's words); the keys themselves with `pieces_only`."""

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
    return best[-1][2] if pieces_only else _choose(best[-1][2], choices, most)


def _choose(pieces: list[str], choices, most: int) -> list[str]:
    """The readings of keys `pieces`: each key's commonest word, then readings that change one
    word for a rarer one of the same key, commonest first; `most` in all."""
    first = [choices(p)[0][1] for p in pieces]
    others = sorted(((-df, k, w) for k, p in enumerate(pieces) for df, w in choices(p)[1:]))
    readings = ["".join(first)]
    for _, k, w in others[:most - 1]:
        readings.append("".join(first[:k] + [w] + first[k + 1:]))
    return readings
