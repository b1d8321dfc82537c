"""Search: entity hits first when the query names an entity, then passages with highlights.

Syntax: words (all must match), OR, "quoted phrases", and filters type:, year:, place:,
region:, department:. Chinese is segmented with the same analyzer as the index; a query in
Latin letters is also tried as pinyin (Wan'an, wanan, wan an) and English.
"""
from __future__ import annotations

import html
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from whoosh import highlight
from whoosh import index as windex
from whoosh import collectors
from whoosh.collectors import WrappingCollector
from whoosh.qparser import MultifieldParser, QueryParser
from whoosh.query import And, Or, Query, Term

from .analysis import load_user_dictionary

MAX_QUERY = 200
FILTER = re.compile(r"\b(type|year|place|region|department):(\"[^\"]*\"|\S+)", re.I)
TYPE_NAMES = {"department", "regulation", "initiative", "place", "collective", "report", "passage"}


class SearchError(Exception):
    """A query we cannot run, with a message for the user."""


@lru_cache(maxsize=8)
def open_index(path: str):
    load_user_dictionary(Path(path) / "userdict.txt")
    return windex.open_dir(path)


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
    want_passages = passages and kind_filter in ("", "passage")
    # one pass over the matches ranks them and counts the facets
    counter = FacetCounter(_facet_table(ix, s))
    if want_entities:
        res = _collect(s, entity_query, restrict, limit * page, counter, terms=False)
        entity_hits = [_entity_hit(h) for h in res[(page - 1) * limit:page * limit]]
    if want_passages:
        # every passage has type "passage": only the other filters need applying
        res = _collect(s, passage_query, _filter_query({k: v for k, v in filters.items() if k != "type"}),
                       limit * page, counter, terms=True)
        res.fragmenter = highlight.WholeFragmenter(charlimit=None)  # a passage is one sentence
        res.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        passage_hits = [_passage_hit(h) for h in res[(page - 1) * limit:page * limit]]
    return {"query": raw, "total": counter.total, "hits": entity_hits + passage_hits, "facets": counter.facets()}


class FacetCounter:
    """Facet counts (type, department, place, region, year) and the number of matches, kept
    while a search collects its matches."""

    def __init__(self, table: dict):
        self.table = table
        self.total = 0
        self.counts: dict[str, dict[str, int]] = {"type": {}, "department": {}, "place": {}, "region": {},
                                                  "year": {}}

    def add(self, docnum: int) -> None:
        self.total += 1
        typ, depts, places, region, year = self.table.get(docnum, ("", (), (), "", None))
        counts = self.counts
        counts["type"][typ] = counts["type"].get(typ, 0) + 1
        if typ != "passage":
            return
        for d in depts:
            counts["department"][d] = counts["department"].get(d, 0) + 1
        for p in places:
            counts["place"][p] = counts["place"].get(p, 0) + 1
        if region:
            counts["region"][region] = counts["region"].get(region, 0) + 1
        if year is not None:
            counts["year"][str(year)] = counts["year"].get(str(year), 0) + 1

    def facets(self) -> dict[str, dict[str, int]]:
        return {k: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[:15]) for k, v in self.counts.items() if v}


class _Counting(WrappingCollector):
    """Passes every (filtered) match to the ranking collector and to a FacetCounter."""

    def __init__(self, child, counter: FacetCounter):
        super().__init__(child)
        self.counter = counter

    def collect(self, sub_docnum: int):
        self.counter.add(self.offset + sub_docnum)
        return self.child.collect(sub_docnum)


def _collect(searcher, query, restrict, limit: int, counter: FacetCounter, terms: bool):
    # every match must reach the counter: no skipping of blocks that cannot make the top, and no
    # replacing the matcher by one that drops alternatives too weak for it
    collector = collectors.TopCollector(limit, usequality=False, replace=0)
    if terms:
        collector = collectors.TermsCollector(collector)
    if restrict is not None:
        collector = collectors.FilterCollector(collector, restrict)
    collector = _Counting(collector, counter)
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
            table[docnum] = (f.get("type") or "", _split(f.get("departments")), _split(f.get("places")),
                             f.get("region") or "", f.get("year"))
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


def _searcher(ix):
    """One searcher per thread, kept open (opening segment files costs more than a query)
    and refreshed when the index changes."""
    cache = getattr(_local, "searchers", None)
    if cache is None:
        cache = _local.searchers = {}
    s = cache.get(id(ix))
    if s is None:
        s = cache[id(ix)] = ix.searcher()
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
            "snippet": h.get("aliases") or h.get("pinyin") or "", "document": None}


def _passage_hit(h) -> dict:
    marked = h.highlights("text") or html.escape(h["text"])
    return {"id": h["id"], "type": "Passage", "label": h.get("doc_title") or "", "score": round(h.score, 3),
            "snippet": h["text"], "highlight": marked, "document": h.get("document"), "section": h.get("section"),
            "start": h.get("start"), "end": h.get("end")}
