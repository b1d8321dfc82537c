"""Search: entity hits first when the query names an entity, then passages with highlights.

Syntax: words (all must match), OR, "quoted phrases", and filters type:, year:, place:,
region:, department:. Chinese is segmented with the same analyzer as the index; a query in
Latin letters is also tried as pinyin (Wan'an, wanan, wan an) and English, and, where its
letters spell words of the corpus, as the Chinese they spell (xingzheng fuyi: 行政复议).
"""
from __future__ import annotations

import html
import re
import threading
import unicodedata
import weakref
from array import array
from collections import Counter
from functools import lru_cache
from heapq import heappush, heapreplace
from itertools import chain
from pathlib import Path

from whoosh import highlight
from whoosh import index as windex
from whoosh import collectors, scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.qparser import MultifieldParser, QueryParser
from whoosh.query import And, Not, Or, Phrase, Query, Term
from whoosh.util.numeric import byte_to_length

from index.analysis import load_user_dictionary
from index.readings import read_as
from kg.core.types import INDEX_TYPE_NAMES

MAX_QUERY = 200
FILTER = re.compile(r"\b(type|year|place|region|department):(\"[^\"]*\"|\S+)", re.I)
TYPE_NAMES = INDEX_TYPE_NAMES


class SearchError(Exception):
    """A query we cannot run, with a message for the user."""


class IndexUnreadable(SearchError):
    """The index folder is missing or damaged: rebuilding is the remedy."""


@lru_cache(maxsize=8)
def open_index(path: str):
    try:
        load_user_dictionary(Path(path) / "userdict.txt")
        return windex.open_dir(path)
    except Exception as e:  # whoosh raises its own errors, OSError and struct errors on damage
        raise IndexUnreadable(f"the search index {path} cannot be read ({type(e).__name__}): "
                              "run `kg build` to build afresh beside it") from None


def clean(q: str) -> str:
    q = "".join(ch for ch in q if unicodedata.category(ch)[0] != "C" or ch in " \t")
    q = q.replace("“", '"').replace("”", '"').replace("\u3000", " ")
    return re.sub(r"\s+", " ", q).strip()[:MAX_QUERY]


def parse_filters(q: str) -> tuple[str, dict[str, str]]:
    filters = {}
    for m in FILTER.finditer(q):
        filters[m.group(1).lower()] = m.group(2).strip('"')
    return FILTER.sub(" ", q).strip(), filters


def search(index_dir: Path, q: str, type: str | None = None, limit: int = 10, page: int = 1,
           passages: bool = True) -> dict:
    """Entity hits, then passage hits (unless `passages` is false), with exact totals and facets."""
    raw = q
    q = clean(q or "")
    q, filters = parse_filters(q)
    if type:
        filters["type"] = type
    if filters.get("type") and filters["type"].lower() not in TYPE_NAMES:
        raise SearchError(f"unknown type {filters['type']!r}; use one of {', '.join(sorted(TYPE_NAMES))}")
    if filters.get("year") and not filters["year"].isdigit():
        raise SearchError(f"year must be a number, not {filters['year']!r}")
    limit = max(1, min(int(limit), 100))
    if not q and not filters:
        return {"query": raw, "total": 0, "hits": [], "facets": {}}
    ix = open_index(str(index_dir))
    s = _searcher(ix)
    entity_query = _build_query(s.schema, q, ENTITY_FIELDS)
    passage_query = _build_query(s.schema, q, PASSAGE_FIELDS)
    # pinyin: the best reading is searched too, as if typed in Chinese; the others are offered
    readings = read_as(index_dir, q, lambda w: s.doc_frequency("text", w) + s.doc_frequency("label", w),
                       together=lambda words: Phrase("text", words).matcher(s).is_active())
    for k, reading in enumerate(readings):  # the likeliest reading that finds something
        as_entity = _build_query(s.schema, reading, ("label", "aliases"))
        as_passage = _build_query(s.schema, reading, PASSAGE_FIELDS)
        if any(x is not None and next(iter(s.docs_for_query(x)), None) is not None for x in (as_entity, as_passage)):
            entity_query, passage_query = _either(entity_query, as_entity), _either(passage_query, as_passage)
            readings.insert(0, readings.pop(k))
            break
    extra = {"read_as": readings} if readings else {}
    entity_query = _scoped(entity_query, "entity", ENTITY_FIELDS)
    passage_query = _scoped(passage_query, "passage", PASSAGE_FIELDS)
    restrict = _filter_query(filters)
    if entity_query is None and restrict is None:
        return {"query": raw, "total": 0, "hits": [], "facets": {}}
    if entity_query is None:  # filters only: list what they select
        res = s.search(restrict, limit=limit * page, terms=True)
        res.fragmenter = highlight.WholeFragmenter(charlimit=None)
        res.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        facets, total = _facets(ix, s, restrict, res.estimated_length())
        return {"query": raw, "total": total, "hits": [_hit(h) for h in res[(page - 1) * limit:page * limit]],
                "facets": facets}
    entity_hits, passage_hits = [], []
    kind_filter = filters.get("type", "").lower()
    want_entities = kind_filter != "passage"
    want_passages = passages and passage_query is not None and kind_filter in ("", "passage")
    # one pass over the matches ranks them and counts the facets
    counter = FacetCounter(_facet_table(ix, s))
    if want_entities:
        res = _collect(s, entity_query, restrict, limit * page, counter)
        entity_hits = [_entity_hit(h) for h in res[(page - 1) * limit:page * limit]]
    if want_passages:
        # every passage has type "passage": only the other filters need applying
        res = _collect(s, passage_query, _filter_query({k: v for k, v in filters.items() if k != "type"}),
                       limit * page, counter)
        res.fragmenter = highlight.WholeFragmenter(charlimit=None)  # a passage is one sentence
        res.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        passage_hits = [_passage_hit(h) for h in res[(page - 1) * limit:page * limit]]
    return {"query": raw, "total": counter.total, "hits": entity_hits + passage_hits, "facets": counter.facets(),
            **extra}


def _scoped(query, kind: str, fields: tuple[str, ...]):
    """A query with a negation (NOT 司法, 罗江 OR NOT 司法) also matches the cards that lack its
    fields altogether, and one naming another field (label:司法, kind:entity) the cards that have
    it: passages for an entity query, entities for a passage query. Such a query is kept to its
    own kind of card. (Plain words only match their own cards: no filter, no cost.)"""
    if query is None or not (_negates(query) or any(
            getattr(leaf, "fieldname", None) not in fields for leaf in query.leaves())):
        return query
    return And([query, Term("kind", kind)])


def _negates(query) -> bool:
    return isinstance(query, Not) or any(_negates(c) for c in query.children())


def _either(a, b):
    if a is None or b is None:
        return a if b is None else b
    return _unions_as_trees(Or([a, b]))


class FacetCounter:
    """Facet counts (type, department, place, region, year) and the number of matches. A search
    only records each match's number while it collects; the counting is done at the end, in one
    pass over the precomputed facet values of those documents."""

    FACETS = ("type", "department", "place", "region", "year")

    def __init__(self, table: dict):
        self.table = table
        self.docnums: list[int] = []
        self.add = self.docnums.append

    @property
    def total(self) -> int:
        return len(self.docnums)

    def facets(self) -> dict[str, dict[str, int]]:
        get = self.table.get
        counts = Counter(chain.from_iterable(get(d, ()) for d in self.docnums))
        out: dict[str, dict[str, int]] = {}
        for (facet, value), n in counts.items():
            out.setdefault(facet, {})[value] = n
        return {k: dict(sorted(out[k].items(), key=lambda kv: (-kv[1], kv[0]))[:15]) for k in self.FACETS if k in out}


class _RankAndRecord(collectors.TopCollector):
    """whoosh's top-N collector that also records every match it is given for the facets and
    the total, in one call per match (a wrapping collector costs a second one)."""

    def __init__(self, limit: int, record):
        # every match must reach it: no skipping of blocks that cannot make the top, and no
        # replacing the matcher by one that drops alternatives too weak for it
        super().__init__(limit, usequality=False, replace=0)
        self.record = record

    def collect(self, sub_docnum: int):
        docnum = self.offset + sub_docnum
        self.record(docnum)
        score = self.matcher.score()
        items = self.items
        self.total += 1
        if len(items) < self.limit:
            heappush(items, (score, -docnum))
            return -score
        if score > items[0][0]:
            heapreplace(items, (score, -docnum))
            self.minscore = items[0][0]
            return -score
        return 0


def _collect(searcher, query, restrict, limit: int, counter: FacetCounter):
    """The top `limit` matches; every match is recorded in `counter`. Highlighting marks the
    query's words in a hit's text (a phrase's words wherever they occur in the sentence)."""
    collector = _RankAndRecord(limit, counter.add)
    if restrict is not None:
        collector = collectors.FilterCollector(collector, restrict)
    searcher.search_with_collector(query, collector)
    return collector.results()


_FACET_TABLES: dict = {}


def _facet_table(ix, searcher) -> dict:
    """docnum -> (type, departments, places, region, year), read once per index version; whoosh's
    own overlapping facets re-read whole fields on every search, which is far slower."""
    key = (ix.storage.folder, ix.latest_generation())
    table = _FACET_TABLES.get(key)
    if table is None:
        table = {}
        for docnum, f in searcher.reader().iter_docs():
            typ = f.get("type") or ""
            values = [("type", typ)]
            if typ == "passage":  # the other facets describe passages
                values += [("department", d) for d in dict.fromkeys(_split(f.get("departments")))]
                values += [("place", p) for p in dict.fromkeys(_split(f.get("places")))]
                if f.get("region"):
                    values.append(("region", f["region"]))
                if f.get("year") is not None:
                    values.append(("year", str(f["year"])))
            table[docnum] = tuple(values)
        _FACET_TABLES.clear()
        _FACET_TABLES[key] = table
    return table


def _split(value) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


def _facets(ix, searcher, query, estimate: int, cap: int = 20000) -> tuple[dict[str, dict[str, int]], int]:
    """Counts over the documents a filter selects (unscored), and their number: exact up to
    `cap` documents, whoosh's estimate beyond."""
    counter = FacetCounter(_facet_table(ix, searcher))
    for docnum in searcher.docs_for_query(query):
        if counter.total >= cap:
            return counter.facets(), max(cap, estimate)
        counter.add(docnum)
    return counter.facets(), counter.total


ENTITY_FIELDS = ("label", "aliases", "pinyin", "english")  # entities have no text field,
PASSAGE_FIELDS = ("text",)                                  # passages nothing else, so no kind filter is needed
_local = threading.local()


_LENGTHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LENGTHS_LOCK = threading.Lock()


def _field_lengths(reader, fieldname: str) -> array:
    """Every document's length of `fieldname` in one segment, read once (BM25F needs it for every
    match, and whoosh reads it from the segment's column each time)."""
    with _LENGTHS_LOCK:
        per_reader = _LENGTHS.setdefault(reader, {})
        lengths = per_reader.get(fieldname)
        if lengths is None:
            lengths = per_reader[fieldname] = _read_lengths(reader, fieldname)
    return lengths


_BYTE_TO_LENGTH = [0] + [byte_to_length(b) for b in range(1, 256)]


def _read_lengths(reader, fieldname: str) -> array:
    """The length column in one read: whoosh keeps one byte per document (0: no field, which
    never matches a term of it; documents past the column's end have none either), about 100x
    faster than asking document by document (which took 0.2 s a segment and field at 100k
    passages, paid by the first search after a build). Falls back to asking where the column is not
    the whoosh3 codec's byte column."""
    n = reader.doc_count_all()
    col = None
    if hasattr(reader, "_perdoc") and hasattr(reader._perdoc, "_cached_reader"):
        col = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if col is None:  # no document of the segment has the field: whoosh answers the default
            return array("I", [1]) * n
    if col is not None and all(hasattr(col, a) for a in ("_dbfile", "_basepos", "_count", "_fixedlen")) \
            and col._fixedlen == 1:
        count = min(col._count, n)
        raw = col._dbfile.get(col._basepos, count) if count else b""
        out = array("I", map(_BYTE_TO_LENGTH.__getitem__, raw))
        out.extend([0] * (n - count))
        return out
    dfl = reader.doc_field_length
    return array("I", (dfl(d, fieldname, 1) or 0 for d in range(n)))


class BM25F(scoring.BM25F):
    """whoosh's BM25F, with the lengths taken from `_field_lengths` and the formula folded into
    constants per term: the same scores, a third of the work per match."""

    def scorer(self, searcher, fieldname, text, qf=1):
        sc = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(sc, scoring.BM25FScorer):
            lengths = _field_lengths(searcher.reader(), fieldname)
            num = sc.idf * (sc.K1 + 1)
            base = sc.K1 * (1 - sc.B)
            per_len = sc.K1 * sc.B / sc.avgfl

            def score(matcher, num=num, base=base, per_len=per_len, lengths=lengths):
                tf = matcher.weight()
                return num * tf / (tf + base + per_len * lengths[matcher.id()])
            sc.score = score
        return sc


WEIGHTING = BM25F()


def _searcher(ix):
    """One searcher per thread, kept open (opening segment files costs more than a query)
    and refreshed when the index changes."""
    cache = getattr(_local, "searchers", None)
    if cache is None:
        cache = _local.searchers = {}
    s = cache.get(id(ix))
    if s is None:
        s = cache[id(ix)] = ix.searcher(weighting=WEIGHTING)
    elif not s.up_to_date():
        s = cache[id(ix)] = s.refresh()
    return s


PLAIN_WORDS = re.compile(r"[\w' ]+")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


def plain_query(schema, q: str, fields) -> Query | None:
    """The query whoosh's parser makes of plain words (no quotes, operators, fields or wildcards),
    built directly: each word in any of the fields, a word the analyzer splits needing all its
    parts, every word required. The parser costs more than a search on a small index."""
    if not PLAIN_WORDS.fullmatch(q):
        return None
    words = q.split()
    if not words or OPERATORS & set(words):
        return None
    required = []
    for word in words:
        alternatives = []
        for name in fields:
            tokens = list(schema[name].process_text(word, mode="query"))
            if tokens:
                terms = [Term(name, t) for t in tokens]
                alternatives.append(terms[0] if len(terms) == 1 else And(terms))
        if alternatives:
            required.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    if not required:
        return None
    return (required[0] if len(required) == 1 else And(required)).normalize()


def _build_query(schema, q: str, fields=ENTITY_FIELDS + PASSAGE_FIELDS):
    if not q:
        return None
    parsed = plain_query(schema, q, fields)
    parser = MultifieldParser(list(fields), schema=schema)
    try:
        parsed = parsed or parser.parse(q)
    except Exception:  # whoosh raises assorted errors on odd syntax; fall back to plain words
        parsed = None
    if parsed is None or _is_null(parsed):
        words = re.sub(r"[\"()\[\]{}:^~*?\\]", " ", q)
        words = re.sub(r"\b(AND|OR|NOT)\b", " ", words).strip()
        if not words:
            return None
        parsed = parser.parse(words)
        if _is_null(parsed):
            return None
    # Latin letters: also try the whole query as one pinyin spelling (Wan'an, wan an -> wanan)
    latin = re.sub(r"[^a-z]", "", q.lower())
    if latin and re.fullmatch(r"[A-Za-z' \-]+", q) and "pinyin" in fields:
        parsed = Or([parsed, Term("pinyin", latin), QueryParser("english", schema).parse(q)])
    return _unions_as_trees(parsed)


def _unions_as_trees(query):
    """Match OR as a tree of union matchers: on small indexes whoosh would otherwise preload
    every match of every alternative into an array as large as the index, per query."""
    if isinstance(query, Or):
        query.matcher_type = Or.DEFAULT_MATCHER
    for child in query.children():
        _unions_as_trees(child)
    return query


def _is_null(query) -> bool:
    from whoosh.query import NullQuery
    return query is NullQuery or isinstance(query, type(NullQuery))


def _filter_query(filters: dict[str, str]):
    parts = []
    if filters.get("type"):
        parts.append(Term("type", filters["type"].lower()))
    if filters.get("year"):
        parts.append(Term("year", int(filters["year"])))
    if filters.get("place"):
        parts.append(Term("places", filters["place"]))
    if filters.get("region"):
        parts.append(Term("region", filters["region"]))
    if filters.get("department"):
        parts.append(Term("departments", filters["department"]))
    if not parts:
        return None
    return And(parts) if len(parts) > 1 else parts[0]


def _hit(h) -> dict:
    return _passage_hit(h) if h.get("kind") == "passage" else _entity_hit(h)


def _entity_hit(h) -> dict:
    return {"id": h["id"], "type": h["type"].capitalize(), "label": h["label"], "score": round(h.score, 3),
            "snippet": h.get("aliases") or h.get("english") or "", "english": h.get("english") or "",
            "document": None}


def _passage_hit(h) -> dict:
    marked = h.highlights("text") or html.escape(h["text"])
    return {"id": h["id"], "type": "Passage", "label": h.get("doc_title") or "", "score": round(h.score, 3),
            "snippet": h["text"], "highlight": marked, "document": h.get("document"), "section": h.get("section"),
            "start": h.get("start"), "end": h.get("end")}
