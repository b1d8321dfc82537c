"""The remote-store setting against a real Oxigraph server on 127.0.0.1 (PyPI `oxigraph`)."""
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from conftest import SEED, free_port, report, start_server


@pytest.fixture
def oxigraph_server(tmp_path):
    exe = shutil.which("oxigraph") or os.path.join(os.path.dirname(sys.executable), "oxigraph")
    if not os.path.exists(exe):
        pytest.fail("the oxigraph server (PyPI `oxigraph`) is part of the test dependencies")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server([exe, "serve", "--location", str(tmp_path / "oxi"), "--bind", f"127.0.0.1:{port}"],
                        url + "/query?query=ASK%7B%7D")
    yield url
    proc.terminate()
    proc.wait(10)


def kg(*args, env):
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, env=env)


def test_build_query_search_and_serve_on_a_remote_store(oxigraph_server, tmp_path):
    data = tmp_path / "data"
    env = dict(os.environ, KG_STORE=oxigraph_server, KG_DATA=str(data))
    r = kg("build", str(SEED), env=env)
    assert r.returncode == 0, r.stderr
    assert not (next((data / "builds").iterdir()) / "store").exists()  # nothing stored locally
    # the graph is on the server
    req = urllib.request.Request(oxigraph_server + "/query?union-default-graph&query=" + urllib.parse.quote(
        "SELECT (COUNT(*) AS ?n) WHERE { ?f a <https://w3id.org/zhengwu-kg/ontology#Fact> }"),
        headers={"Accept": "text/csv"})
    assert int(urllib.request.urlopen(req).read().decode().split()[1]) > 50
    q = kg("query", 'SELECT DISTINCT ?p WHERE { ?p skos:prefLabel "万安镇"@zh }', "--format", "csv", env=env)
    assert q.returncode == 0 and "/place/四川省/德阳市/罗江区/万安镇" in q.stdout
    s = kg("search", "Tiaoyuan", "--json", env=env)
    assert '"调元镇"' in s.stdout
    # re-ingesting one report replaces its graph on the server and keeps the others
    extra = tmp_path / "in" / "b.txt"
    extra.parent.mkdir()
    extra.write_bytes(report("县司法局组织法治培训3次。", region="四川省/泸州市/泸县"))
    assert kg("build", str(extra), env=env).returncode == 0
    q = kg("query", "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a zw:Report }", "--format", "csv", env=env)
    assert q.stdout.splitlines()[1] == "2"
    # the web app and the SPARQL endpoint read the remote store too
    from web import create_app
    client = create_app({"DATA": str(data), "TESTING": True}).test_client()
    d = client.get("/department/" + urllib.parse.quote("泸州市泸县司法局"), headers={"Accept": "application/json"})
    assert d.status_code == 200 and d.get_json()["facts"]
    r = client.get("/sparql?query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"

