"""A fast check of the SHACL Core constraints our shapes use, compiled to SPARQL.

pyshacl takes about half a second per report graph; a build checks every report, so the build
runs the same constraints (sh:targetClass with sh:minCount, sh:maxCount, sh:datatype, sh:class,
sh:in on property paths) as SPARQL queries on an in-memory Oxigraph store. `kg validate` still
runs full SHACL with pyshacl over the built graph.
"""
from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from .validate import shapes_graph


@lru_cache(maxsize=1)
def compiled() -> list[tuple[str, str]]:
    """(message, SELECT ?focus query) for every constraint of ontology/shapes.ttl."""
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
            t, p = f"<{target}>", f"<{path}>"
            lo = sg.value(prop, SH.minCount)
            hi = sg.value(prop, SH.maxCount)
            dt = sg.value(prop, SH.datatype)
            cls = sg.value(prop, SH["class"])
            allowed = sg.value(prop, SH["in"])
            name = f"{target.split('#')[-1]} {path.split('#')[-1].split('/')[-1]}"
            if lo is not None:
                out.append((f"{name}: fewer than {lo} value(s)",
                            f"SELECT ?focus WHERE {{ ?focus a {t} . OPTIONAL {{ ?focus {p} ?v }} }} "
                            f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < {int(lo)})"))
            if hi is not None:
                out.append((f"{name}: more than {hi} value(s)",
                            f"SELECT ?focus WHERE {{ ?focus a {t} ; {p} ?v }} "
                            f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) > {int(hi)})"))
            if dt is not None:
                out.append((f"{name}: value is not of datatype {dt}",
                            f"SELECT DISTINCT ?focus WHERE {{ ?focus a {t} ; {p} ?v . "
                            f"FILTER(!isLiteral(?v) || datatype(?v) != <{dt}>) }}"))
            if cls is not None:
                out.append((f"{name}: value is not a {cls}",
                            f"SELECT DISTINCT ?focus WHERE {{ ?focus a {t} ; {p} ?v . "
                            f"FILTER NOT EXISTS {{ ?v a <{cls}> }} }}"))
            if allowed is not None:
                values = " ".join(v.n3() for v in Collection(sg, allowed))
                out.append((f"{name}: value not in ({values})",
                            f"SELECT DISTINCT ?focus WHERE {{ ?focus a {t} ; {p} ?v . "
                            f"FILTER(?v NOT IN ({', '.join(v.n3() for v in Collection(sg, allowed))})) }}"))
    return out


def violations(g: Graph | bytes) -> list[str]:
    """One line per violating focus node and constraint; empty when the graph conforms.
    `g` is an rdflib graph or its N-Triples serialisation."""
    store = ox.Store()
    nt = g if isinstance(g, bytes) else g.serialize(format="nt", encoding="utf-8")
    store.load(nt, format=ox.RdfFormat.N_TRIPLES)
    bad = []
    for message, query in compiled():
        for sol in store.query(query):
            bad.append(f"{sol['focus'].value}: {message}")
    return sorted(set(bad))
