"""Every page and its JSON twin, linked-data IRIs, errors and escaping (Flask test client)."""
from urllib.parse import quote

import pytest

from web import create_app


@pytest.fixture(scope="module")
def client(built_data):
    app = create_app({"DATA": str(built_data), "TESTING": True})
    return app.test_client()


JSON = {"Accept": "application/json"}


def test_home_shows_the_corpus(client):
    r = client.get("/")
    assert r.status_code == 200 and "德阳市罗江区2022年上半年法治政府建设工作开展情况" in r.text
    d = client.get("/", headers=JSON).get_json()
    assert d["overview"]["counts"]["Fact"] > 50 and d["overview"]["documents"][0]["period"] == "2022-H1"
    assert d["gallery"]


def test_search_page_and_json_twin(client):
    r = client.get("/search?q=万安")
    assert r.status_code == 200 and "万安镇" in r.text and "<mark" in r.text
    d = client.get("/search?q=万安", headers=JSON).get_json()
    assert d["hits"][0]["label"] == "万安镇" and d["hits"][0]["type"] == "Place"
    assert "region" in r.text and "罗江区" in r.text  # facets
    d2 = client.get("/search?q=万安&type=passage&page=1&limit=2", headers=JSON).get_json()
    assert len(d2["hits"]) <= 2 and all(h["type"] == "Passage" for h in d2["hits"])


def test_a_pinyin_query_says_how_it_was_read_and_offers_the_chinese(client):
    r = client.get("/search?q=xingzheng+fuyi&lang=zh")
    assert r.status_code == 200 and "按拼音读作" in r.text
    assert f'href="/search?q={quote("行政复议")}"' in r.text and 'term0">行政复议</mark>' in r.text
    assert client.get("/search?q=xingzheng+fuyi", headers=JSON).get_json()["read_as"][0] == "行政复议"
    assert "Read as pinyin" in client.get("/search?q=xingzheng+fuyi&lang=en").text
    initials = client.get("/search?q=xzfy&lang=zh").text
    assert "按拼音首字母读作" in initials and 'term0">行政复议</mark>' in initials
    assert "按拼音首字母读作" not in r.text


def test_entity_hits_say_the_name_in_the_reader_s_language_not_index_spellings(client):
    en = client.get("/search?q=Bureau+of+Justice&type=department&lang=en").text
    assert "Luojiang District Deyang City Bureau of Justice" in en and "/ Justice Bureau" not in en
    zh = client.get("/search?q=司法局&type=department&lang=zh").text
    assert "Bureau of Justice" not in zh
    assert "luojiang" not in zh.lower()  # the pinyin the index matches by is not a name to show
    assert '<div class="card muted"></div>' not in zh.replace("\n", "")


def test_a_document_s_hit_is_not_named_by_its_place_alone_in_english(client):
    """A rough English name reads only the place in a document's title (Luojiang District for
    《罗江区…工作要点》): shown beside a document, it would be a wrong name."""
    from kg.text.english import english_name
    hits = [h for h in client.get("/search?q=法治&type=regulation", headers=JSON).get_json()["hits"]
            if h["type"] == "Regulation" and english_name(h["label"], "Regulation")]
    assert hits
    en = client.get("/search?q=法治&type=regulation&lang=en").text
    for h in hits:
        assert f'{h["label"]}</a> <span class="muted" lang="en">{english_name(h["label"], "Regulation")}<' not in en


def test_an_english_reader_can_read_the_list_of_departments(client):
    rows = client.get("/departments", headers=JSON).get_json()["departments"]
    justice = next(r["label"] for r in rows if r["label"].endswith("司法局"))
    en = client.get("/departments?lang=en").text
    assert f'{justice}</a><br><span class="muted" lang="en">' in en and "Bureau of Justice" in en
    assert "Bureau of Justice" not in client.get("/departments?lang=zh").text


def test_an_english_reader_reads_where_each_report_comes_from(client):
    en = client.get("/?lang=en").text
    assert "Luojiang District, Deyang City, Sichuan Province" in en and 'title="四川省/德阳市/罗江区"' in en
    assert "四川省/德阳市/罗江区" in client.get("/?lang=zh").text and "Luojiang District" not in client.get("/?lang=zh").text


def test_an_english_reader_reads_the_places_and_bodies_a_page_lists(client):
    en = client.get("/place/" + quote("四川省") + "?lang=en").text
    assert '德阳市</a> <span class="muted" lang="en">Deyang City</span>' in en  # what it contains
    assert "德阳市罗江区人民政府</a><br><span class=\"muted\" lang=\"en\">Luojiang District Deyang City People" in en
    zh = client.get("/place/" + quote("四川省") + "?lang=zh").text
    assert "Deyang City" not in zh and "People's Government" not in zh


def test_a_body_whose_kind_is_unknown_is_not_named_by_its_place_in_english():
    from kg.text.english import display_name
    assert display_name("德阳市罗江区司法局行政复议与应诉股", "Department") == ""
    assert display_name("德阳市罗江区司法局", "Department") == "Luojiang District Deyang City Bureau of Justice"
    assert display_name("调元镇", "Place") == "Tiaoyuan Town"
    # a Party body is the CPC's, not a place called Zhonggongdeyang; a subdistrict's office an office
    assert display_name("中共德阳市罗江区委全面依法治区委员会", "Department") == \
        "CPC Luojiang District Deyang City Committee for Law-Based Governance"
    assert display_name("中共德阳市罗江区委", "Department") == "CPC Luojiang District Deyang City Committee"
    assert display_name("中共四川省委", "Department") == "CPC Sichuan Province Committee"
    assert display_name("广州市海珠区龙凤街道办事处", "Department") == \
        "Longfeng Subdistrict Haizhu District Guangzhou City Office"


def test_an_english_reader_sees_a_department_s_english_name(client):
    en = client.get("/department/德阳市罗江区司法局?lang=en").text
    assert "Luojiang District Deyang City Bureau of Justice" in en
    assert "Bureau of Justice" not in client.get("/department/德阳市罗江区司法局?lang=zh").text


def test_a_search_that_finds_nothing_says_what_to_try(client):
    r = client.get("/search?q=xyzzyq&lang=zh")
    assert r.status_code == 200 and "0 条结果" in r.text and "没有找到" in r.text
    assert "没有找到" not in client.get("/search?q=万安&lang=zh").text


def test_english_toggle(client):
    r = client.get("/?lang=en")
    assert "Search" in r.text and "lang=en" in r.headers.get("Set-Cookie", "")


def test_place_page_shows_hierarchy_pinyin_and_what_happened(client):
    path = "/place/" + quote("四川省/德阳市/罗江区/万安镇")
    d = client.get(path, headers=JSON).get_json()
    assert d["type"] == "Place" and d["pinyin"] == ["Wan'an Town"]
    assert [h["label"] for h in d["hierarchy"]][:1] == ["罗江区"] or "罗江区" in [h["label"] for h in d["hierarchy"]]
    assert "金雁社区" in [c["label"] for c in d["children"]]
    assert d["facts"] and "万安" in d["facts"][0]["sentence"]
    html = client.get(path).text
    assert "Wan&#39;an Town" in html or "Wan'an Town" in html


def test_department_page(client):
    path = "/department/" + quote("德阳市罗江区发展和改革局")
    d = client.get(path, headers=JSON).get_json()
    assert d["facts"] and any("测评" in f["sentence"] for f in d["facts"])
    assert client.get(path).status_code == 200
    group = client.get("/department/" + quote("中共德阳市罗江区委理论学习中心组"), headers=JSON).get_json()
    assert any("1次" in m["label"] for m in group["metrics"]), "metrics the department is the subject of"


def test_collective_and_metric_pages(client):
    home = client.get("/", headers=JSON).get_json()
    assert home
    d = client.get("/department/" + quote("德阳市罗江区水利局"), headers=JSON).get_json()
    # 区公安局、交通局…水利局…等9个部门 act as one collective: its fact shows on each member's page
    shared = [f for f in d["facts"] if "三张清单" in f["sentence"]]
    assert shared and shared[0]["agentLabel"] == "9个部门"
    assert any("三张清单" in r["label"] for r in d["initiatives"]), d["initiatives"]
    m = client.get("/search?q=" + quote("9个部门") + "&type=collective", headers=JSON).get_json()
    col = next(h for h in m["hits"] if h["label"] == "9个部门")
    page = client.get(col["id"].split("5000", 1)[1], headers=JSON).get_json()
    assert page["type"] == "Collective" and len(page["members"]) == 7
    assert client.get(col["id"].split("5000", 1)[1]).status_code == 200
    q = "SELECT ?m WHERE { ?m a zw:Metric ; rdf:value ?v . FILTER(?v = 7) } LIMIT 1"
    iri = client.get("/sparql?query=" + quote(q), headers=JSON).get_json()["results"]["bindings"][0]["m"]["value"]
    path = iri.split("5000", 1)[1]
    metric = client.get(path, headers=JSON).get_json()
    assert metric["type"] == "Metric" and metric["evidence"] and metric["value"] == ["7"]
    assert client.get(path).status_code == 200


def test_regulation_page_and_index(client):
    d = client.get("/regulation/" + quote("行政处罚法"), headers=JSON).get_json()
    assert d["regulationType"] == ["法律"] and d["facts"]
    idx = client.get("/regulations", headers=JSON).get_json()["regulations"]
    assert any(r["label"] == "行政处罚法" for r in idx)


def test_fact_links_to_its_sentence_in_the_document(client):
    d = client.get("/department/" + quote("德阳市罗江区发展和改革局"), headers=JSON).get_json()
    f = d["facts"][0]
    doc = client.get(f"/document/{f['docId']}", headers=JSON).get_json()
    assert doc["text"][f["start"]:f["end"]] == f["sentence"]
    html = client.get(f"/document/{f['docId']}").text
    assert f'id="c{f["start"]}"' in html and 'class="m m-department"' in html


@pytest.mark.parametrize("accept,mime", [("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json")])
def test_entity_iris_answer_rdf(client, accept, mime):
    r = client.get("/place/" + quote("四川省/德阳市/罗江区/调元镇"), headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == mime and "Tiaoyuan Town" in r.text


def test_unknown_entity_is_404_and_bad_parameters_400(client):
    r = client.get("/department/" + quote("没有这个部门"))
    assert r.status_code == 404 and "没有这个部门" in r.text
    assert client.get("/department/x", headers=JSON).get_json()["status"] == 404
    assert client.get("/search?q=万安&page=abc").status_code == 400
    r = client.get("/search?q=type:bogus", headers=JSON)
    assert r.status_code == 400 and "unknown type" in r.get_json()["message"]


def test_user_input_is_escaped(client):
    r = client.get("/search?q=" + quote('<script>alert("x")</script>万安'))
    assert r.status_code == 200 and "<script>alert" not in r.text


def test_openapi_and_suggest(client):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and "/sparql" in spec["paths"] and "/search" in spec["paths"]
    s = client.get("/api/suggest?q=tiaoyuan").get_json()
    assert s["suggestions"][0]["label"] == "调元镇"


def test_query_page_lists_the_gallery(client):
    r = client.get("/query?lang=zh")
    assert r.status_code == 200 and "万安镇发生了什么" in r.text
    assert "What happened in Wan" in client.get("/query?lang=en").text


def test_query_page_runs_without_javascript_and_shows_labels(client):
    from web.gallery import gallery
    ex = next(x for x in gallery() if x["id"] == "q04-wanan")
    r = client.get("/query?example=" + ex["id"] + "&run=1&lang=zh")
    assert r.status_code == 200 and "<table class=\"results\">" in r.text and "万安镇" in r.text and "ms" in r.text
    assert "德阳市罗江区人民政府" in r.text  # an IRI shown by its label
    r = client.get("/query?run=1&query=" + quote("SELECT WHERE {"))
    assert r.status_code == 200 and "syntax" in r.text


def test_graph_view_is_server_side_svg_with_links(client):
    path = "/department/" + quote("德阳市罗江区人民政府")
    r = client.get(path + "?view=graph")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert r.text.startswith("<svg") and r.text.count("<circle") >= 3 and 'href="/regulation/' in r.text
    page = client.get(path).text
    assert "<svg" in page


def test_graph_view_of_a_hub_keeps_its_labels_apart_and_says_what_each_link_is(client):
    """The district government's neighbourhood was a hairball of crossing labels: now its
    neighbours sit in rows on either side grouped by kind, no two labels overlap, and each link
    to the centre says how many facts it stands for."""
    import re
    svg_text = client.get("/department/" + quote("德阳市罗江区人民政府") + "?view=graph&lang=en").get_data(as_text=True)
    boxes = []
    for x, y, anchor, text in re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(start|end|middle)"'
                                         r'[^>]*fill="#1d2733"[^>]*>([^<]*)</text>', svg_text):
        x, y, width = float(x), float(y), 12 * len(text)  # CJK glyphs at font-size 12
        left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
        boxes.append((left, y - 12, left + width, y, text))
    assert len(boxes) >= 10
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
            assert not overlap, (a[4], b[4])
    assert re.search(r">\d+ facts</text>", svg_text)
    chinese = client.get("/department/" + quote("德阳市罗江区人民政府") + "?view=graph&lang=zh").get_data(as_text=True)
    assert re.search(r">\d+条</text>", chinese)


@pytest.mark.parametrize("twice", [False, True])
def test_a_query_string_sent_as_raw_utf8_still_finds(client, twice):
    # as PEP 3333 passes raw bytes (one character each), and as Werkzeug's own server does (twice)
    raw = "q=万安".encode("utf-8").decode("latin-1")
    if twice:
        raw = raw.encode("utf-8").decode("latin-1")
    r = client.get("/search", environ_overrides={"QUERY_STRING": raw}, headers={"Accept": "application/json"})
    assert r.get_json()["query"] == "万安" and r.get_json()["total"] > 0
    sparql = 'query=SELECT ?l WHERE { ?p skos:prefLabel ?l FILTER(?l = "万安镇"@zh) }'.encode("utf-8").decode("latin-1")
    if twice:
        sparql = sparql.encode("utf-8").decode("latin-1")
    r = client.get("/sparql", environ_overrides={"QUERY_STRING": sparql},
                   headers={"Accept": "application/sparql-results+json"})
    assert [b["l"]["value"] for b in r.get_json()["results"]["bindings"]] == ["万安镇"]


def test_the_justice_bureau_page_answers_what_it_did(client):
    """Stated, named and likely facts in separate lists; the likely ones say why; the sub-unit the
    report sets up in it is listed."""
    d = client.get("/department/" + quote("德阳市罗江区司法局"), headers=JSON).get_json()
    assert len(d["facts"]) + len(d["named"]) + len(d["likely"]) >= 5
    reviewed = [f for f in d["likely"] if "新收7件行政复议案件" in f["sentence"]]
    assert reviewed and reviewed[0]["basis"] == "司法局职能: 行政复议"
    assert not any(f in d["facts"] for f in d["likely"]), "an inference is never a stated fact"
    assert "德阳市罗江区司法局行政复议与应诉股" in [u["label"] for u in d["units"]]
    page = client.get("/department/" + quote("德阳市罗江区司法局")).get_data(as_text=True)
    assert "按职能推断" in page and "推断" in page and "新收7件行政复议案件" in page
    en = client.get("/department/" + quote("德阳市罗江区司法局") + "?lang=en").get_data(as_text=True)
    assert "likely carried out" in en and "An inference" in en


def test_entity_pages_speak_the_page_language(client):
    zh = client.get("/department/" + quote("德阳市罗江区司法局") + "?lang=zh").get_data(as_text=True)
    assert "别名" in zh and "层级" in zh and ">部门<" in zh
    assert "altLabel" not in zh and ">district<" not in zh and ">Department<" not in zh
    en = client.get("/department/" + quote("德阳市罗江区司法局") + "?lang=en").get_data(as_text=True)
    assert "Also written" in en and ">district<" in en and "内设机构" not in en


def test_departments_can_be_browsed_with_counts(client):
    d = client.get("/departments?format=json&sort=likely").get_json()
    assert d["total"] >= 10 and d["departments"][0]["label"] == "德阳市罗江区司法局" and d["departments"][0]["likely"] >= 5
    stated = client.get("/departments?format=json").get_json()["departments"]
    assert stated[0]["stated"] >= stated[-1]["stated"] and stated[0]["label"] == "德阳市罗江区人民政府"
    bureaus = client.get("/departments?format=json&kind=bureau").get_json()
    assert bureaus["total"] < d["total"] and all(r["kind"] == "bureau" for r in bureaus["departments"])
    r = client.get("/departments?format=csv")
    assert r.mimetype == "text/csv" and r.get_data(as_text=True).startswith("\ufeffiri,label")
    home = client.get("/?lang=zh").get_data(as_text=True)
    assert 'href="/departments"' in home
    page = client.get("/departments?lang=zh").get_data(as_text=True)
    assert "德阳市罗江区司法局" in page and "按职能推断" in page


def test_the_penalty_law_page_names_the_bureaus_of_its_sentence(client):
    d = client.get("/regulation/" + quote("行政处罚法"), headers=JSON).get_json()
    names = {r["label"] for r in d["departments"]}
    for bureau in ("公安局", "交通运输局", "市场监督管理局", "水利局", "卫生健康局", "文化体育广电和旅游局", "综合行政执法局"):
        assert "德阳市罗江区" + bureau in names, names


def test_place_and_initiative_pages_say_what_their_lists_are(client):
    place = client.get("/place/" + quote("四川省/德阳市/罗江区/万安镇") + "?lang=en").get_data(as_text=True)
    assert "Who acted under it" not in place
    initiative = client.get("/initiative/" + quote("放管服改革") + "?lang=en").get_data(as_text=True)
    assert "Reports citing it" not in initiative and "Reports naming it" in initiative


def test_a_department_page_names_the_reports_and_periods_it_appears_in(client):
    d = client.get("/department/" + quote("德阳市罗江区司法局"), headers=JSON).get_json()
    assert [(r["label"], r["period"]) for r in d["reports"]] == [("德阳市罗江区2022年上半年法治政府建设工作开展情况", "2022-H1")]
    html = client.get("/department/" + quote("德阳市罗江区司法局") + "?lang=zh").get_data(as_text=True)
    assert "提及它的报告" in html and "2022-H1" in html


def test_an_initiative_heading_a_section_lists_the_work_under_it(client):
    """(二)继续深化“放管服”改革 heads the work on approvals; no sentence below names the reform,
    so its page showed nothing it did. Now: the facts under that heading, each with its section,
    and /facts?heading= lists them all; a page without neighbours shows no empty graph box."""
    d = client.get("/initiative/" + quote("放管服改革"), headers=JSON).get_json()
    assert d["totals"]["under"] >= 10
    assert all("放管服" in f["sec"] for f in d["under"])
    assert any("一网通办" in f["sentence"] for f in d["under"])
    listed = client.get(d["all"]["under"] + "&format=json").get_json()
    assert listed["total"] == d["totals"]["under"]
    html = client.get("/initiative/" + quote("放管服改革") + "?lang=zh").get_data(as_text=True)
    assert "标题提及它的章节下的工作" in html and "实施涉企经营许可事项全覆盖清单管理" in html
    english = client.get("/initiative/" + quote("放管服改革") + "?lang=en").get_data(as_text=True)
    assert "Work reported under a heading that names it" in english
    assert "<svg" not in html  # it has no neighbours in the graph
    # an initiative named in sentences, not headings, has no such list
    other = client.get("/initiative/" + quote("一网通办"), headers=JSON).get_json()
    assert other["totals"]["facts"] >= 1 and other["totals"]["under"] == 0


def test_places_initiatives_and_facts_can_be_browsed(client):
    places = client.get("/places?format=json").get_json()
    wanan = next(r for r in places["places"] if r["label"] == "万安镇")
    assert wanan["parentLabel"] == "罗江区" and wanan["placeType"] == "town" and wanan["facts"] >= 1
    assert [r["facts"] for r in places["places"]] == sorted((r["facts"] for r in places["places"]), reverse=True)
    villages = client.get("/places?format=json&placeType=village").get_json()
    assert 0 < villages["total"] < places["total"] and {r["label"] for r in villages["places"]} >= {"顺河村"}
    by_name = [r["label"] for r in client.get("/places?format=json&sort=name").get_json()["places"]]
    assert by_name == sorted(by_name)
    csv_text = client.get("/places?format=csv&placeType=village").get_data(as_text=True)
    assert csv_text.startswith("\ufeffiri,label,placeType") and "顺河村" in csv_text and "万安镇," not in csv_text
    initiatives = client.get("/initiatives?format=json").get_json()
    assert any(r["label"] == "放管服改革" and r["reports"] == 1 for r in initiatives["initiatives"])
    facts = client.get("/facts?format=json").get_json()
    assert facts["total"] > 50 and len(facts["facts"]) == 50 and facts["pages"] > 1
    second = client.get("/facts?format=json&page=2").get_json()["facts"]
    assert (second[0]["doc"], second[0]["start"]) > (facts["facts"][-1]["doc"], facts["facts"][-1]["start"])
    agent = next(f["agent"] for f in facts["facts"] if f["agentLabel"] == "德阳市罗江区发展和改革局")
    mine = client.get("/facts?format=json&agent=" + quote(agent)).get_json()
    assert 0 < mine["total"] < facts["total"] and all(f["agent"] == agent for f in mine["facts"])
    page = client.get("/facts?lang=zh").get_data(as_text=True)
    assert "#c" in page and "事实" in page
    home = client.get("/?lang=zh").get_data(as_text=True)
    for path in ("/places", "/initiatives", "/facts"):
        assert f'href="{path}"' in home
        assert client.get(path + "?lang=en").status_code == 200


def test_a_regulation_page_shows_each_facts_other_departments_and_the_three_counts(client):
    d = client.get("/regulation/" + quote("行政处罚法"), headers=JSON).get_json()
    fact = next(f for f in d["facts"] if "9个部门" in f["sentence"])
    assert {p["label"] for p in fact["participants"]} >= {"德阳市罗江区公安局", "德阳市罗江区水利局"}
    assert fact["agentLabel"] not in {p["label"] for p in fact["participants"]}
    row = next(r for r in d["departments"] if r["label"] == "德阳市罗江区公安局")
    assert row["stated"] >= 1 and row["named"] >= 1 and row["likely"] == 0
    page = client.get("/regulation/" + quote("行政处罚法") + "?lang=en").get_data(as_text=True)
    assert "Participants:" in page and "<th>Stated</th><th>Named</th><th>Likely</th>" in page
    # a fact with a likely executor says so where it is listed, with the basis
    likely = client.get("/department/" + quote("德阳市罗江区司法局"), headers=JSON).get_json()["likely"][0]
    assert any(x["label"] == "德阳市罗江区司法局" and x["basis"] for x in likely["likely_executors"])


def test_the_graph_legend_speaks_the_page_language(client):
    import re
    for lang, want, other in (("en", "Department", "部门"), ("zh", "部门", "Department")):
        page = client.get("/regulation/" + quote("行政处罚法") + f"?lang={lang}").get_data(as_text=True)
        legend = re.findall(r'font-size="11">([^<]*)<', page)
        assert want in legend and not any(other in x for x in legend), legend


def test_entity_lists_say_how_many_in_all_and_link_to_every_fact(client, monkeypatch):
    from web import model
    monkeypatch.setattr(model, "FACTS_SHOWN", 5)  # as if the government had more facts than a page shows
    gov = "/department/" + quote("德阳市罗江区人民政府")
    d = client.get(gov, headers=JSON).get_json()
    assert len(d["facts"]) == 5 and d["totals"]["facts"] > 5
    every = client.get(d["all"]["facts"] + "&format=json").get_json()
    assert every["total"] == d["totals"]["facts"] and every["pages"] >= 1
    page = client.get(gov + "?lang=en").get_data(as_text=True)
    assert f"See all ({d['totals']['facts']})" in page
    # the other lists and pages link the same way
    justice = client.get("/department/" + quote("德阳市罗江区司法局"), headers=JSON).get_json()
    likely = client.get(justice["all"]["likely"] + "&format=json").get_json()
    assert likely["total"] == justice["totals"]["likely"] >= 5
    law = client.get("/regulation/" + quote("行政处罚法"), headers=JSON).get_json()
    assert client.get(law["all"]["facts"] + "&format=json").get_json()["total"] == law["totals"]["facts"]
    town = client.get("/place/" + quote("四川省/德阳市/罗江区/万安镇"), headers=JSON).get_json()
    assert client.get(town["all"]["facts"] + "&format=json").get_json()["total"] == town["totals"]["facts"] >= 1


def test_regulations_browse_by_level_and_type_in_the_page_language(client):
    d = client.get("/regulations?format=json").get_json()
    law = next(r for r in d["regulations"] if r["label"] == "行政处罚法")
    assert law["level"] == "national" and law["regulationType"] == "法律" and law["facts"] >= 1
    national = client.get("/regulations?format=json&level=national").get_json()
    assert 0 < national["total"] < d["total"] and all(r["level"] == "national" for r in national["regulations"])
    zh = client.get("/regulations?lang=zh").get_data(as_text=True)
    assert "国家级" in zh and ">national<" not in zh
    assert client.get("/regulations?format=csv").get_data(as_text=True).startswith("\ufeffiri,label,level,regulationType")


def test_the_report_page_marks_its_problems_part_as_holding_no_facts(client):
    """The bundled report's 存在的问题及下一步打算 is marked in the outline, in both languages, and
    none of the report's facts comes from it."""
    doc = client.get("/document/luojiang-2022h1", headers=JSON).get_json()
    part = [s for s in doc["sections"] if s.get("part")]
    assert [s["heading"] for s in part] == ["十一、存在的问题及下一步打算"], part
    assert not any("不鲜明" in f["sentence"] or "有待加强" in f["sentence"] for f in doc["facts"])
    assert "存在的问题:不计为事实" in client.get("/document/luojiang-2022h1?lang=zh").text
    assert "problems: not counted as facts" in client.get("/document/luojiang-2022h1?lang=en").text


def test_browse_pages_put_rows_that_tie_in_one_order_whatever_order_they_came_in():
    """Three villages named 三山村 with the same counts: every process must show them (and so
    every page after them) in the same order, though each builds its table from a set."""
    from web.model import DEPARTMENT_ORDER, sort_browse_rows
    rows = [{"e": f"http://x/place/{c}/三山村", "label": "三山村", "facts": 2, "reports": 1} for c in "cab"]
    rows.append({"e": "http://x/place/z/人和乡", "label": "人和乡", "facts": 2, "reports": 1})
    for sort in ("name", "facts", "reports"):
        orders = set()
        for k in range(len(rows)):
            shuffled = rows[k:] + rows[:k]
            sort_browse_rows(shuffled, sort)
            orders.add(tuple(r["e"] for r in shuffled))
        assert len(orders) == 1, (sort, orders)
    deps = [{"d": f"http://x/d/{c}", "label": "司法局", "stated": 1, "named": 0, "likely": 0} for c in "ba"]
    for sort, key in DEPARTMENT_ORDER.items():
        assert sorted(deps, key=key) == sorted(deps[::-1], key=key), sort


def test_kinds_of_documents_read_in_english_on_english_pages(client):
    """法律, 方案, 意见… are values of the graph, shown in the page's language: on the English
    regulations page the facet and the column say law, plan, opinions; the Chinese page keeps 法律."""
    en = client.get("/regulations?lang=en").get_data(as_text=True)
    assert ">law<" in en and ">plan<" in en, en[:2000]
    assert ">法律<" not in en
    page = client.get("/regulation/" + quote("行政处罚法") + "?lang=en").get_data(as_text=True)
    assert "<th>Document type</th><td>law</td>" in page
    zh = client.get("/regulations?lang=zh").get_data(as_text=True)
    assert ">法律<" in zh
