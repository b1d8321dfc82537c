"""Incremental builds: adding, changing or removing a report costs that report, and the result
answers exactly as a build from scratch of the same reports would (graph, union graph, index,
search, SPARQL); nothing changed is a no-op; a killed incremental build leaves the current one
whole."""
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from whoosh import index as windex

from app.build import build, remove
from app.cli import main
from index.search import search
from kg.datafolder import current_build
from kg.graph.store import open_store, query

from conftest import SEED


def _parts(folder: Path, n: int = 6) -> list[Path]:
    """The bundled report cut into `n` reports of its own (title line, then a share of its
    paragraphs): real text with different departments, places and regulations in each."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    title, body = lines[0], [ln for ln in lines[6:] if ln.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"part{i}.txt"
        share = body[i::n]
        p.write_text(f"---\ntitle: {title}(第{i + 1}部分)\nregion: 四川省/德阳市/罗江区\nyear: 2022\n---\n"
                     + "\n".join(share) + "\n", encoding="utf-8")
        out.append(p)
    return out


def _state(data: Path) -> dict:
    """Everything a reader can see of a build, in a comparable form."""
    b = current_build(data)
    store = ox.Store.read_only(str(b / "store"))
    quads = sorted(str(q) for q in store)
    del store
    with windex.open_dir(str(b / "index")).searcher() as s:
        cards = sorted(json.dumps(d, sort_keys=True, ensure_ascii=False, default=str) for d in s.all_stored_fields())
        postings = _postings(s.reader())
    manifest = json.loads((b / "manifest.json").read_text(encoding="utf-8"))
    return {
        "quads (every named graph and the union default graph)": quads,
        "index cards": cards,
        "index terms (what each card was analysed into, with positions)": postings,
        "user dictionary": (b / "index" / "userdict.txt").read_text(encoding="utf-8"),
        "pinyin readings of the index's words": (b / "index" / "readings.tsv").read_text(encoding="utf-8"),
        "reports": {k: {kk: vv for kk, vv in v.items() if kk != "source"} for k, v in manifest["documents"].items()},
        "triples": manifest["triples"],
        "bodies": {p.name: p.read_bytes() for p in (b / "docs").iterdir()},
    }


def _postings(reader) -> dict:
    """(field, term) -> [(card id, positions)] over the live cards: the inverted index itself,
    free of document numbers (which differ between an updated index and a new one)."""
    ids = {n: f["id"] for n, f in reader.iter_docs()}
    out = {}
    for field, term in reader.all_terms():
        m = reader.postings(field, term)
        docs = []
        while m.is_active():
            positions = tuple(m.value_as("positions")) if m.supports("positions") else ()
            docs.append((ids[m.id()], positions))
            m.next()
        if docs:
            out[(field, term)] = sorted(docs)
    return out


def _answers(data: Path) -> dict:
    b = current_build(data)
    hits = {}
    for q in ("司法局", "行政复议", "万安镇", "wanan", "行政处罚法", "普法", "xingzheng fuyi"):
        r = search(b / "index", q, limit=100)
        # the hits themselves where all fit on one page (ranks may differ by the statistics of
        # deleted cards, which a build from scratch does not have)
        hits[q] = (r["total"], r["facets"], sorted(h["id"] for h in r["hits"]) if r["total"] <= 100 else None,
                   r.get("read_as"))
    store = open_store(data)
    sparql = {}
    for name, q in {"facts per agent": "SELECT ?a (COUNT(?f) AS ?n) WHERE { ?f a zw:Fact ; prov:wasAssociatedWith ?a } "
                                       "GROUP BY ?a ORDER BY ?a",
                    "reports": "SELECT ?r ?t WHERE { ?r a zw:Report ; dcterms:title ?t } ORDER BY ?r",
                    "labels": "SELECT (COUNT(*) AS ?n) WHERE { ?e skos:prefLabel ?l }"}.items():
        sparql[name] = [tuple(str(t) for t in row) for row in query(store, q)]
    del store
    return {"search": hits, "sparql": sparql}


def _assert_same(a: Path, b: Path) -> None:
    sa, sb = _state(a), _state(b)
    for key in sa:
        assert sa[key] == sb[key], f"{key} differs from a build from scratch"
    assert _answers(a) == _answers(b)


def test_add_change_remove_answer_as_a_build_from_scratch(tmp_path):
    parts = _parts(tmp_path / "in")
    data = tmp_path / "data"
    r = build([str(p) for p in parts[:3]], data)
    assert not r.incremental and len(r.loaded) == 3
    # add two
    r = build([str(p) for p in parts[:5]], data)
    assert r.incremental and len(r.loaded) == 2 and len(r.unchanged) == 3
    # change one: another part's text, so new names (and dictionary words) come and go
    parts[1].write_text(parts[5].read_text(encoding="utf-8").replace("第6部分", "第2部分"), encoding="utf-8")
    r = build([str(parts[1])], data)
    assert r.incremental and [Path(p).name for p in r.loaded] == ["part1.txt"] and r.kept == 4
    # a change that cannot be read keeps the version already built
    good0 = parts[0].read_bytes()
    parts[0].write_bytes(b"\x00\x01garbage" * 100)
    r = build([str(parts[0])], data)
    assert r.skipped and not r.loaded
    parts[0].write_bytes(good0)
    # remove one
    r = remove(["part2"], data)
    assert r.removed == ["part2"] and r.kept == 4
    final = [parts[0], parts[1], parts[3], parts[4]]
    scratch = tmp_path / "scratch"
    build([str(p) for p in final], scratch)
    _assert_same(data, scratch)


def _segments(data: Path) -> list[tuple[int, int]]:
    with windex.open_dir(str(current_build(data) / "index")).reader() as r:
        return [(seg.doc_count_all(), seg.doc_count()) for seg in getattr(r, "readers", [r])]


def test_updates_leave_no_empty_segments_and_merge_the_small_ones(tmp_path, monkeypatch):
    """Reports coming and going all year must not leave the index a lengthening list of small
    and emptied segments that every search reads; the index still answers as one built afresh."""
    import index.build
    monkeypatch.setattr(index.build, "MOST_SEGMENTS", 4)
    parts = _parts(tmp_path / "in", 6)
    data = tmp_path / "data"
    build([str(p) for p in parts[:2]], data)
    counts = []
    for p in parts[2:]:
        build([str(p)], data)
        remove([p.stem], data)
        counts.append(len(_segments(data)))
    assert all(live for _, live in _segments(data)), "a segment whose cards were all deleted is kept"
    assert max(counts) < 4, counts  # whoosh alone: 3, 4, 5, 6
    scratch = tmp_path / "scratch"
    build([str(p) for p in parts[:2]], scratch)
    _assert_same(data, scratch)


def test_an_update_over_a_damaged_readings_table_spells_every_word_again(tmp_path):
    parts = _parts(tmp_path / "in", 3)
    data = tmp_path / "data"
    build([str(p) for p in parts[:2]], data)
    table = current_build(data) / "index" / "readings.tsv"
    table.write_bytes(b"\xff\xfe")  # the current build's own file: the update makes a new one
    build([str(parts[2])], data)
    scratch = tmp_path / "scratch"
    build([str(p) for p in parts], scratch)
    assert (current_build(data) / "index" / "readings.tsv").read_text(encoding="utf-8") == \
        (current_build(scratch) / "index" / "readings.tsv").read_text(encoding="utf-8")


def test_the_same_reports_in_worker_processes_give_the_same_build(tmp_path):
    parts = _parts(tmp_path / "in", 4)
    build([str(tmp_path / "in")], tmp_path / "one", jobs=1)
    build([str(tmp_path / "in")], tmp_path / "two", jobs=2)
    _assert_same(tmp_path / "one", tmp_path / "two")
    assert len(parts) == 4


def test_a_build_with_nothing_changed_does_nothing(tmp_path, capsys):
    _parts(tmp_path / "in", 3)
    data = tmp_path / "data"
    assert main(["build", str(tmp_path / "in"), "--data", str(data)]) == 0
    before = current_build(data)
    capsys.readouterr()
    status = tmp_path / "status.jsonl"
    assert main(["build", str(tmp_path / "in"), "--data", str(data), "--status", str(status)]) == 0
    out = capsys.readouterr().out
    assert "nothing changed" in out and "3 report(s) unchanged" in out
    assert current_build(data) == before and [p for p in (data / "builds").iterdir()] == [before]
    assert [json.loads(line)["status"] for line in status.read_text().splitlines()] == ["unchanged"] * 3
    # --full builds everything again, from scratch
    assert main(["build", str(tmp_path / "in"), "--data", str(data), "--full"]) == 0
    assert "3 report(s) ingested" in capsys.readouterr().out and current_build(data) != before


def test_kg_remove_takes_a_report_out_of_pages_search_and_sparql(tmp_path, capsys):
    from web import create_app
    _parts(tmp_path / "in", 3)
    data = tmp_path / "data"
    assert main(["build", str(tmp_path / "in"), "--data", str(data)]) == 0
    client = create_app({"DATA": str(data), "TESTING": True}).test_client()
    assert client.get("/document/part1").status_code == 200
    assert main(["remove", "part1", "nosuch", "--data", str(data)]) == 1
    assert "no report 'nosuch'" in capsys.readouterr().err
    assert main(["remove", "part1", "--data", str(data)]) == 0
    assert "removed part1" in capsys.readouterr().out
    client = create_app({"DATA": str(data), "TESTING": True}).test_client()
    assert client.get("/document/part1").status_code == 404
    assert all("/part1" not in h["id"] for h in search(current_build(data) / "index", "司法局", limit=100)["hits"])
    store = open_store(data)
    titles = [r["t"].value for r in query(store, "SELECT ?t WHERE { ?r a zw:Report ; dcterms:title ?t }")]
    assert len(titles) == 2 and not any("第2部分" in t for t in titles)


def test_kill_9_during_an_incremental_build_leaves_the_current_one_whole(tmp_path):
    parts = _parts(tmp_path / "in", 6)
    data = tmp_path / "data"
    build([str(p) for p in parts[:2]], data)
    good = current_build(data)
    before = _state(data)
    for i, delay in enumerate((0.3, 0.8, 1.5, 2.5)):
        parts[i].write_text(parts[i].read_text(encoding="utf-8") + f"\n区司法局开展普法宣传活动{i + 2}场。\n",
                            encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "build", str(tmp_path / "in"), "--data", str(data)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        build_now = current_build(data)
        if build_now == good:
            # the build it was made from is exactly as it was: its files are linked, never written
            assert _state(data) == before
        else:  # the kill came after the swap: a whole build
            m = json.loads((build_now / "manifest.json").read_text(encoding="utf-8"))
            store = open_store(data)
            n = int(next(iter(query(store, "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a zw:Report }")))["n"].value)
            assert n == len(m["documents"])
            del store
            good, before = build_now, _state(data)
    # and the next build finishes the work
    r = build([str(tmp_path / "in")], data)
    assert not r.skipped
    scratch = tmp_path / "scratch"
    build([str(tmp_path / "in")], scratch)
    _assert_same(data, scratch)


@pytest.mark.parametrize("change", ["ontology", "extractor"])
def test_a_new_extractor_or_ontology_reads_the_reports_again(tmp_path, monkeypatch, change):
    from app import build as build_module
    _parts(tmp_path / "in", 2)
    data = tmp_path / "data"
    build([str(tmp_path / "in")], data)
    if change == "extractor":
        monkeypatch.setattr(build_module, "extractor_version", lambda: "another")
        r = build([str(tmp_path / "in")], data)
        assert len(r.loaded) == 2 and r.incremental
    else:
        real = build_module.file_hash
        monkeypatch.setattr(build_module, "file_hash", lambda p: "x" if str(p).endswith(".ttl") else real(p))
        r = build([str(tmp_path / "in")], data)
        assert not r.nothing_changed and len(r.unchanged) == 2
    scratch = tmp_path / "scratch"
    build([str(tmp_path / "in")], scratch)
    _assert_same(data, scratch)


def test_two_files_of_the_same_name_are_two_reports_with_stable_ids(tmp_path):
    """a/report.txt and b/report.txt collided: the second was skipped. Now the second gets its
    folder's name in its id, and keeps that id in later builds."""
    for folder, text in (("a", "区司法局开展普法宣传活动5场。"), ("b", "区公安局开展禁毒宣传活动3场。")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(f"某区2022年工作报告\n{text}\n", encoding="utf-8")
    data = tmp_path / "data"
    r = build([str(tmp_path / "a"), str(tmp_path / "b")], data)
    assert len(r.loaded) == 2 and not r.skipped
    docs = json.loads((current_build(data) / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert set(docs) == {"report", "b-report"}
    assert Path(docs["b-report"]["source"]).parent.name == "b"
    # b's file alone, changed: it replaces its own report, not a's
    (tmp_path / "b" / "report.txt").write_text("某区2022年工作报告\n区公安局开展禁毒宣传活动4场。\n", encoding="utf-8")
    r = build([str(tmp_path / "b" / "report.txt")], data)
    assert len(r.loaded) == 1 and r.kept == 1
    bodies = {p.name: p.read_text(encoding="utf-8") for p in (current_build(data) / "docs").glob("*.txt")}
    assert "4场" in bodies["b-report.txt"] and "司法局" in bodies["report.txt"]
    assert build([str(tmp_path / "a"), str(tmp_path / "b")], data).nothing_changed


def test_browse_pages_follow_a_new_build(tmp_path):
    """The browse tables are counted once per build: a server that has counted them answers
    with the new build's counts after an incremental build."""
    from web import create_app
    parts = _parts(tmp_path / "in", 4)
    data = tmp_path / "data"
    build([str(p) for p in parts[:2]], data)
    client = create_app({"DATA": str(data), "TESTING": True}).test_client()
    before = {r["label"]: r["stated"] for r in client.get("/departments?format=json").get_json()["departments"]}
    places_before = client.get("/places?format=json").get_json()["total"]
    build([str(p) for p in parts], data)
    time.sleep(0.6)  # a server looks for a new build at most every half second
    after = {r["label"]: r["stated"] for r in client.get("/departments?format=json").get_json()["departments"]}
    gov = "德阳市罗江区人民政府"
    assert after[gov] > before[gov]
    assert client.get("/places?format=json").get_json()["total"] >= places_before
    scratch = tmp_path / "scratch"
    build([str(p) for p in parts], scratch)
    fresh = create_app({"DATA": str(scratch), "TESTING": True}).test_client()
    assert client.get("/departments?format=json").get_json() == fresh.get("/departments?format=json").get_json()
    assert client.get("/places?format=json").get_json() == fresh.get("/places?format=json").get_json()
