"""The query side of the SPARQL 1.1 Protocol test list, sent to every server: waitress's
(`kg serve`) and gunicorn (the endpoint's WSGI fast path)."""
import json
import urllib.error
import urllib.request
from urllib.parse import quote, urlencode

import pytest

ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?s WHERE { ?s a zw:Place } LIMIT 1"


def send(url, method="GET", data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get_content_type(), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get_content_type(), e.read()


def ok_results(status, ctype, body):
    return status == 200 and ctype.startswith("application/sparql-results")


def test_query_get(either_server):
    assert ok_results(*send(either_server + "/sparql?" + urlencode({"query": ASK})))


def test_query_post_form(either_server):
    assert ok_results(*send(either_server + "/sparql", "POST", urlencode({"query": ASK}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"}))


def test_query_post_direct(either_server):
    assert ok_results(*send(either_server + "/sparql", "POST", ASK.encode(),
                            {"Content-Type": "application/sparql-query"}))


@pytest.mark.parametrize("query,kind", [(SELECT, "results"), (ASK, "results"),
                                        ("DESCRIBE <http://127.0.0.1:5000/place/四川省>", "rdf"),
                                        ("CONSTRUCT { <s> <p> 1 } WHERE {}", "rdf")],
                         ids=["select", "ask", "describe", "construct"])
def test_query_content_types(either_server, query, kind):
    status, ctype, body = send(either_server + "/sparql?" + urlencode({"query": query}), headers={
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"})
    assert status == 200
    if kind == "results":
        assert ctype == "application/sparql-results+json"
    else:
        assert ctype == "text/turtle"
    if query.startswith("CONSTRUCT"):  # relative IRIs resolve against the endpoint's address
        assert b"/s>" in body and b"/p>" in body and b"1" in body


def test_bad_query_method(either_server):
    status, _, _ = send(either_server + "/sparql?" + urlencode({"query": ASK}), "PUT", b"")
    assert status == 405


def test_bad_multiple_queries(either_server):
    status, _, body = send(either_server + "/sparql?" + urlencode([("query", ASK), ("query", SELECT)], doseq=True))
    assert status == 400 and b"queries" in body
    status, _, body = send(either_server + "/sparql?query=" + quote(ASK), "POST", urlencode({"query": SELECT}).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400


@pytest.mark.parametrize("ctype,data", [("text/plain", ASK.encode()),
                                        (None, urlencode({"query": ASK}).encode()),
                                        (None, ASK.encode()),
                                        ("application/sparql-query; charset=UTF-16", ASK.encode("utf-16"))],
                         ids=["wrong-media-type", "missing-form-type", "missing-direct-type", "non-utf8"])
def test_bad_posts_are_refused_with_the_reason(either_server, ctype, data):
    import http.client
    from urllib.parse import urlsplit
    conn = http.client.HTTPConnection(urlsplit(either_server).netloc, timeout=30)
    conn.putrequest("POST", "/sparql", skip_accept_encoding=True)
    if ctype:
        conn.putheader("Content-Type", ctype)
    conn.putheader("Content-Length", str(len(data)))
    conn.putheader("Accept", "application/json")
    conn.endheaders()
    conn.send(data)
    r = conn.getresponse()
    body = json.loads(r.read())
    assert r.status in (400, 415) and body["status"] == r.status and body["message"]


def test_bad_query_syntax(either_server):
    status, ctype, body = send(either_server + "/sparql?" + urlencode({"query": "SELECT * WHERE {"}))
    assert status == 400 and b"syntax" in body and ctype == "text/plain"


def test_a_query_typed_in_chinese_as_raw_utf8_is_answered(either_server, request):
    """curl "…/search?q=万安" sends the characters as raw UTF-8, not %-escaped: waitress
    (`kg serve`) refused that as a bad URI. (gunicorn, a deployment of its own, refuses it in its
    own parser, before any of our code runs.)"""
    import socket
    if request.node.callspec.params["either_server"] == "gunicorn":
        pytest.skip("gunicorn's own request parser refuses raw UTF-8 targets")
    from urllib.parse import urlsplit
    host, port = urlsplit(either_server).hostname, urlsplit(either_server).port
    with socket.create_connection((host, port), timeout=30) as s:
        s.sendall("GET /search?q=万安 HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
                  .encode("utf-8"))
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == b"200", head[:200]
    if b"chunked" in head.lower():
        pytest.skip("chunked answer")  # not expected from either server for a small JSON page
    found = json.loads(body)
    assert found["query"] == "万安" and found["total"] > 0
