"""Graph analysis with networkx: who acts with whom, what surrounds an entity, and rankings.

- `coaction(store)`: departments that act in the same statement (as agents or participants),
  edges weighted by shared statements;
- `regulation_departments(store)`: the bipartite regulation-to-department view;
- `neighbourhood(store, iri)`: the entities linked to one entity through facts, for the graph view.
"""
from __future__ import annotations

import networkx as nx

from kg.graph.store import query
from kg.core.vocab import ACTED_BY


def _label(row, key: str) -> str:
    return row[key].value if row[key] is not None else ""


def coaction(store) -> nx.Graph:
    g = nx.Graph()
    # one statement naming several agents gives one fact per agent: group by statement; the members
    # of a collective agent (区公安局、交通局…等9个部门) act together in its facts
    rows = query(store, """SELECT ?doc ?start ?d ?l WHERE { ?f a zw:Fact ; prov:wasDerivedFrom ?doc ; zw:start ?start ;
                              (""" + ACTED_BY + """)|zw:participant ?d . ?d a zw:Department ; skos:prefLabel ?l }""")
    by_fact: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        d = r["d"].value
        g.add_node(d, label=_label(r, "l"), type="Department")
        by_fact.setdefault((r["doc"].value, r["start"].value), set()).add(d)
    for members in by_fact.values():
        ms = sorted(members)
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                w = g[a][b]["weight"] + 1 if g.has_edge(a, b) else 1
                g.add_edge(a, b, weight=w)
    return g


def regulation_departments(store) -> nx.Graph:
    g = nx.Graph()
    for r in query(store, """SELECT ?reg ?rl ?d ?dl (COUNT(DISTINCT ?f) AS ?n) WHERE {
            ?f zw:regulation ?reg ; """ + ACTED_BY + """ ?d . ?d a zw:Department .
            ?reg skos:prefLabel ?rl . ?d skos:prefLabel ?dl }
            GROUP BY ?reg ?rl ?d ?dl"""):
        g.add_node(r["reg"].value, label=_label(r, "rl"), type="Regulation")
        g.add_node(r["d"].value, label=_label(r, "dl"), type="Department")
        g.add_edge(r["reg"].value, r["d"].value, weight=int(r["n"].value))
    return g


def neighbourhood(rows_fn, node: str, limit: int = 30) -> nx.Graph:
    """The entity and what it shares facts with (agents, participants, regulations, initiatives,
    places), the strongest links first. `rows_fn(sparql)` returns dict rows."""
    g = nx.Graph()
    n = f"<{node}>"
    rows = rows_fn(f"""SELECT ?x ?type (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?f) AS ?w) WHERE {{
        ?f a zw:Fact ; ?p1 {n} ; ?p2 ?x .
        VALUES ?p1 {{ prov:wasAssociatedWith zw:participant zw:regulation zw:initiative prov:atLocation }}
        VALUES ?p2 {{ prov:wasAssociatedWith zw:participant zw:regulation zw:initiative prov:atLocation }}
        ?x a ?type ; skos:prefLabel ?l . FILTER(?x != {n} && STRSTARTS(STR(?type), STR(zw:)))
        }} GROUP BY ?x ?type ORDER BY DESC(?w) LIMIT {int(limit)}""")
    me = rows_fn(f"SELECT ?type ?l WHERE {{ {n} a ?type ; skos:prefLabel ?l . FILTER(STRSTARTS(STR(?type), STR(zw:))) }} LIMIT 1")
    g.add_node(node, label=me[0]["l"] if me else node.rsplit("/", 1)[-1],
               type=me[0]["type"].rsplit("#", 1)[-1] if me else "Entity", center=True)
    for r in rows:
        g.add_node(r["x"], label=r["label"], type=r["type"].rsplit("#", 1)[-1])
        g.add_edge(node, r["x"], weight=int(r["w"]))
    # links among the neighbours too, so clusters show
    others = [x for x in g if x != node]
    if len(others) > 1:
        values = " ".join(f"<{x}>" for x in others)
        for r in rows_fn(f"""SELECT ?a ?b (COUNT(DISTINCT ?f) AS ?w) WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }}
                ?f a zw:Fact ; ?p ?a ; ?q ?b . FILTER(STR(?a) < STR(?b)) }} GROUP BY ?a ?b"""):
            g.add_edge(r["a"], r["b"], weight=int(r["w"]))
    return g
