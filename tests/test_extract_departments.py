from conftest import by_type, labels
from index.analysis import use_user_words


def test_short_forms_expand_with_the_report_region(run):
    x = run("区司法局会同区发改局开展专项检查。")
    assert {"德阳市罗江区司法局", "德阳市罗江区发展和改革局"} <= labels(x, "Department")
    dept = next(e for e in by_type(x, "Department") if e.label == "德阳市罗江区发展和改革局")
    assert dept.mentions[0].text == "区发改局"
    assert x.document.body[dept.mentions[0].start:dept.mentions[0].end] == "区发改局"


def test_a_list_of_bare_bureaus_belongs_to_the_region(run):
    x = run("区公安局、交通局、市场监管局等3个部门落实行政处罚制度。")
    got = labels(x, "Department")
    assert {"德阳市罗江区公安局", "德阳市罗江区交通运输局", "德阳市罗江区市场监督管理局"} <= got
    col = next(e for e in by_type(x, "Collective") if e.label == "3个部门")
    assert col.attrs.members == ["德阳市罗江区公安局", "德阳市罗江区交通运输局", "德阳市罗江区市场监督管理局"]


def test_party_bodies_and_sub_bodies(run):
    x = run("市委宣传部和区委理论学习中心组开展学习。区委区政府召开会议。")
    got = labels(x, "Department")
    assert "中共德阳市委宣传部" in got
    assert "中共德阳市罗江区委理论学习中心组" in got
    assert "中共德阳市罗江区委员会" in got and "德阳市罗江区人民政府" in got


def test_the_same_body_written_differently_is_one_entity(run):
    x = run("德阳市罗江区人民政府印发方案。罗江区政府开展工作,区政府组织检查。")
    govs = [e for e in by_type(x, "Department") if e.label == "德阳市罗江区人民政府"]
    assert len(govs) == 1
    assert {m.text for m in govs[0].mentions} >= {"德阳市罗江区人民政府", "罗江区政府", "区政府"}


def test_town_units_and_national_bodies(run):
    x = run("充分发挥万安司法所作用。严格按照国务院和财政部要求执行。")
    got = labels(x, "Department")
    assert "中华人民共和国国务院" in got and "中华人民共和国财政部" in got
    assert any(lbl.endswith("万安镇司法所") for lbl in got)
    # the national office for legal education, as reports shorten it, acts in its clause
    x = run("全国普法办将其作为经验向全国推广。", region="宁夏回族自治区")
    ents = {e.id: e.label for e in x.entities}
    assert [ents[f.agent] for f in x.facts] == ["全国普及法律常识办公室"]


def test_other_regions_resolve_too(run):
    x = run("县司法局和县人民法院联合开展活动。", region="四川省/泸州市/泸县")
    assert {"泸州市泸县司法局", "泸州市泸县人民法院"} <= labels(x, "Department")


def test_words_that_only_look_like_bodies_are_not_departments(run):
    x = run("社区服务中心开展活动,全市工作大局稳定,城市管理水平提高。")
    got = labels(x, "Department")
    assert not any("大局" in g or g.endswith("区服务中心") for g in got)


def test_sector_words_of_a_collective_name_the_own_bureaus(run):
    x = run("汛期,应急、气象、水利、自然资源等部门建立会商机制。社保、医保等部门实现跨区通办。")
    depts = {e.label: e for e in x.entities if e.type == "Department"}
    assert {"德阳市罗江区应急管理局", "德阳市罗江区气象局", "德阳市罗江区水利局", "德阳市罗江区自然资源局"} <= set(depts)
    assert [m.text for m in depts["德阳市罗江区气象局"].mentions] == ["气象"]
    col = next(e for e in x.entities if e.type == "Collective")
    assert col.label == "应急、气象、水利、自然资源等部门" and len(col.attrs.members) == 4
    # only bureaus the table of standard forms knows: no invented 社保局
    assert "德阳市罗江区医疗保障局" in depts and not any("社保" in d for d in depts), set(depts)


def test_zhongyang_is_the_party_centre_only_in_its_formulas(run):
    x = run("深入贯彻落实中央、省、市关于法治政府建设的决策部署,对标中央关于依法治国的部署。推动中央企业改革。")
    centre = [e for e in x.entities if e.label == "中国共产党中央委员会"]
    assert centre and [m.text for m in centre[0].mentions] == ["中央", "中央"], centre


def test_a_party_school_under_its_committee(run):
    x = run("市委党校依托公务员初任培训班开设专题课程。区委党校举办培训班。")
    labels = {e.label for e in x.entities if e.type == "Department"}
    assert {"中共德阳市委党校", "中共德阳市罗江区委党校"} <= labels, labels


def test_a_congress_and_its_standing_committee_named_together(run):
    x = run("在区人大及其常委会的监督支持下,区人民政府依法履职。")
    labels = {e.label for e in x.entities if e.type == "Department"}
    assert {"德阳市罗江区人民代表大会", "德阳市罗江区人民代表大会常务委员会"} <= labels


def test_a_leading_group_named_without_its_place_is_the_reports_own(run):
    x = run("成立了以区长为组长的法治政府建设工作领导小组,领导小组办公室设在区司法局。")
    labels = {e.label for e in x.entities if e.type == "Department"}
    assert "德阳市罗江区法治政府建设工作领导小组" in labels


def test_an_honours_name_is_no_body(run):
    x = run("区公安分局荣获“全省公安机关执法质量先进公安局”称号,区司法局获评全国优秀司法所。")
    labels = {e.label for e in x.entities if e.type == "Department"}
    assert {"德阳市罗江区公安分局", "德阳市罗江区司法局"} <= labels
    assert not labels & {"德阳市罗江区公安局", "德阳市罗江区司法所"}


def test_a_unit_set_up_inside_a_body_is_its_sub_unit(run):
    x = run("全面落实行政复议体制改革,在区司法局设立行政复议与应诉股,增加事业人员1名。")
    unit = next(e for e in x.entities if e.label == "德阳市罗江区司法局行政复议与应诉股")
    assert unit.type == "Department" and unit.attrs.parent == "德阳市罗江区司法局"
    assert any(e.label == "德阳市罗江区司法局" for e in x.entities)
    # another region, another kind of body and unit
    x = run("在县市场监管局内设立消费维权中心,受理投诉。", region="湖南省/岳阳市/岳阳县", title="岳阳县2022年报告")
    assert any(e.label.endswith("市场监督管理局消费维权中心") and e.attrs.parent.endswith("市场监督管理局")
               for e in x.entities), [e.label for e in x.entities]
    # a body set up on its own is no sub-unit of the one before
    x = run("区政府设立法治政府建设领导小组。")
    assert not any(e.type == "Department" and e.attrs.kind == "unit" for e in x.entities)


def test_a_county_level_city_names_its_own_bodies(run):
    """In the report of a county-level city (高邮市, under 扬州市), 市 is that city: 市司法局 is
    高邮市司法局 (named on its own, as such cities name themselves), not 扬州市's bureau."""
    x = run("2022年,我市开展普法宣传活动12场。市司法局办理行政复议案件5件。扬州市司法局到我市调研。",
            region="江苏省/扬州市/高邮市", title="高邮市人民政府2022年法治政府建设情况报告")
    labels = {e.label for e in by_type(x, "Department")}
    assert {"高邮市司法局", "高邮市人民政府", "扬州市司法局"} <= labels, labels
    assert not any(lab.startswith("扬州市高邮市") for lab in labels), labels
    own = next(e for e in by_type(x, "Department") if e.label == "高邮市人民政府")
    first = x.facts[0]
    assert first.agent == own.id and first.agent_implicit
    # the same words in a district's report keep meaning the prefecture
    x = run("市司法局办理行政复议案件5件。", region="四川省/德阳市/罗江区")
    assert "德阳市司法局" in {e.label for e in by_type(x, "Department")}


def test_a_level_word_opens_a_name_where_the_segmenter_reads_a_word(run):
    """A level word right after another word (近日市司法局, 日前市应急管理局: a time word, no comma)
    still names that level's body; a 区 that ends another word (产业集聚区, 社区) or a 市 that begins
    one (区市场监管局: 市场) names none."""
    x = run("近日市司法局来我区督导行政复议工作。", region="四川省/德阳市/罗江区")
    got = labels(x, "Department")
    assert "德阳市司法局" in got and "德阳市罗江区司法局" not in got, got
    x = run("日前市应急管理局督查县安全生产工作。", region="湖南省/岳阳市/岳阳县", title="岳阳县2022年报告")
    got = labels(x, "Department")
    assert "岳阳市应急管理局" in got and "岳阳市岳阳县应急管理局" not in got, got
    x = run("产业集聚区管委会开展安全检查。", region="河南省/驻马店市/西平县", title="西平县2022年报告")
    # its 区 is no level word: the body is the zone's committee, not a district's 管委会
    assert all("产业集聚区" in lab for lab in labels(x, "Department") if lab.endswith(("管理委员会", "管委会"))), \
        labels(x, "Department")
    x = run("区卫健局、区市场监管局开展联合检查。", region="河南省/新乡市", title="新乡市2022年报告")
    assert not any(lab.startswith("新乡市场") for lab in labels(x, "Department")), labels(x, "Department")


def test_the_office_of_a_group_or_commission_is_part_of_it(run):
    """A leading group's or a commission's office (领导小组办公室, 安全生产委员会办公室) is a body of
    its own, part of the group; a function character inside a word of the name (安全) does not cut
    it. Sichuan and Hunan."""
    x = run("区法治政府建设工作领导小组办公室组织开展督察。")
    office = next(e for e in by_type(x, "Department") if e.label == "德阳市罗江区法治政府建设工作领导小组办公室")
    assert office.attrs.parent == "德阳市罗江区法治政府建设工作领导小组"
    assert [f.agent for f in x.facts] == [office.id]
    x = run("县安全生产委员会办公室开展安全检查12次。", region="湖南省/岳阳市/岳阳县", title="岳阳县2022年报告")
    office = next(e for e in by_type(x, "Department") if e.label == "岳阳市岳阳县安全生产委员会办公室")
    assert office.attrs.parent == "岳阳市岳阳县安全生产委员会"
    assert [f.agent for f in x.facts] == [office.id]


def test_another_regions_body_by_its_full_name_and_a_towns_justice_office(run):
    """宜宾市司法局 in a Hunan report is Yibin's bureau (a place known only by its full name carries
    its own level), not the report's own; a town's 司法所 belongs to the county's 司法局."""
    x = run("宜宾市司法局来我县交流。县司法局开展普法。", region="湖南省/岳阳市/岳阳县", title="岳阳县2022年报告")
    assert {"宜宾市司法局", "岳阳市岳阳县司法局"} <= labels(x, "Department"), labels(x, "Department")
    x = run("长沙市司法局指导万安镇司法所开展调解。")
    got = {e.label: e for e in by_type(x, "Department")}
    assert "长沙市司法局" in got and "德阳市罗江区司法局" not in got or got["德阳市罗江区司法局"].mentions, got
    assert got["德阳市罗江区万安镇司法所"].attrs.parent == "德阳市罗江区司法局"


def test_extraction_does_not_depend_on_the_search_indexs_words(run):
    """The search index adds its own words to its segmenter; extraction reads word boundaries with
    another, so a report yields the same bodies whether or not an index was built in the process."""
    text = "今年区政府召开常务会议。近日市司法局来我区督导。"
    before = sorted((m.text, e.label) for e in run(text).entities for m in e.mentions)
    try:
        use_user_words({"今年区", "近日市", "区政府召", "市司法"})
        after = sorted((m.text, e.label) for e in run(text).entities for m in e.mentions)
    finally:
        use_user_words(set())
    assert after == before and ("区政府", "德阳市罗江区人民政府") in before, (before, after)


def test_a_development_zones_administrative_committee_is_a_body_of_the_region(run):
    """产业集聚区管委会 in an addressee list, 县高新区管委会 with its level: the administrative
    committee (管理委员会) of the report's own region's zone; the tail of a longer, unknown name
    (…光雾山诺水河文旅融合发展示范区管委会) is no body. Henan and Sichuan."""
    for region, lvl, prefix in (("河南省/驻马店市/西平县", "县", "驻马店市西平县"), ("四川省/德阳市/罗江区", "区", "德阳市罗江区")):
        x = run(f"各乡镇人民政府,产业集聚区管委会,{lvl}直有关单位:\n{lvl}高新区管委会开展培训。"
                "巴中市光雾山诺水河文旅融合发展示范区管委会开展述法。", region=region)
        names = labels(x, "Department")
        assert {f"{prefix}产业集聚区管理委员会", f"{prefix}高新区管理委员会"} <= names, names
        assert not any("河文旅" in n for n in names), names
