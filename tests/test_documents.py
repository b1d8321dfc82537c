import pytest

from kg.text.documents import DocumentError, load_bytes
from kg.text import documents


def test_front_matter_is_removed_and_offsets_count_the_body():
    data = "---\nurl: http://example.gov.cn/a.html\ntitle: 某区报告\nregion: 四川省/德阳市/罗江区\nyear: 2022\n---\n正文第一句。".encode()
    doc = load_bytes(data, "a.txt")
    assert doc.body == "正文第一句。"
    assert doc.meta.url == "http://example.gov.cn/a.html"
    assert doc.meta.region == "四川省/德阳市/罗江区"
    assert doc.meta.year == 2022


def test_gbk_text_is_decoded():
    text = "德阳市罗江区2022年上半年法治政府建设工作开展情况\n发布时间: 2022-08-03\n区司法局开展培训。"
    doc = load_bytes(text.encode("gbk"), "gbk.txt")
    assert doc.body == text
    assert doc.meta.published == "2022-08-03"


def test_metadata_is_inferred_without_front_matter():
    text = ("德阳市罗江区2022年上半年法治政府建设工作开展情况\n索  引  号: 510626-2022-009854\n"
            "发布时间: 2022-08-03 来源: 浏览次数:\n\n2022年上半年,区政府开展工作。")
    doc = load_bytes(text.encode(), "x.txt")
    assert doc.meta.title.startswith("德阳市罗江区2022年上半年")
    assert doc.meta.region == "四川省/德阳市/罗江区"
    assert (doc.meta.year, doc.meta.period) == (2022, "2022-H1")
    assert doc.meta.index_no == "510626-2022-009854"
    assert doc.meta.published == "2022-08-03"
    assert doc.meta.publisher is None  # "来源:" is empty; the next label is not a publisher


@pytest.mark.parametrize("title,period", [("某县2023年度法治政府建设情况报告", "2023"),
                                          ("某市2021年下半年工作总结", "2021-H2"),
                                          ("某区2024年第三季度工作情况", "2024-Q3")])
def test_periods(title, period):
    doc = load_bytes(f"{title}\n正文开展工作。".encode(), "p.txt")
    assert doc.meta.period == period


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
    (bytes(range(128, 256)) * 50, "undecodable"),
    (b"---\ntitle: x\nthis line is not a field\n", "front matter"),
    (b"---\ntitle: x\n", "front matter"),
])
def test_bad_input_gets_a_clear_reason(data, reason):
    with pytest.raises(DocumentError) as err:
        load_bytes(data, "bad.txt")
    assert "bad.txt" in str(err.value)
    assert reason in err.value.reason


def test_oversized_file_is_refused(monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 100)
    with pytest.raises(DocumentError) as err:
        load_bytes(("开展工作。" * 50).encode(), "big.txt")
    assert "oversized" in err.value.reason


def test_saved_web_page_keeps_the_article_and_drops_navigation():
    html = """<html><head><title>罗江区法治政府建设报告</title></head><body>
    <div class="nav"><a href="/">首页</a> <a href="/x">政务公开</a> <a>网站地图导航栏目</a></div>
    <div class="header">德阳市罗江区人民政府门户网站欢迎您访问本网站</div>
    <div id="content"><h1>罗江区法治政府建设报告</h1>
      <p>2022年上半年,区司法局组织开展法治培训3次,参训人员120人。</p>
      <p>区发改局牵头推进“放管服”改革,优化营商环境。</p></div>
    <div class="footer">版权所有 德阳市罗江区人民政府 技术支持某某公司</div></body></html>"""
    doc = load_bytes(html.encode(), "page.html", is_html=True)
    assert "区司法局组织开展法治培训3次" in doc.body
    assert "放管服" in doc.body
    assert "首页" not in doc.body and "版权所有" not in doc.body
    assert doc.meta.title == "罗江区法治政府建设报告"


def test_broken_and_deeply_nested_html_still_loads():
    html = "<html><body>" + "<div>" * 3000 + "<p>区司法局开展普法宣传活动5场。" + "</div>" * 10
    doc = load_bytes(html.encode(), "deep.html", is_html=True)
    assert "普法宣传活动5场" in doc.body


def test_other_encodings_are_named_not_read_as_mojibake():
    import pytest
    cases = {"big5": ("某縣政府推進法治政府建設,依法行政。" * 20, "Big5"),
             "shift_jis": ("法治政府の建設を推進する。" * 20, "Japanese"),
             "euc_kr": ("법치 정부 건설을 추진한다. " * 20, "Korean")}
    for codec, (text, says) in cases.items():
        with pytest.raises(DocumentError, match=says):
            load_bytes(text.encode(codec), f"{codec}.txt")
    # and GBK Chinese, spaces and all, still reads
    doc = load_bytes("索  引  号: 1\n某区政府开展法治政府建设工作, 区司法局办理行政复议案件。".encode("gbk"), "gbk.txt")
    assert "行政复议" in doc.body


def test_a_region_the_division_table_does_not_know_is_read_from_the_report():
    """A front-matter region that resolves to no division (a typo, a made-up name) left the
    report without a region (its government became 本级人民政府); the title, the opening or the
    sign-off at the end name it."""
    signed = "2022年,开展普法宣传活动12场。\n" + "县司法局办理案件5件。\n" * 300 + "\n岳阳县人民政府\n2023年3月1日\n"
    doc = load_bytes(f"---\ntitle: 2022年法治政府建设情况报告\nregion: 某某市\n---\n{signed}".encode(), "r.txt")
    assert doc.meta.region == "湖南省/岳阳市/岳阳县"
    doc = load_bytes("---\ntitle: 高邮市2022年法治政府建设情况报告\nregion: 不详\n---\n正文。".encode(), "r.txt")
    assert doc.meta.region.endswith("高邮市")
    # a region that resolves is kept as given
    doc = load_bytes("---\ntitle: 高邮市2022年报告\nregion: 四川省/德阳市/罗江区\n---\n正文。".encode(), "r.txt")
    assert doc.meta.region == "四川省/德阳市/罗江区"


def test_a_file_of_mixed_encodings_is_read_as_far_as_it_can_be_and_says_what_it_repaired():
    utf8 = "2022年,区司法局开展普法宣传活动12场。\n".encode("utf-8") * 4
    gbk = "区公安局办理行政案件5件。\n".encode("gbk")
    bad = "区财政局完成审计3次。".encode("utf-8") + b"\xff\xfe" + "\x07\x1b[31m完成。\n".encode("utf-8")
    doc = load_bytes(utf8 + gbk + bad, "mixed.txt")
    assert "区公安局办理行政案件5件。" in doc.body
    assert "区财政局完成审计3次。" in doc.body and "\x07" not in doc.body and "[31m" not in doc.body
    said = " ".join(doc.notes)
    assert "1 line(s) in GB18030/GBK" in said and "2 undecodable byte sequence(s) replaced" in said
    assert "control character(s) removed" in said
    # a clean file has nothing to say; random bytes are still no report
    assert load_bytes(utf8, "clean.txt").notes == []
    import random
    rng = random.Random(3)
    noise = bytes(rng.randrange(256) for _ in range(4000)).replace(b"\x00", b"")
    with pytest.raises(DocumentError):
        load_bytes(noise, "noise.txt")
