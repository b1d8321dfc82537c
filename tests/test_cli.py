import json
import subprocess
import sys

from conftest import SEED

from app.cli import main


def run_cli(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_extract_seed_end_to_end(capsys):
    code, out, err = run_cli(["extract", str(SEED), "--json"], capsys)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 1
    d = json.loads(lines[0])
    assert d["document"]["region"] == "四川省/德阳市/罗江区"
    assert d["document"]["period"] == "2022-H1"
    assert d["document"]["published"] == "2022-08-03"
    body = SEED.read_text(encoding="utf-8")
    ids = {e["id"] for e in d["entities"]}
    labels = {e["label"] for e in d["entities"]}
    assert {"德阳市罗江区司法局", "德阳市罗江区发展和改革局", "行政处罚法", "万安镇", "放管服改革"} <= labels
    for e in d["entities"]:
        for m in e["mentions"]:
            assert body[m["start"]:m["end"]] == m["text"]
    for m in d["metrics"]:
        assert body[m["start"]:m["end"]] == m["text"]
    assert any(m["value"] == 8 and m["unit"] == "件" for m in d["metrics"])
    for f in d["facts"]:
        assert f["agent"] in ids
        assert body[f["start"]:f["end"]] == f["sentence"]
        assert all(r in ids for r in f["regulations"] + f["initiatives"] + f["places"])
    # a fact names the agent of 设立行政复议与应诉股-style statements and the section it is in
    assert any(f["section"] for f in d["facts"])


def test_bad_files_are_reported_and_the_rest_extracted(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("某区2022年工作报告\n区司法局开展普法宣传活动5场。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (tmp_path / "gbk.txt").write_bytes("某县2023年度报告\n县司法局办理案件3件。".encode("gbk"))
    code, out, err = run_cli(["extract", str(tmp_path), "--json"], capsys)
    assert code == 1
    assert "empty.txt: empty file" in err
    assert "binary.txt: binary file" in err
    assert "Traceback" not in err
    sources = {json.loads(line)["document"]["source"].split("/")[-1] for line in out.splitlines()}
    assert sources == {"good.txt", "gbk.txt"}


def test_missing_file_is_reported(tmp_path, capsys):
    code, out, err = run_cli(["extract", str(tmp_path / "nope.txt"), "--json"], capsys)
    assert code == 1 and "nope.txt" in err and "cannot be read" in err


def test_console_script_help():
    r = subprocess.run([sys.executable, "-m", "app.cli", "extract", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "--json" in r.stdout


def test_an_internal_error_in_one_file_is_reported_and_the_others_extracted(tmp_path, capsys, monkeypatch):
    import app.cli as ke
    (tmp_path / "a.txt").write_text("某区2022年工作报告\n区司法局开展普法宣传活动5场。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("某区2022年工作报告\n区发改局推进改革。", encoding="utf-8")
    real = ke.extract

    def flaky(doc):
        if doc.source.endswith("b.txt"):
            raise ValueError("boom")
        return real(doc)
    monkeypatch.setattr(ke, "extract", flaky)
    code, out, err = run_cli(["extract", str(tmp_path), "--json"], capsys)
    assert code == 1 and "b.txt: internal error (ValueError: boom)" in err and "Traceback" not in err
    assert len(out.strip().splitlines()) == 1


def test_kg_query_says_what_is_wrong_in_one_line(built_data):
    import subprocess
    import sys
    def run(q):
        r = subprocess.run([sys.executable, "-m", "app.cli", "query", q, "--data", str(built_data)],
                           capture_output=True, text=True, timeout=60)
        return r.returncode, r.stderr.strip()
    code, err = run("SELECT * WHERE { ?s ex:p ?o }")
    assert code == 2 and err.startswith("kg query: unknown prefix ex:") and len(err.splitlines()) == 1
    code, err = run("SELECT * WHERE {\n ?s ?p ?o .\n FILTER(?o = ) }")
    assert code == 2 and "syntax error at line 3, column" in err and len(err.splitlines()) == 1
    code, err = run("DELETE WHERE { ?s ?p ?o }")
    assert code == 2 and "read-only" in err
    code, err = run('SELECT ?s WHERE { ?s zw:level "a:b" } LIMIT 1')  # a colon in a string is no prefix
    assert code == 0


def test_build_status_file_and_progress_lines(tmp_path):
    import json
    import subprocess
    import sys
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(120):
        (folder / f"r{i:03d}.txt").write_text(f"某区2022年工作报告{i}\n区司法局开展普法宣传活动{i % 9 + 1}场。", encoding="utf-8")
    (folder / "empty.txt").write_text("")
    status = tmp_path / "status.jsonl"
    r = subprocess.run([sys.executable, "-m", "app.cli", "build", str(folder), "--data", str(tmp_path / "data"),
                        "--status", str(status)], capture_output=True, text=True, timeout=300)
    lines = [json.loads(line) for line in status.read_text(encoding="utf-8").splitlines()]
    assert r.returncode == 1 and len(lines) == 121
    assert sum(1 for x in lines if x["status"] == "ingested") == 120
    assert [x for x in lines if x["status"] != "ingested"] == [
        {"file": str(folder / "empty.txt"), "status": "skipped", "reason": "empty file"}]
    # not a terminal: a plain progress line every 100 reports and at the end, with rate and time left
    progress = [line for line in r.stderr.splitlines() if line.startswith("[")]
    assert progress[0].startswith("[100/121]") and progress[-1].startswith("[121/121]") and "reports/s" in progress[0]


def test_what_reading_repaired_is_said_by_build_and_extract(tmp_path):
    import json
    import subprocess
    import sys
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mixed.txt").write_bytes("某区2022年工作报告\n区司法局开展普法宣传活动3场。\n".encode("utf-8") * 3
                                       + "区公安局办理行政案件5件。\n".encode("gbk"))
    status = tmp_path / "status.jsonl"
    r = subprocess.run([sys.executable, "-m", "app.cli", "build", str(folder), "--data", str(tmp_path / "data"),
                        "--status", str(status)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"kg: note: {folder / 'mixed.txt'}: mixed encodings: 1 line(s) in GB18030/GBK among UTF-8" in r.stderr
    [line] = [json.loads(x) for x in status.read_text(encoding="utf-8").splitlines()]
    assert line["status"] == "ingested" and line["notes"] == ["mixed encodings: 1 line(s) in GB18030/GBK among UTF-8"]
    r = subprocess.run([sys.executable, "-m", "app.cli", "search", "公安局", "--json", "--data", str(tmp_path / "data")],
                       capture_output=True, text=True, timeout=120)
    assert json.loads(r.stdout)["total"] >= 1  # the GBK line is searchable
    r = subprocess.run([sys.executable, "-m", "app.cli", "extract", str(folder / "mixed.txt")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "kg: note:" in r.stderr and "mixed encodings" in r.stderr
