"""The data behind each page, as plain dicts: the HTML page and its JSON twin share them."""
from __future__ import annotations

import re
import threading
from urllib.parse import urlencode

from kg.core import iris
from kg.core.vocab import ACTED_BY
from kg.graph.store import UNSAFE_IRI, iri_values

from web.backend import Backend
from kg.core.types import ENTITY_TYPES




def iri(s: str) -> str:
    if UNSAFE_IRI.search(s):
        raise ValueError("bad IRI")
    return f"<{s}>"


def label_of(b: Backend, node: str) -> str:
    r = b.rows(f"SELECT ?l WHERE {{ {iri(node)} skos:prefLabel|dcterms:title|rdfs:label ?l }} LIMIT 1")
    return r[0]["l"] if r else node.rsplit("/", 1)[-1]


def exists(b: Backend, node: str) -> str | None:
    try:
        iri(node)
    except ValueError:
        return None
    r = b.rows(f"SELECT ?t WHERE {{ {iri(node)} a ?t . FILTER(STRSTARTS(STR(?t), STR(zw:))) }} LIMIT 1")
    return r[0]["t"].rsplit("#", 1)[-1] if r else None


FACTS_SHOWN = 200  # facts listed on an entity page; /facts has them all


def within(node: str) -> str:
    """Facts at a place or at any place within it (the places first: 2 ms, not 6 s)."""
    return f"{{ SELECT DISTINCT ?at WHERE {{ ?at zw:within* {node} }} }} ?f prov:atLocation ?at ."


def facts(b: Backend, where: str, limit: int | None = None) -> list[dict]:
    """The first `limit` (FACTS_SHOWN) facts `where` selects (binding ?f), in report order, each
    with its sentence, agent, report, section, participants and likely executors."""
    return fact_list(b, where, limit)[0]


def fact_list(b: Backend, where: str, limit: int | None = None) -> tuple[list[dict], int]:
    """(the first `limit` facts `where` selects, how many it selects in all). The facts are
    found first and described after, by their IRIs: joined in one query, the store read every
    fact of the corpus (a minute at 4M triples); sorted by their IRIs, which hold the report and
    the clause's offsets (…/fact/ID/START-END), so no query is needed to order them."""
    limit = FACTS_SHOWN if limit is None else limit
    found = [r["f"] for r in b.rows(f"SELECT DISTINCT ?f WHERE {{ {where} }}")]
    found.sort(key=_report_order)
    page = [f for f in found[:limit] if _plain_iri(f)]
    if not page:
        return [], len(found)
    rows = b.rows(f"""
        SELECT ?f ?sentence ?start ?end ?doc ?docTitle ?docId ?sec ?agent ?agentLabel ?implicit WHERE {{
          VALUES ?f {{ {" ".join(f"<{f}>" for f in page)} }}
          ?f a zw:Fact ; zw:sentence ?sentence ; zw:start ?start ; zw:end ?end ; prov:wasDerivedFrom ?doc ;
             prov:wasAssociatedWith ?agent ; zw:agentImplicit ?implicit .
          ?doc dcterms:title ?docTitle ; dcterms:identifier ?docId .
          OPTIONAL {{ ?agent skos:prefLabel ?agentLabel }}
          OPTIONAL {{ ?f zw:section/rdfs:label ?sec }}
        }}""")
    by_iri: dict[str, dict] = {}
    for r in rows:
        if r["f"] in by_iri:
            continue
        r["start"], r["end"] = int(r["start"]), int(r["end"])
        r["implicit"] = r["implicit"] == "true"
        r["participants"], r["likely_executors"] = [], []
        by_iri[r["f"]] = r
    out = [by_iri[f] for f in page if f in by_iri]
    _others(b, out)
    return out, len(found)


def _report_order(fact: str) -> tuple:
    """(report id, clause start, end, the rest) from a fact's IRI (…/fact/ID/START-END, then
    the agent where one clause gives several facts); other IRIs after, by their text."""
    parsed = iris.parse(fact)
    if parsed and len(parsed[1]) >= 2:
        start, _, end = parsed[1][1].partition("-")
        if start.isdigit() and end.isdigit():
            return (0, parsed[1][0], int(start), int(end), "/".join(parsed[1][2:]))
    return (1, fact, 0, 0, "")


def _others(b: Backend, facts: list[dict]) -> None:
    """Each fact's named participants and likely executors (with the basis), never mixed with
    its agent: what a reader must see beside the agent to know who else is in the clause."""
    if not facts:
        return
    by_iri = {f["f"]: f for f in facts}
    values = " ".join(iri(f) for f in by_iri)
    for r in b.rows(f"""SELECT ?f ?x ?label ?basis ?how WHERE {{ VALUES ?f {{ {values} }}
            {{ ?f zw:participant ?x BIND("named" AS ?how) }}
            UNION {{ ?f zw:likelyExecutor ?x ; zw:likelyBasis ?basis BIND("likely" AS ?how) }}
            ?x skos:prefLabel ?label }} ORDER BY ?label"""):
        key = "participants" if r["how"] == "named" else "likely_executors"
        entry = {"x": r["x"], "label": r["label"], "basis": r.get("basis")}
        if entry not in by_iri[r["f"]][key]:
            by_iri[r["f"]][key].append(entry)


def departments_of(b: Backend, where: str) -> list[dict]:
    """The departments of the facts `where` selects (binding ?f), each with how many of them
    state it as agent, name it, or make it the likely executor; most stated first, 100 at most.
    (`n` is the stated count.) The facts are found first, then their departments by the facts'
    IRIs, a thousand at a time: one join made the store read every fact's links."""
    found = [r["f"] for r in b.rows(f"SELECT DISTINCT ?f WHERE {{ {where} }}")]
    counts: dict[str, dict[str, int]] = {}
    # counted by the store, chunk by chunk (the chunks hold different facts, so their counts add up)
    for values in iri_values(found):
        for r in b.rows(f"""SELECT ?x ?how (COUNT(DISTINCT ?f) AS ?n) WHERE {{ VALUES ?f {{ {values} }}
                {{ ?f {ACTED_BY} ?x BIND("stated" AS ?how) }} UNION {{ ?f zw:participant ?x BIND("named" AS ?how) }}
                UNION {{ ?f zw:likelyExecutor ?x BIND("likely" AS ?how) }} }} GROUP BY ?x ?how"""):
            c = counts.setdefault(r["x"], {"stated": 0, "named": 0, "likely": 0})
            c[r["how"]] += int(r["n"])
    return _labelled(b, counts, "Department",
                     lambda r: (-r["stated"], -r["named"], -r["likely"], r["label"]), stated_n=True)


def related(b: Backend, where: str, var: str, cls: str) -> list[dict]:
    """The entities of class `cls` that `where` binds to ?x beside its facts ?f, with how many
    facts; the most first, 100 at most. (Counted first, labelled after: see departments_of.)"""
    counts = {r["x"]: {"n": int(r["n"])} for r in b.rows(
        f"SELECT ?x (COUNT(DISTINCT ?f) AS ?n) WHERE {{ {where} }} GROUP BY ?x") if _plain_iri(r["x"] or "")}
    return _labelled(b, counts, cls, lambda r: (-r["n"], r["label"]))


def _labelled(b: Backend, counts: dict[str, dict], cls: str, order, stated_n: bool = False) -> list[dict]:
    """Rows {x, label, counts…} for the IRIs of `counts` that are of class `cls`, sorted by
    `order`, the first 100."""
    rows = []
    for values in iri_values(counts):
        for r in b.rows(f"SELECT ?x (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?x {{ {values} }} ?x a zw:{cls} ; "
                        f"skos:prefLabel ?l }} GROUP BY ?x"):
            row = {"x": r["x"], "label": r["label"], **counts[r["x"]]}
            if stated_n:
                row["n"] = row["stated"]
            rows.append(row)
    rows.sort(key=lambda r: (order(r), r["x"]))  # ties by IRI: the same 100 in every process
    return rows[:100]


def _plain_iri(text: str) -> bool:
    return bool(text) and not UNSAFE_IRI.search(text)


def entity(b: Backend, node: str) -> dict | None:
    cls = exists(b, node)
    if cls is None:
        return None
    out: dict = {"iri": node, "type": cls, "label": label_of(b, node)}
    props = b.rows(f"""SELECT DISTINCT ?p ?o WHERE {{ {iri(node)} ?p ?o .
        FILTER(?p IN (skos:altLabel, zw:level, zw:kind, zw:regulationType, zw:placeType, zw:pinyin, zw:divisionCode,
                       zw:year, zw:period, dcterms:issued, dcterms:publisher, zw:indexNumber, zw:documentNumber,
                       dcterms:source, zw:action, zw:object, zw:unit, zw:indicator, zw:approximate, rdf:value)) }}""")
    for r in props:
        key = re.split(r"[#/]", r["p"])[-1]
        out.setdefault(key, [])
        if r["o"] not in out[key]:
            out[key].append(r["o"])
    n = iri(node)
    if cls == "Department":
        # what it did itself, and what a collective it belongs to did (区公安局、交通局…等9个部门)
        acted = f"{ACTED_BY} {n}"
        # three kinds of link, never mixed: stated (its agent, or a collective's member), named
        # (the clause names it without making it act), likely (inferred from its functions)
        _lists(b, out, node, {"facts": ("agent", f"?f {acted} ."), "named": ("participant", f"?f zw:participant {n} ."),
                              "likely": ("likely", f"?f zw:likelyExecutor {n} .")})
        basis = {r["f"]: r["b"] for r in b.rows(f"SELECT ?f ?b WHERE {{ ?f zw:likelyExecutor {n} ; zw:likelyBasis ?b }}")}
        for f in out["likely"]:
            f["basis"] = basis.get(f["f"])
        out["regulations"] = related(b, f"?f {acted} ; zw:regulation ?x .", "x", "Regulation")
        out["places"] = related(b, f"?f {acted} ; prov:atLocation ?x .", "x", "Place")
        out["initiatives"] = related(b, f"?f {acted} ; zw:initiative ?x .", "x", "Initiative")
        out["acted_with"] = related(b, f"?f {acted} ; zw:participant|({ACTED_BY}) ?x . "
                                       f"FILTER(?x != {n})", "x", "Department")
        # labels inside each branch: joined after the UNION, the store would read every metric first
        out["metrics"] = b.rows(f"""SELECT DISTINCT ?x ?label WHERE {{
            {{ ?x zw:subject {n} ; a zw:Metric ; rdfs:label ?label }}
            UNION {{ ?f prov:wasAssociatedWith {n} ; zw:agentImplicit false ; zw:metric ?x .
                     ?x a zw:Metric ; rdfs:label ?label }} }} LIMIT 200""")
        out["parent"] = b.rows(f"SELECT DISTINCT ?x ?label WHERE {{ {n} org:subOrganizationOf ?x . "
                               f"?x skos:prefLabel ?label }}")
        out["units"] = b.rows(f"SELECT DISTINCT ?x ?label WHERE {{ ?x org:subOrganizationOf {n} ; skos:prefLabel ?label }}")
        # the reports it appears in, with their periods (2022-H1), the latest first
        out["reports"] = b.rows(f"""SELECT ?x (SAMPLE(?t) AS ?label) (SAMPLE(?p) AS ?period) WHERE {{
            {n} zw:mentionedIn ?x . ?x dcterms:title ?t . OPTIONAL {{ ?x zw:period ?p }} }}
            GROUP BY ?x ORDER BY DESC(?period) ?label LIMIT 200""")
    elif cls == "Regulation":
        _lists(b, out, node, {"facts": ("regulation", f"?f zw:regulation {n} ."),
                              "under": ("heading", f"?sec zw:headingNames {n} . ?f zw:section/dcterms:isPartOf* ?sec .")})
        out["departments"] = departments_of(b, f"?f zw:regulation {n} .")
        out["issuer"] = b.rows(f"SELECT DISTINCT ?x ?label WHERE {{ {n} eli:passed_by ?x . ?x skos:prefLabel ?label }}")
        out["reports"] = b.rows(f"SELECT DISTINCT ?x ?label WHERE {{ {n} zw:mentionedIn ?x . ?x dcterms:title ?label }}")
    elif cls == "Initiative":
        # the facts naming it, and the work reported under a heading that names it
        _lists(b, out, node, {"facts": ("initiative", f"?f zw:initiative {n} ."),
                              "under": ("heading", f"?sec zw:headingNames {n} . ?f zw:section/dcterms:isPartOf* ?sec .")})
        out["departments"] = departments_of(b, f"?f zw:initiative {n} .")
        out["reports"] = b.rows(f"SELECT DISTINCT ?x ?label WHERE {{ {n} zw:mentionedIn ?x . ?x dcterms:title ?label }}")
    elif cls == "Place":
        out["hierarchy"] = b.rows(f"""SELECT ?x ?label (COUNT(DISTINCT ?mid) AS ?depth) WHERE {{
            {n} zw:within+ ?x . ?x skos:prefLabel ?label . OPTIONAL {{ ?x zw:within+ ?mid }} }}
            GROUP BY ?x ?label ORDER BY ?depth""")
        out["children"] = b.rows(f"SELECT DISTINCT ?x ?label WHERE {{ ?x zw:within {n} ; skos:prefLabel ?label }} ORDER BY ?label")
        _lists(b, out, node, {"facts": ("place", within(n))})
        out["departments"] = departments_of(b, within(n))
    elif cls == "Collective":
        out["facts"] = facts(b, f"?f prov:wasAssociatedWith {n} .")
        out["members"] = b.rows(f"SELECT DISTINCT ?x ?label WHERE {{ {n} zw:member ?x . ?x skos:prefLabel ?label }}")
    elif cls == "Fact":
        f = facts(b, f"VALUES ?f {{ {n} }}")
        out.update(f[0] if f else {})
        for key, pred, c in (("regulations", "zw:regulation", "Regulation"), ("initiatives", "zw:initiative", "Initiative"),
                             ("places", "prov:atLocation", "Place"), ("participants", "zw:participant", "Department")):
            out[key] = b.rows(f"SELECT DISTINCT ?x ?label WHERE {{ {n} {pred} ?x . ?x skos:prefLabel ?label }}")
        out["metrics"] = b.rows(f"SELECT DISTINCT ?x ?label WHERE {{ {n} zw:metric ?x . ?x rdfs:label ?label }}")
        out["likely_executors"] = b.rows(f"""SELECT DISTINCT ?x ?label ?basis WHERE {{ {n} zw:likelyExecutor ?x ;
            zw:likelyBasis ?basis . ?x skos:prefLabel ?label }}""")
    elif cls == "Metric":
        out["evidence"] = b.rows(f"""SELECT ?sentence ?start ?doc ?docId WHERE {{ {n} zw:sentence ?sentence ;
            zw:start ?start ; prov:wasDerivedFrom ?doc . ?doc dcterms:identifier ?docId }} LIMIT 1""")
    return out


def _lists(b: Backend, out: dict, node: str, lists: dict[str, tuple[str, str]]) -> None:
    """Each list of facts of a page (the first FACTS_SHOWN), how many it holds in all, and the
    /facts address that lists them all."""
    out["totals"], out["all"] = {}, {}
    for key, (param, where) in lists.items():
        out[key], out["totals"][key] = fact_list(b, where)
        out["all"][key] = "/facts?" + urlencode({param: node})

def overview(b: Backend) -> dict:
    m = b.manifest
    docs = sorted(({"id": k, **{x: v.get(x) for x in ("title", "region", "period", "facts")}}
                   for k, v in m.get("documents", {}).items()), key=lambda d: (d["region"] or "", d["period"] or ""))
    counts = {c: int(b.rows(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a zw:{c} }}")[0]["n"])
              for c in (*ENTITY_TYPES, "Fact", "Metric") if c != "Collective"}
    return {"documents": docs, "counts": counts, "regions": sorted({d["region"] for d in docs if d["region"]}),
            "periods": sorted({d["period"] for d in docs if d["period"]}), "built": m.get("built")}



_TABLES: dict[tuple[str, str], list[dict]] = {}
_TABLES_LOCK = threading.Lock()


def _table(b: Backend, name: str, compute) -> list[dict]:
    """A browse table of the current build, computed once per build and process: counting over
    the whole corpus takes seconds at a million triples, paging and sorting it then nothing."""
    key = (str(b.build), name)
    with _TABLES_LOCK:
        rows = _TABLES.get(key)
    if rows is None:
        rows = compute()
        with _TABLES_LOCK:
            for old in [k for k in _TABLES if k[0] != key[0]]:  # a new build: the old tables go
                del _TABLES[old]
            _TABLES[key] = rows
    return rows


def _first_values(b: Backend, sparql: str, keep=None) -> dict[str, str]:
    """subject -> its first value in sorted order (?s ?v), the same in every build."""
    out: dict[str, str] = {}
    for r in b.rows(sparql):
        s, v = r["s"], r["v"]
        if v is not None and (keep is None or s in keep) and (s not in out or v < out[s]):
            out[s] = v
    return out


def _counts(b: Backend, sparql: str) -> dict[str, int]:
    return {r["x"]: int(r["n"]) for r in b.rows(sparql)}


def _department_rows(b: Backend) -> list[dict]:
    kinds = {r["s"] for r in b.rows("SELECT ?s WHERE { ?s a zw:Department }")}
    labels = _first_values(b, "SELECT ?s ?v WHERE { ?s skos:prefLabel ?v }", kinds)
    levels = _first_values(b, "SELECT ?s ?v WHERE { ?s zw:level ?v }", kinds)
    body_kinds = _first_values(b, "SELECT ?s ?v WHERE { ?s zw:kind ?v }", kinds)
    # stated: its own facts and its collectives' (区公安局、交通局…等9个部门), each fact once
    direct = _counts(b, "SELECT ?x (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f prov:wasAssociatedWith ?x } GROUP BY ?x")
    via = _counts(b, "SELECT ?x (COUNT(DISTINCT ?f) AS ?n) WHERE { ?c zw:member ?x . ?f prov:wasAssociatedWith ?c } "
                     "GROUP BY ?x")
    both = _counts(b, "SELECT ?x (COUNT(DISTINCT ?f) AS ?n) WHERE { ?c zw:member ?x . ?f prov:wasAssociatedWith ?c . "
                      "?f prov:wasAssociatedWith ?x } GROUP BY ?x")
    named = _counts(b, "SELECT ?x (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f zw:participant ?x } GROUP BY ?x")
    likely = _counts(b, "SELECT ?x (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f zw:likelyExecutor ?x } GROUP BY ?x")
    return [{"d": d, "label": labels[d], "level": levels.get(d), "kind": body_kinds.get(d),
             "stated": direct.get(d, 0) + via.get(d, 0) - both.get(d, 0), "named": named.get(d, 0),
             "likely": likely.get(d, 0)} for d in kinds if d in labels]


# ties by IRI, so that every process shows the same pages (see sort_browse_rows)
DEPARTMENT_ORDER = {"stated": lambda r: (-r["stated"], -r["named"], r["label"], r["d"]),
                    "named": lambda r: (-r["named"], -r["stated"], r["label"], r["d"]),
                    "likely": lambda r: (-r["likely"], -r["stated"], r["label"], r["d"]),
                    "name": lambda r: (r["label"], r["d"])}


def department_index(b: Backend, sort: str = "stated", level: str | None = None, kind: str | None = None,
                     limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    """Departments with how many facts state them as the agent, name them, or make them the
    likely executor; sorted, filtered by level and kind, a page at a time. (rows, total)"""
    rows = [r for r in _table(b, "departments", lambda: _department_rows(b))
            if (not level or r["level"] == level) and (not kind or r["kind"] == kind)]
    rows.sort(key=DEPARTMENT_ORDER.get(sort, DEPARTMENT_ORDER["stated"]))
    return [dict(r) for r in rows[offset:offset + limit]], len(rows)


# the browse pages of places and initiatives: what each row counts, and its facets. The facts
# are counted by their link alone: only facts have one (zw:regulation and zw:initiative have the
# domain zw:Fact; the graph gives only facts a prov:atLocation), and a type joined in made the
# store read every typed node (1.1 s against 0.2 s at 4M triples); the rows keep the entities
# of the class
BROWSE = {
    "Place": {"counts": {"facts": "?c prov:atLocation ?e", "reports": "?e a zw:Place ; zw:mentionedIn ?c"},
              "facets": {"placeType": "zw:placeType"}, "parent": True},
    "Initiative": {"counts": {"facts": "?c zw:initiative ?e", "reports": "?e a zw:Initiative ; zw:mentionedIn ?c"},
                   "facets": {}, "parent": False},
    "Regulation": {"counts": {"facts": "?c zw:regulation ?e", "reports": "?e a zw:Regulation ; zw:mentionedIn ?c"},
                   "facets": {"level": "zw:level", "regulationType": "zw:regulationType"}, "parent": False},
}


def _browse_rows(b: Backend, cls: str) -> list[dict]:
    conf = BROWSE[cls]
    kinds = {r["s"] for r in b.rows(f"SELECT ?s WHERE {{ ?s a zw:{cls} }}")}
    # the values of the class's own nodes (every label of the corpus was read, then filtered)
    labels = _first_values(b, f"SELECT ?s ?v WHERE {{ ?s a zw:{cls} ; skos:prefLabel ?v }}", kinds)
    facets = {k: _first_values(b, f"SELECT ?s ?v WHERE {{ ?s a zw:{cls} ; {p} ?v }}", kinds)
              for k, p in conf["facets"].items()}
    parents = _first_values(b, "SELECT ?s ?v WHERE { ?s zw:within ?v }", kinds) if conf["parent"] else {}
    counts = {name: {r["e"]: int(r["n"]) for r in b.rows(
        f"SELECT ?e (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {pattern} }} GROUP BY ?e")}
        for name, pattern in conf["counts"].items()}
    rows = []
    for e in kinds:
        if e not in labels:
            continue
        row = {"e": e, "label": labels[e], **{k: v.get(e) for k, v in facets.items()},
               **{name: c.get(e, 0) for name, c in counts.items()}}
        if conf["parent"]:
            row["parent"] = parents.get(e)
            row["parentLabel"] = labels.get(parents.get(e)) if parents.get(e) else None
        rows.append(row)
    return rows


def browse_index(b: Backend, cls: str, sort: str = "facts", facets: dict | None = None,
                 limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    """Entities of `cls` (Place, Initiative) with what BROWSE counts for them, filtered by facet
    values, sorted by a count (most first) or by name, a page at a time. (rows, total)"""
    conf = BROWSE[cls]
    chosen = {k: v for k, v in (facets or {}).items() if k in conf["facets"] and v}
    rows = [r for r in _table(b, cls, lambda: _browse_rows(b, cls)) if all(r.get(k) == v for k, v in chosen.items())]
    sort_browse_rows(rows, sort if sort == "name" or sort in conf["counts"] else next(iter(conf["counts"])))
    return [dict(r) for r in rows[offset:offset + limit]], len(rows)


def sort_browse_rows(rows: list[dict], sort: str) -> None:
    """By name, or by the count `sort` (most first, then by name); rows that tie (three villages
    named 三山村) by their IRIs: the table is built from a set, whose order changes from one
    process to the next, and every process must show the same page 3."""
    if sort == "name":
        rows.sort(key=lambda r: (r["label"], r["e"]))
    else:
        rows.sort(key=lambda r: (-r[sort], r["label"], r["e"]))


def facet_values(b: Backend, cls: str) -> dict[str, list[tuple[str, int]]]:
    """(value, entities) of each facet of a browse page, most first."""
    rows = _table(b, cls, lambda: _browse_rows(b, cls))
    out = {}
    for k in BROWSE[cls]["facets"]:
        counts: dict[str, int] = {}
        for r in rows:
            if r.get(k):
                counts[r[k]] = counts.get(r[k], 0) + 1
        out[k] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return out


def warm(b: Backend) -> None:
    """Compute the browse tables of the current build (at start, so that the first reader of a
    large corpus does not wait for them)."""
    department_index(b, limit=1)
    for cls in BROWSE:  # places, initiatives, regulations
        browse_index(b, cls, limit=1)


# what /facts can narrow to: the facts that state, name or (likely) mean a department, act under
# a regulation or in an initiative, stand under a heading naming one (二、深化“放管服”改革), or
# happened in a place (or a place within it)
FACT_FILTERS = {"agent": "?f {acted} <{x}> .", "participant": "?f zw:participant <{x}> .",
                "likely": "?f zw:likelyExecutor <{x}> .", "regulation": "?f zw:regulation <{x}> .",
                "initiative": "?f zw:initiative <{x}> .",
                "heading": "?sec zw:headingNames <{x}> . ?f zw:section/dcterms:isPartOf* ?sec .", "place": "{{ SELECT DISTINCT ?at WHERE {{ ?at zw:within* <{x}> }} }} ?f prov:atLocation ?at ."}
IRI_TEXT = re.compile(r"https?://[^\s<>\"{}|^`\\]+")


def fact_index(b: Backend, report: str | None = None, limit: int = 50, offset: int = 0,
               **filters: str | None) -> tuple[list[dict], int]:
    """Facts in report order (a report's id and FACT_FILTERS narrow them), each with its
    sentence, agent and report. (rows, total) Without filters the manifest says how many facts
    each report holds, so only the reports of the page are read; with them, the facts are found
    first and described by their IRIs (ordered by them: see fact_list)."""
    conds = [FACT_FILTERS[k].format(acted=ACTED_BY, x=x) for k, x in filters.items()
             if k in FACT_FILTERS and x and IRI_TEXT.fullmatch(x)]
    docs = b.manifest.get("documents", {})
    if report and report not in docs:
        return [], 0
    if not conds:
        ids = [report] if report else sorted(docs)
        total = sum(int(docs[d].get("facts") or 0) for d in ids)
        page: list[str] = []
        skip = max(0, offset)
        for d in ids:
            n = int(docs[d].get("facts") or 0)
            if skip >= n:
                skip -= n
                continue
            node = iris.mint("Report", d, under=b.base)
            if not _plain_iri(node):
                continue
            found = sorted((r["f"] for r in b.rows(f"SELECT ?f WHERE {{ ?f prov:wasDerivedFrom <{node}> ; a zw:Fact }}")),
                           key=_report_order)
            page += found[skip:skip + limit - len(page)]
            skip = 0
            if len(page) >= limit:
                break
    else:
        if report:
            conds.append(f"?f prov:wasDerivedFrom <{iris.mint('Report', report, under=b.base)}> .")
        found = sorted({r["f"] for r in b.rows(f"SELECT DISTINCT ?f WHERE {{ {' '.join(conds)} }}")},
                       key=_report_order)
        total, page = len(found), found[offset:offset + limit]
    page = [f for f in page if _plain_iri(f)]
    if not page:
        return [], total
    rows = b.rows(f"""SELECT ?f ?doc ?start (SAMPLE(?i) AS ?report) (SAMPLE(?t) AS ?title) (SAMPLE(?s) AS ?sentence)
            (SAMPLE(?a) AS ?agent) (SAMPLE(?al) AS ?agentLabel) (SAMPLE(?imp) AS ?implicit) WHERE {{
        VALUES ?f {{ {" ".join(f"<{f}>" for f in page)} }}
        ?f prov:wasDerivedFrom ?doc ; zw:start ?start . ?doc dcterms:identifier ?i ; dcterms:title ?t .
        OPTIONAL {{ ?f zw:sentence ?s }}
        OPTIONAL {{ ?f prov:wasAssociatedWith ?a . ?a skos:prefLabel ?al }}
        OPTIONAL {{ ?f zw:agentImplicit ?imp }}
    }} GROUP BY ?f ?doc ?start""")
    by_iri = {r["f"]: r for r in rows}
    out = [by_iri[f] for f in page if f in by_iri]
    for r in out:
        r["start"] = int(r["start"])
    return out, total
