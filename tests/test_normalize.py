"""The normalisation layer: recognisers read one typography, every offset points into the text
as the file gave it."""
import re
import subprocess
import sys
import unicodedata

from hypothesis import given, settings, strategies as st

from kg.extract import extract
from kg.text.documents import load_bytes
from kg.text.normalize import clean_slice, fold, normalize

from conftest import ROOT, SEED

VARIANTS = ROOT.parent / "shared" / "eval" / "variants.py"
PIECES = st.sampled_from(["区司法局", "开展", "普法", "宣传", "活动", "5场", "５场", ",", "，", ":", "：", "(", "（", ")", "）",
                          "。", "\n", "\r\n", "\r", "\u3000\u3000", " ", "\u00a0", "\u2028", "一、", "(一)", "㈠", "①", "\u200b",
                          "行政复议案件", "3件", "《行政处罚法》", "“放管服”改革"])


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join))
def test_every_normalised_character_comes_from_its_original(text):
    n = normalize(text)
    assert len(n.origin) == len(n.text) + 1 and n.origin[-1] == len(text)
    assert all(a <= b for a, b in zip(n.origin, n.origin[1:])), "the map keeps the order of the text"
    for i, ch in enumerate(n.text):
        source = text[n.origin[i]]
        assert ch in fold(source) or (ch == "\n" and source in "\r\n\u2028\u2029\u0085")
    # a span of the normalised text maps to the original characters it was read from
    for s in range(len(n.text)):
        a, b = n.span(s, s + 1)
        assert b == a + 1 and (n.text[s] in fold(text[a:b]) or n.text[s] == "\n")


def nfkc_flat(s: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", s))


def _variant(kind: str, tmp_path) -> str:
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / SEED.name).write_bytes(SEED.read_bytes())
    subprocess.run([sys.executable, str(VARIANTS), str(tmp_path / "in"), str(tmp_path / kind), "--kind", kind],
                   check=True, capture_output=True)
    return (tmp_path / kind / SEED.name).read_bytes().decode("utf-8")  # CRs kept


def _summary(x):
    return (sorted((e.type, e.label) for e in x.entities), [(f.action, nfkc_flat(f.sentence)) for f in x.facts],
            [(m.value, m.unit) for m in x.metrics])


def test_the_bundled_report_reads_the_same_in_every_typography(tmp_path):
    import pytest
    if not VARIANTS.exists():
        pytest.skip("../shared/eval/variants.py is not beside the checkout")
    plain = extract(load_bytes(SEED.read_bytes(), SEED.name))
    for kind in ("fullwidth", "indent", "wrap", "crlf", "all"):
        text = _variant(kind, tmp_path)
        x = extract(load_bytes(text.encode("utf-8"), SEED.name))
        assert _summary(x) == _summary(plain), kind
        body = x.document.body
        assert body != plain.document.body and nfkc_flat(body) == nfkc_flat(plain.document.body)
        for e in x.entities:
            for m in e.mentions:
                assert clean_slice(body, m.start, m.end) == m.text
        for f in x.facts:
            assert f.sentence == clean_slice(body, f.start, f.end) and "\n" not in f.sentence
        for s in x.document.sections:
            assert clean_slice(body, s.heading_start, s.heading_end) == s.heading


def test_real_typography_written_for_the_test():
    text = ("某区司法局2022年法治政府建设工作报告\r\n"
            "\u3000\u3000一、主要工作\r\n"
            "\u3000\u3000区司法局依据《中华人民共和国行政复议法》，办理行政复议案件８件（新收６件），\r\n"
            "组织开展“八五”普法宣传活动１２场；区发改局推进“放管服”改革。\r\n")
    x = extract(load_bytes(f"---\ntitle: 测试报告\nregion: 四川省/德阳市/罗江区\nyear: 2022\n---\n{text}".encode(), "t.txt"))
    labels = {e.label for e in x.entities}
    assert {"德阳市罗江区司法局", "德阳市罗江区发展和改革局"} <= labels
    assert any(e.type == "Regulation" and "行政复议法" in e.label for e in x.entities)
    assert sorted((m.value, m.unit) for m in x.metrics) == [(6, "件"), (8, "件"), (12, "场")]
    for m in x.metrics:
        assert x.document.body[m.start:m.end] == m.text and m.text[0] in "８６１"  # full-width, as written
    assert any("（新收６件）" in f.sentence for f in x.facts)


def test_hard_wrapped_lines_are_joined_but_headings_and_items_are_not():
    paragraph = ("区司法局依据有关规定开展行政执法监督工作,组织全区各部门开展培训,对照清单逐项落实整改要求和各项"
                 "工作任务,推动执法规范化建设取得实效,群众满意度持续提升,各项工作稳步推进。")
    wrapped = [paragraph[i:i + 20] for i in range(0, len(paragraph), 20)]  # as copied from a PDF page
    lines = ["一、总体情况", *wrapped, "(二)加强队伍建设", "1.开展培训。"]
    n = normalize("\r\n".join(lines))
    assert n.text.split("\n") == ["一、总体情况", paragraph, "(二)加强队伍建设", "1.开展培训。"]
    # a text of short lines that are not wrapped is left as it is
    table = "\n".join(["序号  单位名称      数量  备注合计" for _ in range(5)])
    assert normalize(table).text == table
