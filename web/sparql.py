"""The SPARQL 1.1 Protocol endpoint (/sparql) and the query page (/query)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from kg.vocab import sparql_prefixes

from .gallery import gallery
from .sparql_runner import GRAPH_TYPES, RESULT_TYPES, QueryRefused

bp = Blueprint("sparql", __name__)

RESULT_BY_MIME = {v: k for k, v in RESULT_TYPES.items()} | {"application/json": "json", "application/xml": "xml",
                                                            "text/xml": "xml"}
GRAPH_BY_MIME = {v: k for k, v in GRAPH_TYPES.items()} | {"application/json": "jsonld", "text/plain": "ntriples"}
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type, Accept",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS"}


def _service_description() -> Response:
    base = request.url_root.rstrip("/") + "/sparql"
    ttl = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
<{base}> a sd:Service ;
    sd:endpoint <{base}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD> ;
    sd:feature sd:UnionDefaultGraph .
"""
    return Response(ttl, mimetype="text/turtle", headers=CORS)


def _error(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain", headers=CORS)


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS)
    if request.method == "POST":
        ctype = (request.mimetype or "").lower()
        if ctype == "application/sparql-query":
            query = request.get_data(as_text=True)
        elif ctype == "application/sparql-update" or "update" in request.form:
            return _error(403, "this endpoint is read-only: SPARQL Update is refused")
        else:
            query = request.form.get("query")
    else:
        if "update" in request.args:
            return _error(403, "this endpoint is read-only: SPARQL Update is refused")
        query = request.args.get("query")
    if not query:
        accept = request.accept_mimetypes
        if accept.best_match(["text/html", "text/turtle"]) == "text/html" and accept["text/html"] >= accept["text/turtle"] \
                and "text/html" in accept.values():
            return query_page()
        return _service_description()
    accept = request.accept_mimetypes
    fmt = RESULT_BY_MIME.get(accept.best_match(list(RESULT_BY_MIME), default="application/sparql-results+json"), "json")
    graph_fmt = GRAPH_BY_MIME.get(accept.best_match(list(GRAPH_BY_MIME), default="text/turtle"), "turtle")
    if request.args.get("format") in RESULT_TYPES:
        fmt = request.args["format"]
    backend = current_app.extensions["kg"]
    try:
        mime, body, truncated, count, seconds = backend.runner.run(backend.location, query, fmt, graph_fmt)
    except QueryRefused as e:
        return _error(e.status, str(e))
    headers = dict(CORS)
    headers["X-Query-Time"] = f"{seconds:.3f}"
    if truncated:
        headers["X-Truncated"] = f"true; only the first {count} results are returned"
    if fmt == "csv" and mime == "text/csv" and request.args.get("download"):
        headers["Content-Disposition"] = "attachment; filename=results.csv"
    return Response(body, mimetype=mime, headers=headers)


@bp.route("/query")
def query_page():
    q = request.args.get("query") or request.args.get("q") or ""
    if not q and request.args.get("example"):
        ex = next((x for x in gallery() if x["id"] == request.args["example"]), None)
        q = ex["query"] if ex else ""
    run = bool(request.args.get("run") and q)
    result = error = None
    if run:
        result, error = _run_for_page(q)
    return render_template("sparql.html", query=q or sparql_prefixes() + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 10",
                           prefixes=sparql_prefixes(), gallery=gallery(), run=run, result=result, error=error)


def _run_for_page(q: str):
    """Run a query for the HTML page: a table whose IRIs show their labels."""
    import json
    backend = current_app.extensions["kg"]
    try:
        mime, body, truncated, count, seconds = backend.runner.run(backend.location, q, "json", "turtle")
    except QueryRefused as e:
        return None, str(e)
    if not mime.startswith("application/sparql-results"):
        return {"graph": body.decode("utf-8"), "seconds": seconds, "truncated": truncated}, None
    d = json.loads(body)
    if "boolean" in d:
        return {"boolean": d["boolean"], "seconds": seconds}, None
    variables = d["head"]["vars"]
    rows = [[row.get(v) for v in variables] for row in d["results"]["bindings"]]
    iris = sorted({c["value"] for r in rows for c in r if c and c["type"] == "uri"})[:2000]
    labels = {}
    if iris:
        values = " ".join(f"<{i}>" for i in iris if not any(ch in i for ch in '<>" {}|^`\\'))
        for r in backend.rows(f"SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?s {{ {values} }} "
                              f"?s skos:prefLabel|dcterms:title|rdfs:label ?l }} GROUP BY ?s"):
            labels[r["s"]] = r["label"]
    return {"vars": variables, "rows": rows, "labels": labels, "seconds": seconds, "truncated": truncated,
            "count": count}, None
