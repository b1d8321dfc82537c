"""Graph analysis with networkx: who acts with whom, what surrounds an entity, and rankings.

- `coaction(store)`: departments that act in the same statement (as agents or participants),
  edges weighted by shared statements;
- `regulation_departments(store)`: the bipartite regulation-to-department view;
- `neighbourhood(store, iri)`: the entities linked to one entity through facts, for the graph view.
"""
from __future__ import annotations

import networkx as nx

from kg.graph.store import iri_values, query
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


# as one property path: a VALUES of predicates with the object unbound made the store read every
# triple of those predicates (7 s at a million triples), the path reads only the facts' own
LINKS = "prov:wasAssociatedWith|zw:participant|zw:regulation|zw:initiative|prov:atLocation"


def neighbourhood(rows_fn, node: str, limit: int = 30) -> nx.Graph:
    """The entity and what it shares facts with (agents, participants, regulations, initiatives,
    places), the strongest links first, and links among those by the entity's facts they share. `rows_fn(sparql)` returns dict rows. The facts are found
    first, then what else they link to, by their IRIs: in one join the store read every fact's
    links (seconds at a million triples)."""
    g = nx.Graph()
    n = f"<{node}>"
    facts = [r["f"] for r in rows_fn(f"SELECT DISTINCT ?f WHERE {{ ?f {LINKS} {n} }}")]
    shared: dict[str, set[str]] = {}
    for chunk in iri_values(facts):
        for r in rows_fn(f"SELECT ?f ?x WHERE {{ VALUES ?f {{ {chunk} }} ?f a zw:Fact ; {LINKS} ?x }}"):
            if r["x"] != node:
                shared.setdefault(r["x"], set()).add(r["f"])
    described: dict[str, tuple[str, str]] = {}
    for chunk in iri_values(list(shared)):
        for r in rows_fn(f"""SELECT ?x ?type ?l WHERE {{ VALUES ?x {{ {chunk} }} ?x a ?type ; skos:prefLabel ?l .
                                FILTER(STRSTARTS(STR(?type), STR(zw:))) }}"""):
            if r["x"] not in described or (r["type"], r["l"]) < described[r["x"]]:
                described[r["x"]] = (r["type"], r["l"])
    strongest = sorted(described, key=lambda x: (-len(shared[x]), described[x][1], x))[:limit]
    me = rows_fn(f"SELECT ?type ?l WHERE {{ {n} a ?type ; skos:prefLabel ?l . FILTER(STRSTARTS(STR(?type), STR(zw:))) }} LIMIT 1")
    g.add_node(node, label=me[0]["l"] if me else node.rsplit("/", 1)[-1],
               type=me[0]["type"].rsplit("#", 1)[-1] if me else "Entity", center=True)
    for x in strongest:
        g.add_node(x, label=described[x][1], type=described[x][0].rsplit("#", 1)[-1])
        g.add_edge(node, x, weight=len(shared[x]))
    # links among the neighbours too, so clusters show: the facts of this entity they share
    for i, a in enumerate(strongest):
        for b in strongest[i + 1:]:
            common = len(shared[a] & shared[b])
            if common:
                g.add_edge(a, b, weight=common)
    return g
