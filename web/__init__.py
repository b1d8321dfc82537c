"""The web UI, JSON API and SPARQL endpoint (Flask app factory and blueprints).

The app is given its data folder (store, index and texts of the current build); it never
builds them. Every page has a JSON twin (Accept: application/json), every entity IRI answers
HTML, JSON, Turtle and JSON-LD.
"""
from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, g, request

from kg.core import settings
from kg.core.types import BROWSE_PAGES
from kg.text.english import display_name
from kg.text.pinyin import place_pinyin

from web.backend import MAX_REQUEST_BYTES, Backend, NoData
from web.i18n import index_type_label, kind_label, prop, t, value
from index.search import search
from web import api
from web import model
from web import sparql
from web import views
from web.views import local_url


# scripts and everything else only from this server; inline style attributes are allowed
# (indents of the outline, the graph view's SVG), inline scripts are not
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _warm_in_background(backend) -> None:
    """The browse tables of a large build take seconds to count: count them now, beside the
    first requests, not in one of them."""
    def warm() -> None:
        try:
            model.warm(backend)
            # the index's facet table is read from every card once per process (seconds at 200k)
            search(backend.build / "index", "政府", limit=1)
        except Exception:  # no build yet, a damaged one: the pages say so when asked
            pass
    threading.Thread(target=warm, name="warm-tables", daemon=True).start()


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        DATA=str(settings.data_folder()),
        SPARQL_TIMEOUT=settings.sparql_timeout(),
        SPARQL_MAX_ROWS=settings.sparql_max_rows(),
        SPARQL_MAX_BYTES=settings.sparql_max_bytes(),
        SPARQL_MAX_MEMORY=settings.sparql_max_memory(),
        SPARQL_PROCS=settings.sparql_procs(),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        JSON_AS_ASCII=False,
    )
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    app.extensions["kg"] = Backend(Path(app.config["DATA"]), app.config["SPARQL_TIMEOUT"],
                                   app.config["SPARQL_MAX_ROWS"], app.config["SPARQL_MAX_BYTES"],
                                   app.config["SPARQL_MAX_MEMORY"], app.config["SPARQL_PROCS"])
    if not app.config.get("TESTING"):
        _warm_in_background(app.extensions["kg"])

    @app.before_request
    def language():
        lang = request.args.get("lang") or request.cookies.get("lang") or "zh"
        g.lang = "en" if lang == "en" else "zh"

    @app.after_request
    def remember_language(resp):
        if request.args.get("lang") in ("zh", "en"):
            resp.set_cookie("lang", request.args["lang"], samesite="Lax")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        if resp.mimetype == "text/html":
            resp.headers.setdefault("Content-Security-Policy", CSP)
            resp.headers.setdefault("X-Frame-Options", "DENY")
            resp.headers.setdefault("Referrer-Policy", "same-origin")
        return resp

    @app.context_processor
    def helpers():
        lang = g.get("lang", "zh")
        return {"t": lambda key: t(key, lang), "prop": lambda key: prop(key, lang),
                "value": lambda v: value(v, lang), "kind_label": lambda name: kind_label(name, lang),
                "index_type_label": lambda ty: index_type_label(ty, lang),
                # a department's or place's rough English name, on English pages only
                "in_english": (lambda node, label: english_of(local_url(node), label)) if lang == "en"
                else (lambda node, label: ""),
                # a region path (四川省/德阳市/罗江区) as the reader reads places
                "region": (lambda path: ", ".join(place_pinyin(p) for p in reversed(path.split("/")) if p))
                if lang == "en" else (lambda path: path),
                "lang": lang, "local_url": local_url, "browse_pages": BROWSE_PAGES}

    app.register_blueprint(views.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(api.bp)
    views.register_errors(app)
    app.wsgi_app = sparql.fast_path(app)
    app.wsgi_app = raw_query_strings(app.wsgi_app)
    return app


def english_of(path: str, label: str) -> str:
    """The rough English name of the department or place at `path` (/department/…, /place/…),
    from its Chinese label; "" for other kinds, whose rough English would name only their place."""
    kind = path.split("/")[1] if path.startswith("/") and path.count("/") >= 2 else ""
    if kind == "department":
        return display_name(label or "", "Department")
    if kind == "place":
        return place_pinyin(label) if label else ""
    return ""


def raw_query_strings(wsgi_app):
    """WSGI middleware for a query string sent with raw UTF-8 instead of %-escapes
    (curl "…/search?q=万安"): Werkzeug's development server encodes such a string twice, so it
    would reach the app as mojibake. It is put back as the server should have passed it
    (each byte one character, PEP 3333)."""
    def wsgi(environ, start_response):
        qs = environ.get("QUERY_STRING", "")
        if not qs.isascii():
            try:
                once = qs.encode("latin-1").decode("utf-8")
                once.encode("latin-1").decode("utf-8")  # encoded twice: undo one
                environ["QUERY_STRING"] = once
            except UnicodeError:
                pass  # as PEP 3333 wants it already
        return wsgi_app(environ, start_response)
    return wsgi


__all__ = ["create_app", "NoData"]
