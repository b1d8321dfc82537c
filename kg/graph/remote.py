"""A remote SPARQL 1.1 store in place of the embedded one (KG_STORE=http://host:port).

Queries go to the SPARQL Protocol endpoint, each report's graph is replaced through the
Graph Store Protocol (PUT ?graph=…), and after each build the default graph is recomputed as
the union of all report graphs with SPARQL Update. The default layout is Oxigraph server's
(/query, /update, /store); KG_STORE_QUERY, KG_STORE_UPDATE and KG_STORE_GSP set other
endpoints. Our prefixes are sent with every query.
The full-text functions zw:matches and zw:score exist only in the embedded store.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from kg.core import settings
from kg.core.vocab import sparql_prefixes


class RemoteStoreError(OSError):
    pass


class RemoteStore:
    def __init__(self, url: str, timeout: float = 60.0):
        base = url.rstrip("/")
        self.url = base
        self.query_url, self.update_url, self.gsp_url = settings.remote_endpoints(base)
        self.timeout = timeout

    def _request(self, url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
        req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        try:
            return urllib.request.urlopen(req, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            msg = e.read().decode("utf-8", "replace")[:500]
            if e.code == 400:
                raise SyntaxError(msg) from None
            raise RemoteStoreError(f"{url}: HTTP {e.code}: {msg}") from None
        except urllib.error.URLError as e:
            raise RemoteStoreError(f"{url}: {e.reason}") from None

    def query(self, sparql: str, use_default_graph_as_union: bool = False, prefixes=None, custom_functions=None,
              **_ignored):
        text = (sparql_prefixes() if prefixes else "") + sparql
        params = {"query": text}
        if use_default_graph_as_union:
            params["union-default-graph"] = ""
        body = urllib.parse.urlencode(params).encode("utf-8")
        resp = self._request(self.query_url, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
        ctype = resp.headers.get_content_type()
        data = resp.read()
        if ctype == "application/sparql-results+json" or ctype == "application/json":
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))

    def update(self, sparql: str) -> None:
        body = urllib.parse.urlencode({"update": sparql}).encode("utf-8")
        self._request(self.update_url, body, {"Content-Type": "application/x-www-form-urlencoded"}).read()

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace one named graph (Graph Store Protocol PUT)."""
        url = self.gsp_url + "?" + urllib.parse.urlencode({"graph": graph})
        self._request(url, ntriples, {"Content-Type": "application/n-triples"}, method="PUT").read()

    def dump(self, format=None, from_graph=None) -> bytes:
        url = self.gsp_url + ("?" + urllib.parse.urlencode({"graph": from_graph.value}) if from_graph is not None
                              else "")
        accept = "application/n-quads" if from_graph is None else "application/n-triples"
        return self._request(url, headers={"Accept": accept}).read()


def remote_url() -> str | None:
    return settings.remote_store()
