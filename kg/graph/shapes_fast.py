"""A fast check of the SHACL Core constraints our shapes use, run on a report's N-Triples.

pyshacl takes about half a second per report graph, and loading the graph into an in-memory
Oxigraph store to ask one SPARQL query per constraint still took 10 ms; a build checks every
report, so it runs the constraints our shapes use (sh:targetClass with sh:minCount, sh:maxCount,
sh:datatype, sh:class, sh:in on predicate paths) over the lines themselves: 4.7 ms a report.
`kg validate` asks the same constraints of the built store as SPARQL (`store_violations`); tests
check that pyshacl finds the same focus nodes.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from kg.graph.shapes import shapes_graph

RDF_TYPE = f"<{RDF.type}>"
XSD_STRING = "<http://www.w3.org/2001/XMLSchema#string>"
RDF_LANGSTRING = f"<{RDF.langString}>"


class Constraint(NamedTuple):
    target: str  # class, in N-Triples
    path: str  # predicate, in N-Triples
    kind: str  # min | max | datatype | class | in
    arg: object
    message: str


def _nt(term) -> str:
    """An rdflib term in the N-Triples form pyoxigraph writes."""
    if isinstance(term, URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, Literal):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        if term.datatype:
            return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
        return str(ox.Literal(str(term)))
    raise ValueError(f"no N-Triples form for {term!r} in the shapes")


@lru_cache(maxsize=1)
def compiled() -> list[Constraint]:
    """Every constraint of ontology/shapes.ttl that the check understands."""
    sg = shapes_graph()
    out = []
    for shape in sg.subjects(RDF.type, SH.NodeShape):
        target = sg.value(shape, SH.targetClass)
        if target is None:
            continue
        for prop in sg.objects(shape, SH.property):
            path = sg.value(prop, SH.path)
            if not isinstance(path, URIRef):
                continue
            t, p = _nt(target), _nt(path)
            name = f"{target.split('#')[-1]} {path.split('#')[-1].split('/')[-1]}"
            lo, hi = sg.value(prop, SH.minCount), sg.value(prop, SH.maxCount)
            dt, cls, allowed = sg.value(prop, SH.datatype), sg.value(prop, SH["class"]), sg.value(prop, SH["in"])
            if lo is not None:
                out.append(Constraint(t, p, "min", int(lo), f"{name}: fewer than {lo} value(s)"))
            if hi is not None:
                out.append(Constraint(t, p, "max", int(hi), f"{name}: more than {hi} value(s)"))
            if dt is not None:
                out.append(Constraint(t, p, "datatype", _nt(dt), f"{name}: value is not of datatype {dt}"))
            if cls is not None:
                out.append(Constraint(t, p, "class", _nt(cls), f"{name}: value is not a {cls}"))
            if allowed is not None:
                values = [v.n3() for v in Collection(sg, allowed)]
                out.append(Constraint(t, p, "in", frozenset(_nt(v) for v in Collection(sg, allowed)),
                                      f"{name}: value not in ({', '.join(values)})"))
    return out


def _datatype(obj: str) -> str | None:
    """The datatype of a literal in N-Triples, None for an IRI or blank node."""
    if not obj.startswith('"'):
        return None
    suffix = obj[obj.rfind('"') + 1:]
    if suffix.startswith("^^"):
        return suffix[2:]
    return RDF_LANGSTRING if suffix.startswith("@") else XSD_STRING


def violations(g: Graph | bytes) -> list[str]:
    """One line per violating focus node and constraint; empty when the graph conforms.
    `g` is an rdflib graph or N-Triples as pyoxigraph writes them (one triple per line,
    terms separated by single spaces), e.g. from `kg.rdf.to_ntriples`."""
    if isinstance(g, Graph):  # the same triples, written by pyoxigraph
        g = ox.serialize(ox.parse(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES),
                         format=ox.RdfFormat.N_TRIPLES)
    values: dict[tuple[str, str], set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for line in g.decode("utf-8").split("\n"):  # not splitlines(): U+2028 and U+0085 may be inside literals
        if not line:
            continue
        s, p, o = line[:-2].split(" ", 2)  # "<s> <p> o ."
        values[s, p].add(o)
        if p == RDF_TYPE:
            types[s].add(o)
    focus: dict[str, list[str]] = defaultdict(list)
    for s, classes in types.items():
        for c in classes:
            focus[c].append(s)
    bad = []
    for c in compiled():
        for f in focus.get(c.target, ()):
            vs = values.get((f, c.path), ())
            if c.kind == "min":
                wrong = len(vs) < c.arg
            elif c.kind == "max":
                wrong = len(vs) > c.arg
            elif c.kind == "datatype":
                wrong = any(_datatype(v) != c.arg for v in vs)
            elif c.kind == "class":
                wrong = any(c.arg not in types.get(v, ()) for v in vs)
            else:
                wrong = any(v not in c.arg for v in vs)
            if wrong:
                bad.append(f"{f[1:-1] if f.startswith('<') else f}: {c.message}")
    return sorted(set(bad))


def store_violations(store, query) -> list[str]:
    """The same constraints over a whole built store (the union of its reports, where reports
    may disagree about one entity), asked as SPARQL, one query per constraint, so the store
    answers from disk: loading a build of millions of triples into rdflib for pyshacl took
    gigabytes. Targets and classes follow rdfs:subClassOf, as SHACL's do. `query(store, text)`
    runs a query (kg.graph.store.query)."""
    bad: set[str] = set()
    for c in compiled():
        focus = f"?f a/rdfs:subClassOf* {c.target}"
        if c.kind in ("min", "max"):  # count the distinct values of each focus node
            values = f"OPTIONAL {{ ?f {c.path} ?v }}" if c.kind == "min" else f"?f {c.path} ?v"
            test = f"< {c.arg}" if c.kind == "min" else f"> {c.arg}"
            sparql = f"SELECT ?f WHERE {{ {focus} . {values} }} GROUP BY ?f HAVING (COUNT(DISTINCT ?v) {test})"
        else:  # a value of the wrong kind
            if c.kind == "datatype":
                wrong = f"!isLiteral(?v) || datatype(?v) != {c.arg}"
            elif c.kind == "class":
                wrong = f"NOT EXISTS {{ ?v a/rdfs:subClassOf* {c.arg} }}"
            else:
                wrong = f"?v NOT IN ({', '.join(sorted(c.arg))})"
            sparql = f"SELECT DISTINCT ?f WHERE {{ {focus} . ?f {c.path} ?v FILTER({wrong}) }}"
        for r in query(store, sparql):
            f = r["f"]
            bad.add(f"{f.value if isinstance(f, ox.NamedNode) else f}: {c.message}")
    return sorted(bad)
