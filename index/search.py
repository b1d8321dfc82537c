"""Search: entity hits first when the query names an entity, then passages with highlights.

Syntax: words (all must match), OR, "quoted phrases", and filters type:, year:, place:,
region:, department:. Chinese is segmented with the same analyzer as the index; a query in
Latin letters is also tried as pinyin (Wan'an, wanan, wan an) and English.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from whoosh import highlight, sorting
from whoosh import index as windex
from whoosh.qparser import MultifieldParser, OrGroup, QueryParser
from whoosh.query import And, Or, Phrase, Term

from .analysis import load_user_dictionary

MAX_QUERY = 200
FACET_FIELDS = ("departments", "places", "region", "year")
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


def search(index_dir: Path, q: str, type: str | None = None, limit: int = 10, page: int = 1) -> dict:
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
        return {"query": raw, "total": 0, "hits": []}
    ix = open_index(str(index_dir))
    with ix.searcher() as s:
        query = _build_query(ix, q)
        restrict = _filter_query(filters)
        if query is None:
            query = restrict
            restrict = None
        if query is None:
            return {"query": raw, "total": 0, "hits": []}
        entity_hits, passage_hits = [], []
        type_counts: dict[str, int] = {}
        want_entities = filters.get("type", "").lower() != "passage"
        want_passages = filters.get("type", "").lower() in ("", "passage")
        total = 0
        if want_entities:
            eq = And([query, Term("kind", "entity")])
            res = s.search(eq, filter=restrict, limit=limit * page, groupedby=["type"], maptype=sorting.Count)
            type_counts = {str(k): v for k, v in res.groups("type").items() if k}
            total += len(res)
            entity_hits = [_entity_hit(h) for h in res[(page - 1) * limit:page * limit]]
        facets: dict[str, dict[str, int]] = {}
        if want_passages:
            pq = And([query, Term("kind", "passage")])
            res = s.search(pq, filter=restrict, limit=limit * page, terms=True,
                           groupedby={f: sorting.FieldFacet(f, allow_overlap=f != "year", maptype=sorting.Count)
                                      for f in FACET_FIELDS})
            for name, field in (("department", "departments"), ("place", "places"), ("region", "region"),
                                ("year", "year")):
                counts = {str(k): v for k, v in res.groups(field).items() if k not in (None, "")}
                if counts:
                    facets[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15])
            res.fragmenter = highlight.WholeFragmenter(charlimit=None)  # a passage is one sentence
            res.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
            total += len(res)
            passage_hits = [_passage_hit(h) for h in res[(page - 1) * limit:page * limit]]
            if len(res):
                type_counts["passage"] = len(res)
        if type_counts:
            facets["type"] = type_counts
    return {"query": raw, "total": total, "hits": entity_hits + passage_hits, "facets": facets}


def _build_query(ix, q: str):
    if not q:
        return None
    parser = MultifieldParser(["label", "aliases", "text", "pinyin", "english"], schema=ix.schema)
    try:
        parsed = parser.parse(q)
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
    if latin and re.fullmatch(r"[A-Za-z' \-]+", q):
        parsed = Or([parsed, Term("pinyin", latin), QueryParser("english", ix.schema).parse(q)])
    return parsed


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


def _entity_hit(h) -> dict:
    return {"id": h["id"], "type": h["type"].capitalize(), "label": h["label"], "score": round(h.score, 3),
            "snippet": h.get("aliases") or h.get("pinyin") or "", "document": None}


def _passage_hit(h) -> dict:
    marked = h.highlights("text") or html.escape(h["text"])
    return {"id": h["id"], "type": "Passage", "label": h.get("doc_title") or "", "score": round(h.score, 3),
            "snippet": h["text"], "highlight": marked, "document": h.get("document"), "section": h.get("section"),
            "start": h.get("start"), "end": h.get("end")}
