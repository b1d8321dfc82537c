"""Attacks on the service, each reproduced as it was reported (issue 18), against every server
where the server matters: `kg serve` (waitress, one process or several on one port) and gunicorn
with the endpoint's fast path."""
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from kg.graph.sparql_guard import Refused, check

from conftest import SEED, free_port, start_server


@pytest.fixture(scope="module")
def server(either_server):
    return either_server


@pytest.fixture
def listener():
    """An HTTP server on loopback that records every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"literal","value":"x"}}]}}')
        do_POST = do_GET

        def log_message(self, *a):
            pass
    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", hits
    srv.shutdown()


def ask(url, data=None, headers=None):
    try:
        r = urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}), timeout=30)
        return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


SERVICE_BYPASSES = [
    # a local name may hold \' and \# (PN_LOCAL_ESC): not a string, not a comment
    "SELECT * WHERE {{ OPTIONAL {{ ?x zw:a\\' ?y }} SERVICE <{url}/x> {{ ?a ?b ?c }} }} # '",
    "PREFIX e: <http://e/> SELECT * WHERE {{ OPTIONAL {{ ?x e:a\\# ?y }} SERVICE <{url}/h> {{ ?a ?b ?c }} }}",
    # SPARQL replaces \\u escapes before parsing
    "SELECT * WHERE {{ \\u0053ERVICE <{url}/u> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ service silent <{url}/s> {{ ?a ?b ?c }} }} }}",
]


@pytest.mark.parametrize("template", SERVICE_BYPASSES)
def test_no_service_call_leaves_the_server(server, listener, template):
    url, hits = listener
    q = template.format(url=url)
    for data, headers, path in ((None, {}, "/sparql?query=" + quote(q)),
                                (q.encode(), {"Content-Type": "application/sparql-query"}, "/sparql"),
                                (("query=" + quote(q)).encode(), {"Content-Type": "application/x-www-form-urlencoded"},
                                 "/sparql")):
        code, _, body = ask(server + path, data, headers)
        assert code in (400, 403) and "SERVICE" in body
    code, _, _ = ask(server + "/query?run=1&query=" + quote(q))
    assert hits == [], "the endpoint made an outbound request"


def test_the_word_service_elsewhere_is_no_service():
    check("SELECT * WHERE { ?s ?p 'a public service' }")
    check("PREFIX x: <http://x/> SELECT * WHERE { ?s x:service ?o }")
    check('SELECT * WHERE { ?s <http://x/SERVICE> ?o }')


def test_query_page_links_only_web_iris(server):
    q = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(document.domain)//") AS ?x) }'
    code, headers, body = ask(server + "/query?run=1&query=" + quote(q))
    assert code == 200 and "javascript:alert(document.domain)//" in body  # shown as text
    assert 'href="javascript:' not in body.lower()
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"


def test_javascript_iri_is_not_clickable_in_the_browser(server):
    """The reported exploit, clicked in Chromium: no script runs."""
    pw = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian's chromium is not installed")
    q = 'SELECT ?x WHERE { BIND(IRI("javascript:window.__pwned=1//") AS ?x) }'
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(server + "/query?run=1&query=" + quote(q))
        cell = page.locator("#results td").first
        assert "javascript:" in cell.inner_text()
        cell.click()
        assert page.evaluate("window.__pwned") is None
        browser.close()


PATHOLOGICAL = {
    "escaped quotes": "SELECT * WHERE { ?s ?p '" + "\\'" * 100_000 + " }",
    "quotes in a comment": "SELECT * WHERE { ?s ?p ?o } # " + "'\\'" * 50_000,
    "open long strings": "SELECT * WHERE { ?s ?p ?o } " + "'''" * 50_000,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_checking_a_query_is_linear(name):
    """These took about a minute each (quadratic matching, holding the GIL of the web process)."""
    from index.match import with_prefilters
    q = PATHOLOGICAL[name]
    t0 = time.process_time()
    try:
        check(q)
    except Refused:
        pass
    with_prefilters(q)
    assert time.process_time() - t0 < 5  # linear: well under a second; quadratic: a minute


NESTED = {
    "brackets": "SELECT * WHERE { FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }",
    "subqueries": "SELECT * WHERE { " + "{ SELECT * WHERE { " * 2000 + "?a ?b ?c" + " } }" * 2000 + " }",
    "optionals": "SELECT * WHERE { " + "OPTIONAL { ?a ?b ?c " * 5000 + "}" * 5000 + " }",
    "a chain of unions": "SELECT * WHERE { {?a ?b ?c} " + "UNION {?a ?b ?c} " * 10_000 + " }",
    "a chain of sums": "SELECT * WHERE { FILTER(1" + "+1" * 10_000 + ") }",
}


@pytest.mark.parametrize("name", NESTED)
def test_queries_the_engine_cannot_survive_are_refused(server, name):
    code, _, body = ask(server + "/sparql", NESTED[name].encode(), {"Content-Type": "application/sparql-query"})
    assert code == 400 and "at most" in body


def test_kg_query_refuses_deep_nesting_instead_of_crashing(built_data):
    r = subprocess.run([sys.executable, "-m", "app.cli", "query", "-", "--data", str(built_data)],
                       input=NESTED["brackets"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "nested" in r.stderr and r.returncode != -11
    r = subprocess.run([sys.executable, "-m", "app.cli", "query", "INSERT DATA { <a:b> <a:c> <a:d> }",
                        "--data", str(built_data)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "read-only" in r.stderr


def test_links_in_a_corpus_folder_are_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" * 3 + "区司法局开展普法工作。", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / "seed.txt")
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "sub").symlink_to(tmp_path)  # a linked folder is not walked either
    data = tmp_path / "data"
    r = subprocess.run([sys.executable, "-m", "app.cli", "build", str(corpus), "--data", str(data)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "passwd.txt: a symbolic link" in r.stderr and "1 report(s) ingested" in r.stdout
    from kg.datafolder import manifest
    assert set(manifest(data)["documents"]) == {"seed"}
    docs = list((data / "current" / "docs").iterdir())
    assert not any("root:x:0:0" in f.read_text(encoding="utf-8") for f in docs)


def test_a_fifo_or_device_is_refused_not_read(tmp_path):
    from kg.text.documents import DocumentError, load
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError, match="named pipe"):
        load(fifo)
    with pytest.raises(DocumentError, match="device"):
        load("/dev/zero")
    assert not Path("/dev/zero").is_file()


def test_request_and_response_sizes_are_capped(server):
    import http.client
    from urllib.parse import urlsplit
    for ctype in ("application/x-www-form-urlencoded", "application/sparql-query"):
        # a body of 200 MB is announced; the server answers before reading it
        conn = http.client.HTTPConnection(urlsplit(server).netloc, timeout=30)
        conn.putrequest("POST", "/sparql")
        conn.putheader("Content-Type", ctype)
        conn.putheader("Content-Length", str(200 << 20))
        conn.endheaders()
        conn.send(b"query=" if ctype.endswith("urlencoded") else b"SELECT")
        r = conn.getresponse()
        said = r.read().decode()  # the app's words, or waitress's, which refuses it first
        assert r.status == 413 and ("limit" in said or "exceeds max_body of 1048576" in said), said
        conn.close()
    doubling = "SELECT ?a WHERE { BIND('xxxxxxxxxxxxxxxx' AS ?a0) " + "".join(
        f"BIND(CONCAT(?a{i},?a{i}) AS ?a{i + 1}) " for i in range(24)) + "BIND(?a24 AS ?a) }"
    code, _, body = ask(server + "/sparql", doubling.encode(), {"Content-Type": "application/sparql-query"})
    assert code == 503 and ("too large" in body or "memory" in body)
    code, _, _ = ask(server + "/sparql?query=" + quote("ASK { ?s ?p ?o }"))
    assert code == 200


def test_the_request_host_is_not_reflected_and_the_server_is_not_named(server):
    code, headers, body = ask(server + "/sparql", headers={"Accept": "text/turtle", "Host": "evil.example"})
    assert code == 200 and "evil.example" not in body and "sd:endpoint" in body
    code, headers, _ = ask(server + "/")
    assert "Werkzeug" not in headers.get("Server", "") and "Python" not in headers.get("Server", "")


def test_escapes_in_a_title_or_file_name_do_not_reach_the_terminal(tmp_path):
    import pty
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "evil\x1b[2J.txt").write_text("---\ntitle: 标题\x1b]0;pwned\x07\x1b[31m红\n---\n区司法局开展普法宣传活动。",
                                             encoding="utf-8")
    (corpus / "bad\x1b[2Jname.txt").write_bytes(b"")
    data = tmp_path / "data"
    out = bytearray()

    def run(*args):
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.executable, [sys.executable, "-m", "app.cli", *args, "--data", str(data)])
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out.extend(chunk)
        os.waitpid(pid, 0)
    run("build", str(corpus))
    run("search", "普法")
    text = out.decode("utf-8", "replace")
    assert "1 report(s) ingested" in text and "标题" in text
    assert "\x1b" not in text and "\x07" not in text


def test_the_service_check_parses_a_repeated_query_once_and_still_refuses_every_time(monkeypatch):
    """A query that only says "services" in a comment (two gallery titles do) cost a 20 ms parse
    at each request; a repeated query is now decided once. Refusals hold on every repetition."""
    from rdflib.plugins.sparql import parser
    from kg.graph import sparql_guard as guard
    calls = []
    real = parser.parseQuery
    monkeypatch.setattr(parser, "parseQuery", lambda q: calls.append(q) or real(q))
    guard._parsed_service.cache_clear()
    harmless = "# public legal services\nSELECT * WHERE { ?s ?p ?o } LIMIT 1"
    for _ in range(3):
        guard.check(harmless)
    assert len(calls) == 1
    hostile = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c } }"
    broken = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?a ?b "
    for _ in range(3):
        with pytest.raises(guard.Refused) as e:
            guard.check(hostile)
        assert e.value.status == 403
        with pytest.raises(guard.Refused) as e:
            guard.check(broken)
        assert e.value.status == 400 and "could not be checked" in str(e.value)


def test_slow_clients_hold_no_thread(built_data):
    """slowloris: 8 connections sending a header line every 2 s froze `kg serve --workers 2`
    (threads waited on them). waitress reads requests in its event loop: 60 such clients, and
    pages still answer at once, in one process and in two."""
    import socket
    for workers in ("1", "2"):
        port = free_port()
        proc = start_server([sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--data", str(built_data),
                             "--workers", workers], f"http://127.0.0.1:{port}/openapi.json")
        slow = []
        try:
            for _ in range(60):
                c = socket.create_connection(("127.0.0.1", port), timeout=5)
                c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                slow.append(c)
            for round_ in range(3):
                for c in slow:
                    c.sendall(b"X-Slow: %d\r\n" % round_)
                t0 = time.monotonic()
                for _ in range(4):
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=10) as r:
                        assert r.status == 200
                assert time.monotonic() - t0 < 5, f"pages waited on slow clients ({workers} process(es))"
                time.sleep(1)
        finally:
            for c in slow:
                c.close()
            proc.terminate()
            proc.wait(10)
