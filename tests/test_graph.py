"""The graph: RDF per report, the on-disk store, atomic builds, query, stats, validate."""
import json

import pytest
from rdflib import Graph, Literal, URIRef

from app.cli import main
from kg.text.documents import load_bytes
from kg.extract import extract
from kg.graph.rdf import to_graph
from app.build import build
from kg.datafolder import current_build
from kg.graph.store import open_store, query
from kg.graph.shapes import violations
from kg.core.vocab import PROV, SKOS, ZW

from conftest import SEED, report


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def write(folder, name, text, region="四川省/德阳市/罗江区"):
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_bytes(report(text, region))
    return p


def test_report_graph_has_evidence_and_conforms():
    x = extract(load_bytes(report("由区司法局依据《行政处罚法》在万安镇办理案件8件。"), "ev.txt"))
    gname, g = to_graph(x)
    assert str(gname).endswith("/graph/ev")
    facts = list(g.subjects(None, ZW.Fact))
    assert facts
    f = facts[0]
    agent = g.value(f, PROV.wasAssociatedWith)
    assert str(g.value(agent, SKOS.prefLabel)) == "德阳市罗江区司法局"
    assert g.value(f, ZW.sentence) is not None and g.value(f, ZW.start) is not None
    assert g.value(f, ZW.regulation) is not None and g.value(f, PROV.atLocation) is not None
    assert violations(g) == []


def test_broken_graph_is_reported_by_the_shapes():
    g = Graph()
    f = URIRef("http://example.org/fact/1")
    g.add((f, URIRef(str(__import__("rdflib").RDF.type)), ZW.Fact))
    g.add((f, ZW.sentence, Literal("x")))
    assert violations(g)


def test_build_query_and_rebuild_one_report(data, tmp_path):
    corpus = tmp_path / "in"
    write(corpus, "a.txt", "区司法局开展普法宣传活动5场。")
    write(corpus, "b.txt", "区司法局组织法治培训3次。", region="四川省/泸州市/泸县")
    r = build([str(corpus)], data)
    assert len(r.loaded) == 2 and not r.skipped
    store = open_store(data)
    rows = list(query(store, """SELECT DISTINCT ?l WHERE { ?d a zw:Department ; skos:prefLabel ?l }"""))
    labels = {row["l"].value for row in rows}
    assert {"德阳市罗江区司法局", "泸州市泸县司法局"} <= labels
    del store
    first = current_build(data)
    # re-ingest a.txt with new content: only its statements change
    write(corpus, "a.txt", "区发改局推进“放管服”改革。")
    r2 = build([str(corpus / "a.txt")], data)
    assert r2.kept == 1 and current_build(data) != first and first.exists()  # kept one more round
    build([str(corpus / "a.txt")], data, full=True)  # unchanged: only --full makes a new build
    assert not first.exists()
    store = open_store(data)
    labels = {row["l"].value for row in query(store, "SELECT DISTINCT ?l WHERE { ?d a zw:Department ; skos:prefLabel ?l }")}
    assert "德阳市罗江区发展和改革局" in labels and "泸州市泸县司法局" in labels
    assert "德阳市罗江区司法局" not in labels


def test_same_body_in_two_reports_is_one_node(data, tmp_path):
    corpus = tmp_path / "in"
    write(corpus, "a.txt", "区司法局开展普法宣传活动5场。")
    write(corpus, "b.txt", "区司法局组织法治培训3次。")
    build([str(corpus)], data)
    rows = list(query(open_store(data), """
        SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?f prov:wasAssociatedWith ?d ; prov:wasDerivedFrom ?doc .
          ?d skos:prefLabel "德阳市罗江区司法局"@zh }"""))
    assert int(rows[0]["n"].value) == 2


def test_two_files_with_the_same_name_are_both_loaded(data, tmp_path):
    corpus = tmp_path / "in"
    write(corpus / "2022", "report.txt", "区司法局开展普法宣传活动5场。")
    write(corpus / "2023", "report.txt", "区发改局推进“放管服”改革。")
    r = build([str(corpus)], data)
    assert len(r.loaded) == 2 and not r.skipped
    labels = {row["l"].value for row in query(open_store(data),
                                              "SELECT DISTINCT ?l WHERE { ?d a zw:Department ; skos:prefLabel ?l }")}
    assert {"德阳市罗江区司法局", "德阳市罗江区发展和改革局"} <= labels
    ids = {row["i"].value for row in query(open_store(data), "SELECT ?i WHERE { ?r a zw:Report ; dcterms:identifier ?i }")}
    assert ids == {"report", "2023-report"}


def test_a_failed_build_leaves_the_last_good_data(data, tmp_path, monkeypatch):
    corpus = tmp_path / "in"
    write(corpus, "a.txt", "区司法局开展普法宣传活动5场。")
    build([str(corpus)], data)
    good = current_build(data)
    import app.build as st

    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(st, "swap", boom)
    write(corpus, "b.txt", "区司法局组织法治培训3次。")
    with pytest.raises(RuntimeError):
        build([str(corpus)], data)
    assert current_build(data) == good
    n = list(query(open_store(data), "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a zw:Report }"))
    assert int(n[0]["n"].value) == 1


def test_cli_build_stats_query_validate(data, tmp_path, capsys):
    bad = tmp_path / "in" / "empty.txt"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"")
    code = main(["build", str(SEED), str(bad), "--data", str(data)])
    out, err = capsys.readouterr()
    assert code == 1 and "empty.txt: empty file" in err and "1 report(s) ingested" in out
    assert main(["validate", "--data", str(data)]) == 0
    capsys.readouterr()
    assert main(["stats", "--json", "--data", str(data)]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["documents"] == 1 and s["classes"]["Fact"] > 50 and s["classes"]["Department"] > 20
    assert main(["query", "SELECT DISTINCT ?p WHERE { ?p a zw:Place ; skos:prefLabel \"万安镇\"@zh }",
                 "--format", "csv", "--data", str(data)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "p" and out[1].endswith("/place/四川省/德阳市/罗江区/万安镇")
    assert main(["query", "SELECT nonsense", "--data", str(data)]) == 2
    assert "syntax" in capsys.readouterr().err


def test_query_without_data_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["query", "SELECT * WHERE { ?s ?p ?o }", "--data", str(tmp_path / "none")])
    assert "kg build" in str(e.value)


def test_fast_shape_check_agrees_with_pyshacl():
    from kg.graph.shapes_fast import violations as fast
    x = extract(load_bytes(report("由区司法局依据《行政处罚法》在万安镇办理案件8件。"), "ok.txt"))
    _, g = to_graph(x)
    assert fast(g) == [] and violations(g) == []
    # break it: a fact without evidence, a metric with a string value, a regulation without title
    from rdflib import RDF, Literal
    f = next(g.subjects(RDF.type, ZW.Fact))
    g.remove((f, ZW.sentence, None))
    m = next(g.subjects(RDF.type, ZW.Metric))
    g.set((m, RDF.value, Literal("eight")))
    bad_fast, bad_full = fast(g), violations(g)
    assert bad_fast and bad_full
    assert {line.split(": ", 1)[0] for line in bad_fast} == {str(f), str(m)}
    assert any(str(f) in b for b in bad_full) and any(str(m) in b for b in bad_full)


def test_a_report_whose_graph_violates_the_shapes_is_left_out(data, tmp_path, monkeypatch, capsys):
    import app.build as rdf  # the build calls it by this name
    corpus = tmp_path / "in"
    write(corpus, "good.txt", "区司法局开展普法宣传活动5场。")
    write(corpus, "bad.txt", "区发改局推进“放管服”改革。")
    original = rdf.to_ntriples

    def broken(x):
        gname, nt, n = original(x)
        if x.document.source.endswith("bad.txt"):  # facts without their report
            lines = [line for line in nt.splitlines(keepends=True)
                     if not (b"/fact/" in line.split(b" ", 1)[0] and str(PROV.wasDerivedFrom).encode() in line)]
            nt, n = b"".join(lines), len(lines)
        return gname, nt, n
    monkeypatch.setattr(rdf, "to_ntriples", broken)
    code = main(["build", str(corpus), "--data", str(data)])
    err = capsys.readouterr().err
    assert code == 1 and "bad.txt" in err and "violates the shapes" in err
    labels = {r["l"].value for r in query(open_store(data), "SELECT DISTINCT ?l WHERE { ?r a zw:Report ; dcterms:identifier ?l }")}
    assert labels == {"good"}


def test_the_bulk_loader_thread_hands_its_error_to_the_build(tmp_path):
    import pyoxigraph as ox
    from kg.graph.store import Loader
    loader = Loader(ox.Store(str(tmp_path / "store")))
    loader.add("http://example.org/graph/a", b"<http://example.org/a> <http://example.org/p> \"x\" .\n")
    loader.add("http://example.org/graph/b", b"<http://example.org/b> not-a-term .\n")
    with pytest.raises(SyntaxError):
        loader.close()


def test_a_failed_build_leaves_no_bulk_loader_thread_behind(data, tmp_path, monkeypatch):
    import threading
    import app.build as store_mod
    corpus = tmp_path / "in"
    write(corpus, "a.txt", "区司法局开展普法宣传活动5场。")

    def broken(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(store_mod.ox, "serialize", broken)  # fails after the reports are queued
    with pytest.raises(RuntimeError):
        build([str(corpus)], data)
    for t in threading.enumerate():
        if t.name == "bulk-load":
            t.join(5)
    assert not any(t.name == "bulk-load" and t.is_alive() for t in threading.enumerate())
    assert current_build(data) is None  # nothing swapped in


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own Dataset and JSON-LD internals
@pytest.mark.parametrize("fmt", ["trig", "nquads", "turtle", "jsonld"])
def test_export_in_every_format_parses_back_to_the_graph(built_data, capsysbinary, fmt):
    from rdflib import Dataset
    assert main(["export", "--format", fmt, "--data", str(built_data)]) == 0
    out = capsysbinary.readouterr().out
    store = open_store(built_data)
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(data=out, format={"trig": "trig", "nquads": "nquads"}[fmt])
        n = int(next(iter(query(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))["n"].value)
        assert len(ds) == n > 0
    else:
        g = Graph().parse(data=out, format={"turtle": "turtle", "jsonld": "json-ld"}[fmt])
        n = int(next(iter(query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
        assert len(g) == n > 0
    if fmt in ("trig", "turtle"):
        assert b"@prefix zw: <https://w3id.org/zhengwu-kg/ontology#>" in out


def _facts_by_iri(x) -> dict[str, str]:
    g = to_graph(x)[1]
    return {str(s): str(o) for s, o in g.subject_objects(ZW.sentence) if "/fact/" in str(s)}


def test_fact_metric_and_section_iris_stay_with_their_statement():
    """A bookmarked fact keeps its statement when extraction finds one fact fewer before it:
    IRIs come from the clause's place in the report, not from positions in a list."""
    doc = load_bytes(SEED.read_bytes(), "luojiang-2022h1.txt")
    x = extract(doc)
    before = _facts_by_iri(x)
    x.facts = x.facts[1:]  # the first fact no longer found
    after = _facts_by_iri(x)
    assert len(after) == len(before) - 1 and all(before[iri] == sentence for iri, sentence in after.items())
    for iri, sentence in after.items():
        start, end = map(int, iri.rsplit("/", 1)[-1].split("-")[:2]) if iri.count("-") >= 2 else (None, None)
        if start is not None:
            assert doc.body[start:end] in sentence or sentence in doc.body[start:end]
    g = to_graph(x)[1]
    for m, start in g.subject_objects(ZW.start):
        if "/metric/" in str(m):
            assert str(m).endswith(f"/{start}-{g.value(m, ZW.end)}")
        if "/section/" in str(m):
            assert str(m).endswith(f"/section/{start}")


def test_a_term_the_ontology_lacks_is_an_error():
    """zw: is a checked namespace: a typo in code fails at once instead of minting a new term."""
    assert str(ZW.Department).endswith("#Department") and ZW["placeType"]
    with pytest.raises(AttributeError):
        ZW.Departmnet  # noqa: B018
    with pytest.raises(KeyError):
        ZW["placetype"]


def test_validate_asks_the_store_and_finds_what_pyshacl_finds(data, tmp_path, capsys):
    """`kg validate` loaded the whole built graph into rdflib for pyshacl (12 GB at 7M triples);
    it now asks the store one SPARQL query per constraint and finds the same focus nodes,
    including those where two reports disagree about one entity."""
    import pyoxigraph as ox

    from kg.graph.shapes_fast import store_violations
    corpus = tmp_path / "in"
    write(corpus, "a.txt", "由区司法局依据《行政处罚法》在万安镇办理案件8件。")
    write(corpus, "b.txt", "区发改局推进“放管服”改革,完成测评1次。")
    build([str(corpus)], data)
    import gc
    gc.collect()  # the build's own handle on the store
    store = ox.Store(str(current_build(data) / "store"))
    assert store_violations(store, query) == []
    # break it in the union: a fact without its sentence, a metric whose value is text, a report
    # with a second title (maxCount 1)
    f = next(iter(query(store, "SELECT ?f WHERE { ?f a zw:Fact } LIMIT 1")))["f"]
    m = next(iter(query(store, "SELECT ?m WHERE { ?m a zw:Metric } LIMIT 1")))["m"]
    r = next(iter(query(store, "SELECT ?r WHERE { ?r a zw:Report } LIMIT 1")))["r"]
    store.update(f"DELETE WHERE {{ {f} zw:sentence ?s }} ; "
                 f"DELETE {{ {m} rdf:value ?v }} INSERT {{ {m} rdf:value \"eight\" }} WHERE {{ {m} rdf:value ?v }} ; "
                 f"INSERT DATA {{ {r} dcterms:title \"另一个标题\" }}",
                 prefixes={"zw": "https://w3id.org/zhengwu-kg/ontology#",
                           "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                           "dcterms": "http://purl.org/dc/terms/"})
    mine = store_violations(store, query)
    union = Graph().parse(data=ox.serialize(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
                                            format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    full = violations(union)
    assert {line.split(": ", 1)[0] for line in mine} == {f.value, m.value, r.value}
    assert all(any(node in line for line in full) for node in (f.value, m.value, r.value)), full
    del store
    assert main(["validate", "--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert "3 violation(s)" in out and f.value in out


def test_a_reports_problems_are_kept_as_text_not_facts():
    """The problems part of a report (no facts) is in the graph as a section of that kind with its
    words, without the page's chrome after it, so an analyst can still ask what problems reports name."""
    text = ("一、主要工作\n区司法局办理行政复议案件5件。\n二、存在的问题\n一是执法信息公示不到位。\n"
            "二是执法人员不足。\n相关附件:\n责任编辑:区司法局\n")
    _, g = to_graph(extract(load_bytes(report(text), "r.txt")))
    parts = [(str(s), str(t)) for s, t in g.subject_objects(ZW.text)]
    assert len(parts) == 1 and (URIRef(parts[0][0]), ZW.partKind, Literal("problems")) in g, parts
    assert "执法信息公示不到位" in parts[0][1] and "执法人员不足" in parts[0][1], parts
    assert "责任编辑" not in parts[0][1] and "附件" not in parts[0][1], parts
    sentences = [str(o) for o in g.objects(None, ZW.sentence)]
    assert any("行政复议案件5件" in s for s in sentences) and not any("不到位" in s for s in sentences), sentences
