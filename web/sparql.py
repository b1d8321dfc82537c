"""The SPARQL 1.1 Protocol endpoint (/sparql) and the query page (/query)."""
from __future__ import annotations

import io
import json
import re
from functools import lru_cache
from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import HTTP_STATUS_CODES, parse_accept_header

from kg.core.vocab import sparql_prefixes

from web.backend import MAX_REQUEST_BYTES

from web import workbench
from web.gallery import gallery
from web.sparql_runner import GRAPH_TYPES, RESULT_TYPES, QueryRefused

bp = Blueprint("sparql", __name__)

RESULT_BY_MIME = {v: k for k, v in RESULT_TYPES.items()} | {"application/json": "json", "application/xml": "xml",
                                                            "text/xml": "xml"}
GRAPH_BY_MIME = {v: k for k, v in GRAPH_TYPES.items()} | {"application/json": "jsonld", "text/plain": "ntriples"}
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type, Accept",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS"}


def _service_description() -> Response:
    # the endpoint's address from the build's base, never from the request's Host header
    base = current_app.extensions["kg"].base + "sparql"
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


def _plain(status: int, message: str, accept: str = "") -> tuple[int, list, bytes]:
    """(status, headers, body) of a refusal or error: JSON where the client asked for JSON,
    else plain text; either way it says what was wrong."""
    best = parse_accept_header(accept or "", MIMEAccept).best_match(
        ["text/plain", "application/json", "application/sparql-results+json"], default="text/plain")
    if best != "text/plain":
        body = json.dumps({"error": HTTP_STATUS_CODES.get(status, ""), "status": status, "message": message},
                          ensure_ascii=False).encode()
        return status, [("Content-Type", "application/json"), *CORS.items()], body
    return status, [("Content-Type", "text/plain; charset=utf-8"), *CORS.items()], (message + "\n").encode()


def _error(status: int, message: str, accept: str = "") -> Response:
    status, headers, body = _plain(status, message, accept)
    return Response(body, status=status, headers=headers)


class ProtocolError(QueryRefused):
    """A request the SPARQL 1.1 Protocol does not allow: `status` and what was wrong."""


FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


def protocol_query(method: str, content_type: str | None, args: dict[str, list[str]], body: bytes
                   ) -> tuple[str | None, bool]:
    """(query, is an update) of a SPARQL Protocol request: a GET with ?query=, a POST of
    application/sparql-query (UTF-8) or of a form; one query at most. ProtocolError otherwise."""
    update = "update" in args
    queries = list(args.get("query", []))
    if method == "POST":
        ctype, _, params = (content_type or "").partition(";")
        ctype = ctype.strip().lower()
        charset = "utf-8"
        for param in params.split(";"):
            k, _, v = param.partition("=")
            if k.strip().lower() == "charset" and v.strip():
                charset = v.strip().strip('"').lower()
        if ctype == "application/sparql-update":
            return None, True
        if ctype not in (DIRECT, FORM):
            raise ProtocolError(415, f"POST a query as {DIRECT} or as a {FORM} form, not as "
                                     f"{ctype or 'a body without a Content-Type'}")
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(415, f"a query is sent in UTF-8, not in {charset}")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ProtocolError(400, f"the request body is not UTF-8 (byte {e.start})") from None
        if ctype == DIRECT:
            queries.append(text)
        else:
            form = parse_qs(text, keep_blank_values=True)
            queries += form.get("query", [])
            update = update or "update" in form
    if len(queries) > 1:
        raise ProtocolError(400, f"the request holds {len(queries)} queries; send one")
    return (queries[0] if queries else None), update


def _request_args(query_string: str) -> dict[str, list[str]]:
    return parse_qs(query_string, keep_blank_values=True)


@lru_cache(maxsize=512)
def formats(accept: str, fmt_param: str | None) -> tuple[str, str]:
    """(results format, graph format) for an Accept header; ?format= chooses the results format."""
    a = parse_accept_header(accept or "", MIMEAccept)
    fmt = RESULT_BY_MIME.get(a.best_match(list(RESULT_BY_MIME), default="application/sparql-results+json"), "json")
    graph_fmt = GRAPH_BY_MIME.get(a.best_match(list(GRAPH_BY_MIME), default="text/turtle"), "turtle")
    if fmt_param in RESULT_TYPES:
        fmt = fmt_param
    return fmt, graph_fmt


def _content_type(mime: str) -> str:
    return mime + "; charset=utf-8" if mime.startswith("text/") else mime


def answer(query: str, accept: str, fmt_param: str | None, download: bool, backend) -> tuple[int, list, bytes]:
    """(status, headers, body): the query's results in the format the Accept header asks for."""
    fmt, graph_fmt = formats(accept, fmt_param)
    try:
        mime, body, truncated, count, seconds = backend.runner.run(backend.location, query, fmt, graph_fmt,
                                                                   base_iri=backend.base + "sparql")
    except QueryRefused as e:
        return _plain(e.status, str(e), accept)
    headers = [("Content-Type", _content_type(mime)), *CORS.items(), ("X-Query-Time", f"{seconds:.3f}")]
    if truncated:
        headers.append(("X-Truncated", f"true; only the first {count} results are returned"))
    if download:  # a file for people: CSV with a byte-order mark, so Excel reads Chinese as UTF-8
        ext = {"csv": "csv", "tsv": "tsv", "json": "json", "xml": "xml"}.get(fmt, "txt") \
            if mime.startswith(("text/csv", "text/tab", "application/sparql-results")) else "ttl"
        headers.append(("Content-Disposition", f"attachment; filename=results.{ext}"))
        if mime == "text/csv":
            body = b"\xef\xbb\xbf" + body
    return 200, headers, body


from kg.graph.sparql_guard import READ_ONLY  # noqa: E402


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS)
    accept = request.headers.get("Accept", "")
    if request.mimetype == "multipart/form-data":  # not the Protocol's, but browsers' forms send it
        queries = request.form.getlist("query") + request.args.getlist("query")
        if len(queries) > 1:
            return _error(400, f"the request holds {len(queries)} queries; send one", accept)
        query, update = (queries[0] if queries else None), "update" in request.form or "update" in request.args
    else:
        try:
            query, update = protocol_query(request.method, request.headers.get("Content-Type"),
                                           _request_args(request.query_string.decode("utf-8", "replace")),
                                           request.get_data())
        except ProtocolError as e:
            return _error(e.status, str(e), accept)
    if update:
        return _error(403, READ_ONLY, accept)
    if not query:
        acc = request.accept_mimetypes
        if acc.best_match(["text/html", "text/turtle"]) == "text/html" and acc["text/html"] >= acc["text/turtle"] \
                and "text/html" in acc.values():
            return query_page()
        return _service_description()
    status, headers, body = answer(query, accept, request.args.get("format"),
                                   bool(request.args.get("download")), current_app.extensions["kg"])
    return Response(body, status=status, headers=headers)


def fast_path(app):
    """WSGI middleware: a GET or POST that carries a query (or is refused) is answered here,
    without Flask's request objects, context, hooks and routing (most of the endpoint's fixed
    cost per request); everything else (the query page, the service description, ?lang=,
    multipart forms) goes on to the app, with the request body as it came."""
    inner = app.wsgi_app
    backend = app.extensions["kg"]

    def respond(start_response, status, headers, body):
        headers = headers + [("Content-Length", str(len(body))), ("X-Content-Type-Options", "nosniff")]
        start_response(f"{status} {HTTP_STATUS_CODES.get(status, '')}", headers)
        return [body]

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") != "/sparql" or not backend.available():
            return inner(environ, start_response)
        method = environ.get("REQUEST_METHOD")
        # the query string as the server passed it: each byte one character (PEP 3333)
        args = _request_args(environ.get("QUERY_STRING", "").encode("latin-1", "replace").decode("utf-8", "replace"))
        ctype = environ.get("CONTENT_TYPE") or ""
        if "lang" in args or method not in ("GET", "POST") or ctype.lower().startswith("multipart/"):
            return inner(environ, start_response)
        accept = environ.get("HTTP_ACCEPT", "")
        raw = b""
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > MAX_REQUEST_BYTES:
                return respond(start_response, *_plain(413, f"the request body is over the limit of "
                                                            f"{MAX_REQUEST_BYTES >> 20} MiB", accept))
            raw = environ["wsgi.input"].read(length) if length > 0 else b""
        try:
            query, update = protocol_query(method, ctype, args, raw)
        except ProtocolError as e:
            return respond(start_response, *_plain(e.status, str(e), accept))
        if update:
            return respond(start_response, *_plain(403, READ_ONLY, accept))
        if not query:
            environ["wsgi.input"] = io.BytesIO(raw)
            environ["CONTENT_LENGTH"] = str(len(raw))
            return inner(environ, start_response)
        return respond(start_response, *answer(query, accept, (args.get("format") or [None])[0],
                                               bool((args.get("download") or [""])[0]), backend))
    return wsgi


@bp.route("/query", methods=["GET", "POST"])
def query_page():
    """The workbench. Everything is in the URL (query, example, run, page, sort, order, view and
    the chosen parameters), so a link reproduces the page; queries too long for a URL are posted."""
    args = request.values
    q = args.get("query") or args.get("q") or ""
    example = None
    if args.get("example"):
        example = next((x for x in gallery() if x["id"] == args["example"]), None)
        if example and not q:
            q = example["shown"]
    chosen = {var: args.get(f"p_{var}", "") for var, _ in workbench.params(q)}
    runnable = workbench.bind(q, chosen)
    run = bool(args.get("run") and q)
    view = workbench.view_of(q, args.get("view"))
    result = error = None
    if run:
        result, error = _run_for_page(runnable)
    if result and "vars" in result:
        result.update(workbench.shape(result["vars"], result["rows"], result["labels"],
                                      _int(args.get("page"), 1), args.get("sort"), args.get("order", "asc")))
        result["chart"] = workbench.chart(result["vars"], result["all_rows"], result["labels"], view) \
            if view != "table" else None
    choices = {var: _instances(cls) for var, cls in workbench.params(q)}
    state = {k: v for k, v in {"query": q, "run": "1" if run else "", "view": args.get("view") or "",
                               "sort": args.get("sort") or "", "order": args.get("order") or "",
                               **{f"p_{k}": v for k, v in chosen.items()}}.items() if v}
    return render_template("sparql.html", query=q or sparql_prefixes() + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 10",
                           runnable=runnable, prefixes=sparql_prefixes(), gallery=gallery(), run=run,
                           result=result, error=error, error_at=workbench.error_position(error or ""),
                           view=view, state=state, choices=choices, chosen=chosen, example=example,
                           terms=workbench.terms())


def _int(text, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _instances(cls: str) -> list[tuple[str, str]]:
    """(IRI, label) of a parameter's class, for its list (at most 500, by label)."""
    backend = current_app.extensions["kg"]
    if not re.fullmatch(r"\w+:\w+", cls):
        return []
    return [(r["e"], r["l"]) for r in backend.rows(
        f"SELECT ?e (SAMPLE(?label) AS ?l) WHERE {{ ?e a {cls} ; skos:prefLabel ?label }} GROUP BY ?e "
        f"ORDER BY ?l LIMIT 500")]


def _run_for_page(q: str):
    """Run a query for the HTML page: a table whose IRIs show their labels."""
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
    return {"vars": variables, "rows": rows, "all_rows": rows, "labels": labels, "seconds": seconds,
            "truncated": truncated, "count": count}, None
