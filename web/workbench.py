"""The query workbench's server side: a result shaped for one page of the query page (sorted,
paged, IRIs labelled), the view a query asks for (`#defaultView:BarChart`), the chart's data, the
terms the editor completes, the position of a syntax error, and the gallery's parameters
(`# param: ?department zw:Department`). The URL holds all of it, so a link reproduces the page."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pyoxigraph as ox

from kg.core.data import data_path
from kg.core.vocab import PREFIXES

PAGE_ROWS = 100
VIEWS = ("table", "bar", "line")
# the comment WDQS and YASGUI users know; Timeline is drawn as a line over its first column
DEFAULT_VIEW = re.compile(r"^\s*#\s*defaultView:\s*(\w+)", re.M | re.I)
VIEW_NAMES = {"table": "table", "barchart": "bar", "bar": "bar", "linechart": "line", "line": "line",
              "timeline": "line"}
PARAM = re.compile(r"^\s*#\s*param:\s*\?(\w+)\s+(\S+)", re.M)
ERROR_AT = re.compile(r"line (\d+), column (\d+)")
NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + t for t in (
    "integer", "decimal", "double", "float", "long", "int", "short", "nonNegativeInteger", "positiveInteger")}
KEYWORDS = ("SELECT", "DISTINCT", "WHERE", "OPTIONAL", "FILTER", "FILTER NOT EXISTS", "MINUS", "UNION", "GRAPH",
            "VALUES", "BIND", "GROUP BY", "HAVING", "ORDER BY", "DESC", "ASC", "LIMIT", "OFFSET", "COUNT", "SUM",
            "AVG", "MIN", "MAX", "SAMPLE", "GROUP_CONCAT", "CONTAINS", "STRSTARTS", "REGEX", "LANG", "STR",
            "CONSTRUCT", "DESCRIBE", "ASK", "PREFIX", "zw:matches", "zw:score")


def view_of(query: str, asked: str | None) -> str:
    """The view the URL asks for, else the one the query's `#defaultView:` comment names."""
    if asked in VIEWS:
        return asked
    m = DEFAULT_VIEW.search(query or "")
    return VIEW_NAMES.get(m.group(1).lower(), "table") if m else "table"


def error_position(message: str) -> tuple[int, int] | None:
    m = ERROR_AT.search(message or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def number(cell: dict | None) -> float | None:
    if not cell or cell.get("type") not in ("literal", "typed-literal") or cell.get("datatype") not in NUMERIC:
        return None
    try:
        return float(Decimal(cell["value"]))
    except (InvalidOperation, ValueError):
        return None


def shape(variables: list[str], rows: list[list], labels: dict, page: int, sort: str | None,
          order: str) -> dict:
    """One page of rows, sorted by `sort` (numbers as numbers, IRIs by their labels)."""
    if sort in variables:
        i = variables.index(sort)
        numeric = all(number(r[i]) is not None for r in rows if r[i])

        def key(r):
            c = r[i]
            if not c:
                return (1, 0.0, "")  # unbound last
            if numeric:
                return (0, number(c), "")
            return (0, 0.0, labels.get(c["value"]) or c["value"])
        rows = sorted(rows, key=key, reverse=(order == "desc"))
        if order == "desc":  # unbound still last
            rows = [r for r in rows if r[i]] + [r for r in rows if not r[i]]
    pages = max(1, -(-len(rows) // PAGE_ROWS))
    page = min(max(1, page), pages)
    return {"rows": rows[(page - 1) * PAGE_ROWS:page * PAGE_ROWS], "page": page, "pages": pages,
            "first": (page - 1) * PAGE_ROWS + 1 if rows else 0, "last": min(page * PAGE_ROWS, len(rows))}


def chart(variables: list[str], rows: list[list], labels: dict, kind: str) -> dict | None:
    """Labels from the first column that is not all numbers (IRIs shown by their labels), one
    series per all-number column; None when the result has no numbers to draw."""
    if not rows:
        return None
    numeric = [i for i, _ in enumerate(variables)
               if all(number(r[i]) is not None for r in rows if r[i]) and any(r[i] for r in rows)]
    if not numeric:
        return None
    label_cols = [i for i in range(len(variables)) if i not in numeric]
    # an IRI column and its label column: the label reads better
    label_col = next((i for i in label_cols if all(not r[i] or r[i]["type"] != "uri" for r in rows)),
                     label_cols[0] if label_cols else None)

    def name(r):
        if label_col is None:
            return ""
        c = r[label_col]
        return (labels.get(c["value"]) or c["value"]) if c else ""
    series = [i for i in numeric if i != label_col]
    if label_col is None and len(numeric) > 1:  # the first number is the x axis (a year)
        label_col, series = numeric[0], numeric[1:]
    picked = rows if kind == "line" else rows[:50]
    if kind == "line":
        # along the x axis: numbers (years) as numbers, anything else as text, never mixed
        picked = sorted(picked, key=(lambda r: number(r[label_col]) or 0.0) if label_col in numeric else name)
    return {"kind": kind, "labels": [name(r) if label_col not in numeric else r[label_col]["value"] for r in picked],
            "series": [{"name": variables[i], "values": [number(r[i]) for r in picked]} for i in series]}


@lru_cache(maxsize=1)
def terms() -> list[dict]:
    """What the editor completes: our prefixes, the ontology's classes and properties and the
    terms of other vocabularies the ontology and the shapes use (prov:wasAssociatedWith …),
    in prefixed form, and SPARQL keywords."""
    out = [{"label": f"{p}:", "kind": "namespace", "detail": iri} for p, iri in PREFIXES.items()]
    seen = set()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    kinds = {"http://www.w3.org/2002/07/owl#Class": "class", "http://www.w3.org/2000/01/rdf-schema#Class": "class",
             "http://www.w3.org/2002/07/owl#ObjectProperty": "property",
             "http://www.w3.org/2002/07/owl#DatatypeProperty": "property",
             "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property": "property"}
    typed = {}
    quads = [q for f in ("zhengwu.ttl", "shapes.ttl")
             for q in ox.parse(path=str(data_path(f)), format=ox.RdfFormat.TURTLE)]
    for q in quads:
        if q.predicate == rdf_type and isinstance(q.object, ox.NamedNode) and q.object.value in kinds:
            typed[q.subject.value] = kinds[q.object.value]
    for q in quads:
        for term in (q.subject, q.predicate, q.object):
            if isinstance(term, ox.NamedNode) and term.value not in seen:
                seen.add(term.value)
                short = compact(term.value)
                if short:
                    out.append({"label": short, "kind": typed.get(term.value, "variable" if term is q.predicate
                                                                   else "type"), "detail": None})
    out += [{"label": k, "kind": "keyword", "detail": None} for k in KEYWORDS]
    return out


def compact(iri: str) -> str | None:
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w-]*", iri[len(ns):]):
            return f"{p}:{iri[len(ns):]}"
    return None


def params(query: str) -> list[tuple[str, str]]:
    """(variable, class in prefixed form) of each `# param:` line of a gallery query."""
    return PARAM.findall(query or "")


def bind(query: str, values: dict[str, str]) -> str:
    """The query with each chosen parameter bound: `VALUES ?var { <iri> }` at the start of its
    outermost WHERE block. Only IRIs of this server's form are accepted (no injection)."""
    for var, iri in values.items():
        if not iri or not re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", iri):
            continue
        m = re.search(r"\bWHERE\s*\{", query, re.I)
        if m:
            query = query[:m.end()] + f"\n  VALUES ?{var} {{ <{iri}> }}" + query[m.end():]
    return query
