"""SHACL validation of report graphs against ontology/shapes.ttl (pyshacl)."""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from kg.core.data import data_path


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(data_path("shapes.ttl"), format="turtle")


def violations(g: Graph, shapes: Graph | None = None) -> list[str]:
    """One line per violation: focus node, path and message; empty when the graph conforms."""
    import pyshacl
    from rdflib.namespace import SH
    if not g.store.context_aware:  # a report's own graph (SimpleMemory): pyshacl needs contexts
        copy = Graph()
        for t in g:
            copy.add(t)
        g = copy
    conforms, results, _ = pyshacl.validate(g, shacl_graph=shapes or shapes_graph(), inference="none",
                                            advanced=False, allow_warnings=True)
    if conforms:
        return []
    out = []
    for r in results.subjects(SH.focusNode, None):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        msg = results.value(r, SH.resultMessage)
        out.append(f"{focus} {path or ''}: {msg}")
    return sorted(set(out))
