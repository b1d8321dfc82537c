"""JSON-only endpoints: type-ahead suggestions and the OpenAPI description."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from index.search import SearchError, search
from kg.datafolder import index_dir
from web.views import local_url

bp = Blueprint("api", __name__)

SPARQL_RESPONSES = {
    "200": {"description": "SPARQL results or RDF by Accept (X-Truncated when cut at the row or size limit)"},
    "400": {"description": "syntax error (with line and column), unknown prefix, more than one query, or a query "
                           "nested or chained past the limits; the body says which (JSON or text by Accept)"},
    "403": {"description": "update or SERVICE refused"},
    "503": {"description": "time limit, memory limit or result size exceeded; or every query process busy"},
}


@bp.route("/api/suggest")
def suggest():
    """Type-ahead over labels, aliases and pinyin (entities only)."""
    q = request.args.get("q", "")[:50]
    if not q.strip():
        return jsonify({"query": q, "suggestions": []})
    try:
        r = search(index_dir(current_app.extensions["kg"].data), q, limit=8, passages=False)
    except SearchError as e:
        return jsonify({"error": "bad query", "message": str(e)}), 400
    return jsonify({"query": q, "suggestions": [{"label": h["label"], "type": h["type"], "id": h["id"],
                                                 "href": local_url(h["id"])}
                                                for h in r["hits"] if h["type"] != "Passage"]})


@bp.route("/openapi.json")
def openapi():
    json_ok = {"description": "JSON", "content": {"application/json": {}}}
    return jsonify({
        "openapi": "3.0.3",
        "info": {"title": "zhengwu-kg API", "version": "0.1.0",
                 "description": "Search, entity pages and SPARQL over Chinese local-government reports. Every HTML "
                                "page answers JSON with `Accept: application/json` (or `?format=json`)."},
        "paths": {
            "/": {"get": {"summary": "What the corpus holds", "responses": {"200": json_ok}}},
            "/search": {"get": {"summary": "Full-text search (entities first, then passages)",
                                "description": "Answers query, total, hits (id, type, label, score, snippet, document; "
                                               "entities also english, passages highlight, section, start, end) and "
                                               "facets. A query in pinyin (or in the first letters of its syllables: "
                                               "xzfy) is also searched as the Chinese it spells; "
                                               "`read_as` then lists the readings, the one searched first.",
                                "parameters": [
                                    {"name": "q", "in": "query", "schema": {"type": "string"},
                                     "description": "words, OR, \"phrases\", filters type: year: place: region: department:"},
                                    {"name": "type", "in": "query", "schema": {"type": "string", "enum": [
                                        "department", "regulation", "initiative", "place", "collective", "report", "passage"]}},
                                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}],
                                "responses": {"200": json_ok, "400": {"description": "bad parameters"}}}},
            "/api/suggest": {"get": {"summary": "Type-ahead suggestions", "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string"}}], "responses": {"200": json_ok}}},
            "/departments": _listing(
                "Departments with counts of the facts that state them as agent, name them, or make them the likely "
                "executor by their functions (an inference)", ["stated", "named", "likely", "name"], ["level", "kind"]),
            "/regulations": _listing("Regulations with how many facts act under them and how many reports name them",
                                     ["facts", "reports", "name"], ["level", "regulationType"]),
            "/places": _listing("Places with how many facts happened there and how many reports name them",
                                ["facts", "reports", "name"], ["placeType"]),
            "/initiatives": _listing("Initiatives with how many facts act in them and how many reports name them",
                                     ["facts", "reports", "name"], []),
            "/facts": _listing("Facts in report order (50 a page), each with its sentence, agent and report", None, [
                ("report", "a report's id"), ("agent", "an agent's IRI (stated)"),
                ("participant", "a department's IRI: facts that name it"),
                ("likely", "a department's IRI: facts it likely carried out (an inference)"),
                ("regulation", "a regulation's IRI"), ("initiative", "an initiative's IRI"),
                ("heading", "an initiative's or regulation's IRI: facts under a heading that names it"),
                ("place", "a place's IRI: facts there or in a place within it")]),
            "/{kind}/{name}": {"get": {"summary": "An entity: department, regulation, initiative, place, collective, fact, metric",
                                       "parameters": [{"name": "kind", "in": "path", "required": True, "schema": {"type": "string"}},
                                                      {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                                       "responses": {"200": {"description": "HTML, JSON, Turtle or JSON-LD by Accept"},
                                                     "404": {"description": "unknown entity"}}}},
            "/document/{id}": {"get": {"summary": "A report: metadata, text, mentions, facts and its outline "
                                                  "(sections; `part` is problems or plans for a part that "
                                                  "reports no work and holds no facts)",
                                       "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                                       "responses": {"200": json_ok, "404": {"description": "unknown report"}}}},
            "/sparql": {"get": {"summary": "SPARQL 1.1 Protocol query (read-only, time, row and size limits)",
                                "parameters": [{"name": "query", "in": "query", "schema": {"type": "string"}}],
                                "responses": SPARQL_RESPONSES},
                        "post": {"summary": "SPARQL 1.1 Protocol query: a form (application/x-www-form-urlencoded) "
                                            "or application/sparql-query in UTF-8; one query per request",
                                 "responses": {**SPARQL_RESPONSES,
                                               "413": {"description": "request body over 1 MiB"},
                                               "415": {"description": "another Content-Type or charset"}}}},
        }})


def _listing(summary: str, sorts: list[str] | None, filters: list) -> dict:
    """A browse page's description: sorting, filters (a name, or (name, description)), pages and
    the JSON and CSV twins."""
    params = [{"name": "sort", "in": "query", "schema": {"type": "string", "enum": sorts}}] if sorts else []
    for f in filters:
        name, about = f if isinstance(f, tuple) else (f, None)
        params.append({"name": name, "in": "query", "schema": {"type": "string"}, **({"description": about} if about else {})})
    params += [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
               {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}]
    return {"get": {"summary": summary, "parameters": params,
                    "responses": {"200": {"description": "HTML, JSON or CSV (UTF-8 with a byte-order mark)"}}}}
