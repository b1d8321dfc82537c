"""Reports as they are published: PDF and Word attachments give what their text gives; the
formats we cannot read say what to do."""
import re
import subprocess
import sys
import unicodedata

import pytest

from kg.extract import extract
from kg.text.documents import DocumentError, load, load_bytes
from kg.text.normalize import clean_slice

from conftest import SEED
from pdfmaker import paged, pdf_bytes

SEED_TEXT = SEED.read_text(encoding="utf-8")


def flat(s: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", s))


def summary(x):
    return (sorted({(e.type, e.label) for e in x.entities}), [(f.action, flat(f.sentence)) for f in x.facts],
            sorted((m.value, m.unit) for m in x.metrics))


@pytest.fixture(scope="module")
def plain():
    return extract(load_bytes(SEED.read_bytes(), SEED.name))


def _check_offsets(x):
    body = x.document.body
    for f in x.facts:
        assert clean_slice(body, f.start, f.end) == f.sentence
    for e in x.entities:
        for m in e.mentions:
            assert clean_slice(body, m.start, m.end) == m.text


def test_a_pdf_of_the_report_gives_what_its_text_gives(tmp_path, plain):
    path = tmp_path / "luojiang-2022h1.pdf"
    path.write_bytes(pdf_bytes(paged(SEED_TEXT)))
    x = extract(load(path))
    assert "德阳市罗江区人民政府\n" not in x.document.body[20:] and "- 2 -" not in x.document.body  # furniture gone
    assert summary(x) == summary(plain)
    _check_offsets(x)


def test_a_word_file_of_the_report_gives_what_its_text_gives(tmp_path, plain):
    import docx
    d = docx.Document()
    for para in SEED_TEXT.split("\n"):
        d.add_paragraph(para)
    path = tmp_path / "luojiang-2022h1.docx"
    d.save(path)
    x = extract(load(path))
    assert summary(x) == summary(plain)
    _check_offsets(x)


def test_a_word_table_is_read_row_by_row(tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("某区2022年法治政府建设工作报告")
    t = d.add_table(rows=2, cols=3)
    for i, row in enumerate((("单位", "案件", "办结"), ("区司法局", "8件", "6件"))):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    d.add_paragraph("区发改局推进“放管服”改革。")
    d.save(tmp_path / "t.docx")
    body = load(tmp_path / "t.docx").body
    assert "区司法局  8件  6件" in body and body.index("单位") < body.index("区发改局")


@pytest.mark.parametrize("name,data,says", [
    ("scan.pdf", pdf_bytes([[], []]), "without a text layer"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "convert it to DOCX or PDF"),
    ("report.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "WPS"),
    ("report.ofd", b"PK\x03\x04OFD.xml", "OFD"),
    ("broken.pdf", b"%PDF-1.4\n garbage", "PDF"),
    ("broken.docx", b"PK\x03\x04 garbage word/", "Word file"),
])
def test_formats_we_cannot_read_say_what_to_do(tmp_path, name, data, says):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(DocumentError, match=says):
        load(tmp_path / name)


def test_a_pdf_named_txt_is_read_as_a_pdf(tmp_path):
    (tmp_path / "r.txt").write_bytes(pdf_bytes([["某区2022年法治政府建设工作报告", "区司法局开展普法宣传活动5场。"]]))
    assert load(tmp_path / "r.txt").body.startswith("某区2022年")


def test_a_folder_of_attachments_builds_and_names_what_it_skips(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(pdf_bytes(paged(SEED_TEXT[:1500])))
    (folder / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    (folder / "c.xlsx").write_bytes(b"PK\x03\x04xl/")
    (folder / "notes.md").write_text("# notes")
    r = subprocess.run([sys.executable, "-m", "app.cli", "build", str(folder), "--data", str(tmp_path / "data")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "1 report(s) ingested" in r.stdout
    assert "b.doc: a legacy Word (.doc) file: convert it to DOCX or PDF" in r.stderr
    assert "c.xlsx: a spreadsheet" in r.stderr and "notes.md: not a report format" in r.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    r = subprocess.run([sys.executable, "-m", "app.cli", "build", str(empty), "--data", str(tmp_path / "data2")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "no report files" in r.stderr and not (tmp_path / "data2" / "current").exists()
