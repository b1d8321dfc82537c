"""The SPARQL endpoint with real clients over loopback: SPARQLWrapper, rdflib's SPARQLStore,
every gallery query, and the refusals (update, SERVICE, time limit, row cap)."""
import os
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from web.gallery import gallery

from conftest import free_port, start_server


@pytest.fixture(scope="module")
def server(built_data):
    port = free_port()
    env = dict(os.environ, KG_SPARQL_TIMEOUT="3", KG_SPARQL_MAX_ROWS="50")
    url = f"http://127.0.0.1:{port}"
    proc = start_server([sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--data", str(built_data)],
                        url + "/openapi.json", env)
    yield url
    proc.terminate()
    proc.wait(10)


COUNT_TOWNS = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a zw:Place ; zw:placeType \"town\" }"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_sparqlwrapper_formats(server, fmt):
    from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("PREFIX zw: <https://w3id.org/zhengwu-kg/ontology#>\n" + COUNT_TOWNS)
    sw.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV}[fmt])
    res = sw.query().convert()
    if fmt == "json":
        n = int(res["results"]["bindings"][0]["n"]["value"])
    elif fmt == "xml":
        n = int(res.getElementsByTagName("literal")[0].firstChild.data)
    else:
        n = int(res.decode().splitlines()[1])
    assert n >= 2  # 万安镇, 调元镇


def test_rdflib_sparqlstore(server):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    g = Graph(store=SPARQLStore(server + "/sparql"))
    rows = list(g.query('SELECT ?p WHERE { ?p <http://www.w3.org/2004/02/skos/core#prefLabel> "调元镇"@zh }'))
    assert rows and str(rows[0][0]).endswith("/place/四川省/德阳市/罗江区/调元镇")


def test_post_forms_and_construct(server):
    body = ("query=" + quote("CONSTRUCT { ?p ?x ?y } WHERE { ?p skos:prefLabel \"万安镇\"@zh ; ?x ?y }")).encode()
    req = urllib.request.Request(server + "/sparql", data=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "text/turtle"})
    r = urllib.request.urlopen(req)
    assert r.headers.get_content_type() == "text/turtle" and "Wan'an Town" in r.read().decode()
    assert r.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("q", [x["query"] for x in gallery()], ids=[x["id"] for x in gallery()])
def test_gallery_queries_answer(server, q):
    req = urllib.request.Request(server + "/sparql", data=q.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    import json
    d = json.loads(urllib.request.urlopen(req).read())
    assert d["results"]["bindings"], "each gallery query has an answer in the bundled report"


def status_of(url: str, data: bytes | None = None, headers=None) -> tuple[int, str]:
    try:
        r = urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}), timeout=30)
        return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_refusals(server):
    code, msg = status_of(server + "/sparql", b"INSERT DATA { <a:x> <a:y> <a:z> }",
                          {"Content-Type": "application/sparql-update"})
    assert code == 403 and "read-only" in msg
    code, msg = status_of(server + "/sparql?query=" + quote("DROP ALL"))
    assert code == 403
    code, msg = status_of(server + "/sparql?query=" + quote("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"))
    assert code == 403 and "SERVICE" in msg
    code, msg = status_of(server + "/sparql?query=" + quote("SELECT WHERE {"))
    assert code == 400 and "syntax" in msg


def test_time_limit_and_row_cap(server):
    t0 = time.time()
    code, msg = status_of(server + "/sparql?query=" + quote(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"))
    assert code == 503 and "time limit" in msg and time.time() - t0 < 15
    # the server still answers after a killed query
    code, _ = status_of(server + "/sparql?query=" + quote(COUNT_TOWNS))
    assert code == 200
    r = urllib.request.urlopen(server + "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o }"))
    import json
    d = json.loads(r.read())
    assert len(d["results"]["bindings"]) == 50 and d["truncated"] is True and r.headers["X-Truncated"]


def test_service_description(server):
    code, body = status_of(server + "/sparql", headers={"Accept": "text/turtle"})
    assert code == 200 and "sd:Service" in body


def test_text_search_inside_sparql(server):
    import json
    q = """SELECT DISTINCT ?label ?sentence WHERE { ?f a zw:Fact ; zw:sentence ?sentence ;
             prov:wasAssociatedWith ?a . ?a skos:prefLabel ?label . FILTER(zw:matches(?sentence, "行政复议")) }"""
    req = urllib.request.Request(server + "/sparql", data=q.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    rows = json.loads(urllib.request.urlopen(req).read())["results"]["bindings"]
    assert rows and all("行政复议" in r["sentence"]["value"] for r in rows)
    # a phrase must occur as consecutive words
    q2 = q.replace('"行政复议"', '"\\"复议 行政\\""')
    req = urllib.request.Request(server + "/sparql", data=q2.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert json.loads(urllib.request.urlopen(req).read())["results"]["bindings"] == []


def test_construct_as_rdfxml_and_ntriples(server):
    q = quote('CONSTRUCT { ?p ?x ?y } WHERE { ?p skos:prefLabel "调元镇"@zh ; ?x ?y }')
    for accept, marker in (("application/rdf+xml", "rdf:RDF"), ("application/n-triples", "Tiaoyuan Town")):
        r = urllib.request.urlopen(urllib.request.Request(server + "/sparql?query=" + q, headers={"Accept": accept}))
        assert r.headers.get_content_type() == accept and marker in r.read().decode()


def test_a_slow_query_does_not_stall_other_requests_under_gunicorn(built_data):
    import shutil
    import threading
    gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
    port = free_port()
    env = dict(os.environ, KG_DATA=str(built_data), KG_SPARQL_TIMEOUT="8")
    url = f"http://127.0.0.1:{port}"
    proc = start_server([gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "web:create_app()"], url + "/openapi.json", env)
    try:
        slow = threading.Thread(target=status_of, args=(url + "/sparql?query=" + quote(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),))
        slow.start()
        time.sleep(0.5)
        t0 = time.time()
        code, _ = status_of(url + "/sparql?query=" + quote(COUNT_TOWNS))
        # stalled behind the slow query it would wait out most of its 8 s time limit
        assert code == 200 and time.time() - t0 < 5.0, "the other worker answered while the slow query ran"
        slow.join(20)
    finally:
        proc.terminate()
        proc.wait(10)


def test_every_way_of_sending_a_query_gets_the_same_answer(server):
    """GET, POST sparql-query and POST form take the endpoint's direct path; a multipart form and
    ?lang= go through the app: all answer alike, and a form without a query still gets the
    service description (its body was handed on intact)."""
    import json
    q = COUNT_TOWNS
    accept = {"Accept": "application/sparql-results+json"}

    def ask(url, data=None, headers=None):
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers={**accept, **(headers or {})})) as r:
            return r.status, r.headers, r.read()
    answers = [
        ask(server + "/sparql?query=" + quote(q)),
        ask(server + "/sparql?lang=en&query=" + quote(q)),
        ask(server + "/sparql", q.encode(), {"Content-Type": "application/sparql-query"}),
        ask(server + "/sparql", ("query=" + quote(q)).encode(), {"Content-Type": "application/x-www-form-urlencoded"}),
        ask(server + "/sparql", ("--b\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n" + q + "\r\n--b--\r\n").encode(),
            {"Content-Type": "multipart/form-data; boundary=b"}),
    ]
    bodies = [json.loads(b)["results"]["bindings"] for _, _, b in answers]
    assert all(b == bodies[0] for b in bodies) and int(bodies[0][0]["n"]["value"]) >= 2
    for status, headers, _ in answers:
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
        assert headers["Content-Type"].startswith("application/sparql-results+json") and headers["X-Query-Time"]
    # a form body with raw UTF-8 (as some clients send it) reads as the same query
    town = 'SELECT ?p WHERE { ?p skos:prefLabel "调元镇"@zh }'
    raw = json.loads(ask(server + "/sparql", ("query=" + town.replace(" ", "+")).encode(),
                         {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})[2])
    escaped = json.loads(ask(server + "/sparql?query=" + quote(town))[2])
    assert raw["results"]["bindings"] == escaped["results"]["bindings"] and raw["results"]["bindings"]
    status, headers, body = ask(server + "/sparql", b"default-graph-uri=", {
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "text/turtle"})
    assert status == 200 and b"sd:Service" in body
    for data, ctype in ((b"update=" + quote("CLEAR ALL").encode(), "application/x-www-form-urlencoded"),
                        (b"CLEAR ALL", "application/sparql-update")):
        with pytest.raises(urllib.error.HTTPError) as e:
            ask(server + "/sparql", data, {"Content-Type": ctype})
        assert e.value.code == 403


def test_a_slow_query_does_not_hold_the_other_queries_of_its_process(server):
    """One `kg serve` process: a slow query keeps one query process; the next query is answered
    by another at once (it waited out the slow one's time limit before)."""
    import threading
    slow = threading.Thread(target=status_of, args=(server + "/sparql?query=" + quote(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),))
    slow.start()
    time.sleep(0.5)
    t0 = time.time()
    code, _ = status_of(server + "/sparql?query=" + quote(COUNT_TOWNS))
    waited = time.time() - t0
    slow.join(20)
    assert code == 200 and waited < 2.0  # the time limit here is 3 s
