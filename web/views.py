"""HTML pages and their JSON twins: home, search, entity pages, regulation index, reader."""
from __future__ import annotations

import csv
import html
import io
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from flask import (Blueprint, Response, abort, current_app, g, jsonify, render_template, request)
from werkzeug.exceptions import HTTPException

from index.search import SearchError, search
from kg.core import iris
from kg.core.types import PAGE_PATHS
from kg.graph.network import neighbourhood
from index.readings import by_first_letters
from kg.text.english import display_name
from web import model
from web.backend import NoData
from web.gallery import gallery
from web.graphview import svg
from web.i18n import kind_label, t

bp = Blueprint("pages", __name__)


def backend():
    return current_app.extensions["kg"]


def wants(*types: str) -> str:
    """The best of `types` for this request's Accept header (HTML for browsers)."""
    if request.args.get("format") == "json":
        return "application/json"
    best = request.accept_mimetypes.best_match(types, default=types[0])
    if best == "application/json" and request.accept_mimetypes["text/html"] >= request.accept_mimetypes[best] \
            and "text/html" in types:
        return "text/html"
    return best


def local_url(node: str | None) -> str:
    """The path this server answers for one of our IRIs (IRIs are minted under the build's base);
    another http(s) IRI as it is; "#" for anything else (javascript:, data: … are never links)."""
    if not node:
        return "#"
    base = backend().base
    if base and node.startswith(base):
        path = node[len(base):]
        # the IRI's escapes (%2F in a name, %2B …) stay as they are: encoded once, never twice
        return "/" + "/".join(quote(p, safe="()-_.~'%") for p in path.split("/"))
    if node.lower().startswith(("http://", "https://")):
        return node
    return "#"


def node_for_path(kind: str, rest: str) -> str:
    parts = [p for p in rest.split("/") if p]
    return backend().base + kind + "/" + "/".join(iris.segment(p) for p in parts)


def nodes_for_path(kind: str, rest: str) -> list[str]:
    """The IRIs a path may name: its parts as segments (a place's hierarchy), or, since the
    server sees %2F already decoded, the whole rest as one name that holds a "/"."""
    out = [node_for_path(kind, rest)]
    if "/" in rest.strip("/"):
        out.append(backend().base + kind + "/" + iris.segment(rest))
    return out


@bp.route("/")
def home():
    ov = model.overview(backend())
    examples = [{"q": q, "href": f"/search?q={quote(q)}"} for q in ("万安", "Bureau of Justice", "行政复议", "放管服", "tiaoyuan")]
    data = {"overview": ov, "examples": examples,
            "gallery": [{"id": x["id"], "title": x["title_en" if g.lang == "en" else "title_zh"]} for x in gallery()]}
    if wants("text/html", "application/json") == "application/json":
        return jsonify(data)
    return render_template("home.html", **data)


@bp.route("/search")
def search_page():
    q = request.args.get("q", "")
    typ = request.args.get("type") or None
    try:
        page = max(1, int(request.args.get("page", "1")))
        limit = max(1, min(100, int(request.args.get("limit", "20"))))
    except ValueError:
        abort(400, description="page and limit must be whole numbers")
    try:
        result = cached_search(str(backend().build), q, typ, limit, page)
    except SearchError as e:
        abort(400, description=str(e))
    if wants("text/html", "application/json") == "application/json":
        return jsonify(result)
    entities = [h for h in result["hits"] if h["type"] != "Passage"]
    passages = [h for h in result["hits"] if h["type"] == "Passage"]
    return render_template("search.html", q=q, type=typ, result=result, entities=entities, passages=passages,
                           page=page, limit=limit, initials=bool(result.get("read_as")) and by_first_letters(q))


@lru_cache(maxsize=2048)
def cached_search(build: str, q: str, typ: str | None, limit: int, page: int) -> dict:
    """Search results per build: popular queries repeat, and a new build has a new key."""
    return search(Path(build) / "index", q, type=typ, limit=limit, page=page)


@bp.route("/departments")
def departments():
    args = request.args
    page = max(1, int(args.get("page", "1")) if args.get("page", "1").isdigit() else 1)
    size = 100
    sort = args.get("sort", "stated") if args.get("sort") in model.DEPARTMENT_ORDER else "stated"
    rows, total = model.department_index(backend(), sort, args.get("level") or None, args.get("kind") or None,
                                         limit=size, offset=(page - 1) * size)
    fmt = "text/csv" if args.get("format") == "csv" else wants("text/html", "application/json")
    if fmt == "text/csv":
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["iri", "label", "level", "kind", "stated", "named", "likely"])
        w.writerows([r["d"], r["label"], r.get("level") or "", r.get("kind") or "", r["stated"], r["named"], r["likely"]]
                    for r in rows)
        return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=departments.csv"})
    data = {"departments": rows, "total": total, "page": page, "pages": (total + size - 1) // size, "sort": sort}
    if fmt == "application/json":
        return jsonify(data)
    return render_template("departments.html", **data, args=args)


def _page_arg() -> int:
    p = request.args.get("page", "1")
    return max(1, int(p)) if p.isdigit() else 1


def _csv(name: str, header: list[str], rows) -> Response:
    """A list as a CSV file for people: UTF-8 with a byte-order mark, so Excel reads Chinese."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}.csv"})


@bp.route("/regulations", defaults={"cls": "Regulation"})
@bp.route("/places", defaults={"cls": "Place"})
@bp.route("/initiatives", defaults={"cls": "Initiative"})
def browse(cls: str):
    """Regulations, places or initiatives with how many facts act under them / happened there /
    act in them and how many reports name them; facets (a regulation's level and type, a place's
    type), sorting, pages, CSV and JSON twins."""
    args = request.args
    size, page = 100, _page_arg()
    counts = list(model.BROWSE[cls]["counts"])
    sort = args.get("sort") if args.get("sort") in (*counts, "name") else counts[0]
    facets = {k: args.get(k) for k in model.BROWSE[cls]["facets"] if args.get(k)}
    rows, total = model.browse_index(backend(), cls, sort, facets, limit=size, offset=(page - 1) * size)
    fmt = "text/csv" if args.get("format") == "csv" else wants("text/html", "application/json")
    name = request.path.strip("/")
    if fmt == "text/csv":
        keys = ["e", "label", *model.BROWSE[cls]["facets"], *(["parentLabel"] if model.BROWSE[cls]["parent"] else []),
                *counts]
        return _csv(name, ["iri" if k == "e" else k for k in keys], ([r.get(k) or "" for k in keys] for r in rows))
    data = {name: rows, "total": total, "page": page, "pages": max(1, -(-total // size)), "sort": sort,
            "filters": facets}
    if fmt == "application/json":
        return jsonify(data)
    return render_template("browse.html", cls=cls, name=name, rows=rows, total=total, page=page,
                           pages=data["pages"], sort=sort, sorts=[*counts, "name"], facets=facets,
                           facet_values=model.facet_values(backend(), cls), parent=model.BROWSE[cls]["parent"],
                           counts=counts)


@bp.route("/facts")
def facts():
    """Every fact in report order, a page at a time; ?report=ID and the IRI filters of
    model.FACT_FILTERS (agent, participant, likely, regulation, initiative, heading, place) narrow it."""
    args = request.args
    size, page = 50, _page_arg()
    chosen = {k: args[k] for k in model.FACT_FILTERS if args.get(k)}
    rows, total = model.fact_index(backend(), args.get("report") or None, limit=size, offset=(page - 1) * size,
                                   **chosen)
    fmt = "text/csv" if args.get("format") == "csv" else wants("text/html", "application/json")
    if fmt == "text/csv":
        keys = ["f", "report", "start", "agentLabel", "sentence"]
        return _csv("facts", ["iri", "report", "start", "agent", "sentence"], ([r.get(k) or "" for k in keys]
                                                                              for r in rows))
    data = {"facts": rows, "total": total, "page": page, "pages": max(1, -(-total // size)),
            "filters": {**({"report": args["report"]} if args.get("report") else {}), **chosen}}
    if fmt == "application/json":
        return jsonify(data)
    reports = sorted(backend().manifest.get("documents", {}).items(), key=lambda kv: kv[1].get("title") or kv[0])
    labels = {k: model.label_of(backend(), v) for k, v in chosen.items() if model.IRI_TEXT.fullmatch(v)}
    return render_template("facts.html", **data, reports=reports, labels=labels, args=args)


@bp.route(f"/<any({','.join(PAGE_PATHS)}):kind>/<path:rest>")
def entity(kind: str, rest: str):
    candidates = nodes_for_path(kind, rest)
    node = next((n for n in candidates[1:] if model.exists(backend(), n)), candidates[0])
    fmt = wants("text/html", "application/json", "text/turtle", "application/ld+json", "application/n-triples")
    if fmt in ("text/turtle", "application/ld+json", "application/n-triples"):
        return rdf_description(node, fmt)
    try:
        data = model.entity(backend(), node)
    except ValueError:
        abort(400, description="not a valid entity address")
    if data is None:
        abort(404, description=f"no {kind} called {rest!r} in the built data")
    if request.args.get("view") == "graph":
        return Response(graph_svg(node), mimetype="image/svg+xml")
    if fmt == "application/json":
        return jsonify(data)
    graph = graph_svg(node, alone=False) if kind in ("department", "regulation", "initiative", "place",
                                                    "collective") else ""
    # a rough English name for English readers (place parts in pinyin, the kind of body translated)
    english = display_name(data.get("label") or "", "Department") if g.lang == "en" and kind == "department" else ""
    return render_template("entity.html", e=data, kind=kind, graph=graph, english=english)


def graph_svg(node: str, alone: bool = True) -> str:
    """The neighbourhood of `node` as SVG; without `alone`, nothing for a node with no neighbours
    (a box holding one dot answers nothing)."""
    net = neighbourhood(backend().rows, node)
    if not alone and net.number_of_nodes() <= 1:
        return ""
    return svg(net, local_url, legend=lambda kind: kind_label(kind, g.lang),
               fact_count=lambda n: t("one_fact", g.lang) if n == 1 else t("n_facts", g.lang).format(n=n))


@bp.route("/document/<docid>")
def document(docid: str):
    node = backend().base + "document/" + iris.segment(docid)
    fmt = wants("text/html", "application/json", "text/turtle", "application/ld+json", "application/n-triples")
    if fmt in ("text/turtle", "application/ld+json", "application/n-triples"):
        return rdf_description(node, fmt)
    data = model.entity(backend(), node)
    text = backend().text(docid)
    if data is None or text is None:
        abort(404, description=f"no report {docid!r} in the built data")
    data["text"] = text
    data["mentions"] = backend().mentions(docid)
    data["facts"] = model.facts(backend(), f"?f prov:wasDerivedFrom <{node}> .", limit=5000)
    data["sections"] = backend().rows(f"""SELECT ?s ?heading ?start ?level ?part WHERE {{
        ?s a zw:Section ; rdfs:label ?heading ; zw:start ?start ; zw:headingLevel ?level ;
           dcterms:isPartOf+ <{node}> .
        OPTIONAL {{ ?s zw:partKind ?part ; dcterms:isPartOf <{node}> }} }} ORDER BY ?start""")
    if fmt == "application/json":
        return jsonify(data)
    return render_template("document.html", d=data, body=annotate(text, data["mentions"], data["facts"],
                                                                  [int(r["start"]) for r in data["sections"]]))


def annotate(text: str, mentions: list[dict], facts: list[dict], anchors: list[int] = ()) -> str:
    """The report text as HTML: each fact's clause marked (`id="c<start>"`, its agent on hover, so a
    link to #c<start> scrolls to it and highlights it), mentions linked to their entities inside,
    and plain anchors at `anchors` (section starts) where no clause starts."""
    clauses, last = [], -1
    by_span: dict[tuple[int, int], list[dict]] = {}
    for f in facts:
        by_span.setdefault((f["start"], f["end"]), []).append(f)
    for (s, e), fs in sorted(by_span.items()):
        if s >= last and 0 <= s < e <= len(text):  # overlapping statements: the first one is marked
            clauses.append((s, e, fs))
            last = e
    starts = {s for s, _, _ in clauses}
    events = [(e, 0, "close", None) for _, e, _ in clauses] + [(s, 1, "open", fs) for s, _, fs in clauses]
    events += [(a, 2, "anchor", None) for a in set(anchors) - starts if 0 <= a <= len(text)]
    events += [(m["start"], 3, "mention", m) for m in mentions if 0 <= m["start"] < m["end"] <= len(text)]
    bounds = sorted({s for s, _, _ in clauses} | {e for _, e, _ in clauses})
    out, pos, open_end = [], 0, None
    for at, _, kind, item in sorted(events, key=lambda ev: (ev[0], ev[1])):
        if kind == "mention":
            m = item
            crosses = any(m["start"] < b < m["end"] for b in bounds)
            if m["start"] < pos or crosses:
                continue  # overlaps what is already written, or straddles a clause's edge: plain text
            out.append(html.escape(text[pos:m["start"]]))
            out.append(f'<a class="m m-{m["type"].lower()}" href="{html.escape(local_url(m["iri"]))}" '
                       f'title="{html.escape(m["label"])}">{html.escape(text[m["start"]:m["end"]])}</a>')
            pos = m["end"]
            continue
        if at < pos:
            continue
        out.append(html.escape(text[pos:at]))
        pos = at
        if kind == "close" and open_end == at:
            out.append("</span>")
            open_end = None
        elif kind == "open":
            agents = "、".join(dict.fromkeys(f.get("agentLabel") or "" for f in item))
            ends = next(e for s, e, _ in clauses if s == at)
            out.append(f'<span class="clause" id="c{at}" title="{html.escape(agents)}">')
            open_end = ends
        elif kind == "anchor":
            out.append(f'<span class="anchor" id="c{at}"></span>')
    out.append(html.escape(text[pos:]))
    if open_end is not None:
        out.append("</span>")
    return "".join(out).replace("\n", "<br>\n")


def rdf_description(node: str, mime: str) -> Response:
    import pyoxigraph as ox
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
           "application/n-triples": ox.RdfFormat.N_TRIPLES}[mime]
    try:
        triples = list(backend().query(f"CONSTRUCT {{ {model.iri(node)} ?p ?o }} WHERE {{ {model.iri(node)} ?p ?o }}"))
    except ValueError:
        abort(400, description="not a valid entity address")
    if not triples:
        abort(404, description="no such entity in the built data")
    return Response(ox.serialize(triples, format=fmt), mimetype=mime)


def register_errors(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        if wants("text/html", "application/json") == "application/json" or request.path.startswith(("/api/", "/sparql")):
            return jsonify({"error": e.name, "status": e.code, "message": e.description}), e.code
        return render_template("error.html", code=e.code, name=e.name, message=e.description), e.code

    @app.errorhandler(NoData)
    def no_data(e: NoData):
        if wants("text/html", "application/json") == "application/json":
            return jsonify({"error": "no data", "status": 503, "message": str(e)}), 503
        return render_template("error.html", code=503, name="No data", message=str(e)), 503
