"""Full-text matching inside SPARQL: zw:matches(?text, "query") and zw:score(?text, "query").

They apply the index's own analyzer (segmentation with our dictionary, sub-words, single
characters at the same positions), so `FILTER(zw:matches(?sentence, "行政复议"))` in SPARQL
agrees with `kg search "行政复议"`: every word of the query must occur, and a "quoted phrase"
must occur as consecutive tokens.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from index.analysis import chinese_analyzer
from kg.core.vocab import ZW

PHRASE = re.compile(r'"([^"]+)"|(\S+)')


@lru_cache(maxsize=1)
def _analyzer():
    return chinese_analyzer()


@lru_cache(maxsize=4096)
def _positions(text: str) -> dict[str, frozenset[int]]:
    out: dict[str, set[int]] = {}
    for t in _analyzer()(text, positions=True, mode="index"):
        out.setdefault(t.text, set()).add(t.pos)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1024)
def _query_parts(query: str) -> tuple[tuple[str, ...], ...]:
    """Each part is a sequence of tokens that must occur at consecutive positions: a "quoted
    phrase" keeps its tokens in one part, a bare word gives one part per token."""
    parts = []
    for m in PHRASE.finditer(query):
        words = tuple(t.text for t in _analyzer()(m.group(1) or m.group(2)))
        if m.group(1):
            if words:
                parts.append(words)
        else:  # a bare word is all of its tokens, as in search (a compound name in the text holds
            parts.extend((w,) for w in words)  # them as sub-words at one position, not in a row)
    return tuple(parts)


@lru_cache(maxsize=1024)
def _needles(query: str) -> tuple[str, ...]:
    """Strings every matching text must contain (each token of each part)."""
    return tuple({w for words in _query_parts(query) for w in words})


def score(text: str, query: str) -> int:
    """How many times all parts match (0 when any part is missing)."""
    # a token can only match where its characters occur: a substring test rules out most texts
    # before any segmentation
    for needle in _needles(query):
        if needle not in text.lower():
            return 0
    pos = _positions(text)
    best = None
    for words in _query_parts(query):
        starts = set(pos.get(words[0], ()))
        for i, w in enumerate(words[1:], 1):
            starts = {s for s in starts if s + i in pos.get(w, ())}
        if not starts:
            return 0
        best = len(starts) if best is None else min(best, len(starts))
    return best or 0


# strings, IRIs, local-name escapes and comments are skipped; an unclosed string or comment
# runs to its end (line end for short strings), so every attempt consumes what it scans and the
# rewrite stays linear in the query (a failing match retried at each quote was quadratic)
_CALL_OR_SKIP = re.compile(
    r"""(?P<skip>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)|\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)"""
    r"""|'(?:[^'\\\n]|\\.)*(?:'|$|(?=\n))|"(?:[^"\\\n]|\\.)*(?:"|$|(?=\n))|<[^<>"{}|^`\\\s]*>|\\.|#[^\n]*)"""
    r"""|zw:matches\(\s*(?P<var>[?$]\w+)\s*,\s*(?P<q>"(?:\\.|[^"\\\n])*")\s*\)""", re.S)
_ECHAR = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f"}


def _unescape(literal: str) -> str:
    """The value of a SPARQL "string" literal."""
    def one(m: re.Match) -> str:
        e = m.group(1)
        return chr(int(e[1:], 16)) if len(e) > 1 else _ECHAR.get(e, e)
    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, literal[1:-1])


def with_prefilters(sparql: str) -> str:
    """Put native substring tests before each zw:matches(?var, "query") call.

    A text can only match where every token of the query occurs as a substring (score() checks
    this first), so `IF(CONTAINS(LCASE(STR(?var)), token) && …, zw:matches(?var, "query"), false)`
    gives the same answers, with the store ruling out most rows itself instead of calling back
    into Python for each. Strings, IRIs and comments are left alone, as are queries that bind the
    zw: prefix to something else."""
    declared = re.search(r"PREFIX\s+zw:\s*<([^>]*)>", sparql, re.I)
    if declared and declared.group(1) != str(ZW):
        return sparql

    def rewrite(m: re.Match) -> str:
        if m.group("skip") is not None:
            return m.group(0)
        needles = sorted(_needles(_unescape(m.group("q"))))
        if not needles:
            return m.group(0)
        var = m.group("var")
        tests = [f"CONTAINS(LCASE(STR({var})), {json.dumps(n, ensure_ascii=False)})" if n.lower() != n.upper()
                 else f"CONTAINS(STR({var}), {json.dumps(n, ensure_ascii=False)})" for n in needles]
        # IF, not &&: the store evaluates both sides of && (and so calls back into Python for every
        # row); IF calls zw:matches only where the substring tests hold
        return f"IF({' && '.join(tests)}, {m.group(0)}, false)"
    return _CALL_OR_SKIP.sub(rewrite, sparql)


def sparql_functions() -> dict:
    """pyoxigraph custom functions: zw:matches (boolean) and zw:score (integer)."""
    import pyoxigraph as ox
    boolean = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

    def matches(text, query):
        if not isinstance(text, ox.Literal) or not isinstance(query, ox.Literal):
            return None
        return ox.Literal("true" if score(text.value, query.value) else "false", datatype=boolean)

    def score_fn(text, query):
        if not isinstance(text, ox.Literal) or not isinstance(query, ox.Literal):
            return None
        return ox.Literal(str(score(text.value, query.value)), datatype=integer)

    return {ox.NamedNode(str(ZW.matches)): matches, ox.NamedNode(str(ZW.score)): score_fn}


def fulltext_options() -> dict:
    """Keyword arguments for kg.graph.store.query that make zw:matches and zw:score work."""
    return {"functions": sparql_functions(), "rewrite": with_prefilters}
