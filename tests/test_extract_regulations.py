from conftest import by_type, labels


def regs(x):
    return {e.label: e for e in by_type(x, "Regulation")}


def test_titles_in_book_marks_with_type_and_level(run):
    x = run("严格执行新修订的《行政处罚法》,根据《四川省行政规范性文件管理办法》规定,"
            "出台《德阳市罗江区法治政府建设实施方案(2021-2025年)》。")
    r = regs(x)
    assert r["行政处罚法"].attrs.regulation_type == "法律"
    assert r["行政处罚法"].attrs.level == "national"
    assert r["四川省行政规范性文件管理办法"].attrs.level == "provincial"
    assert r["德阳市罗江区法治政府建设实施方案(2021-2025年)"].attrs.regulation_type == "方案"


def test_the_level_of_a_title_opening_with_a_year_or_the_partys_name(run):
    """《2022年岳阳县人民政府常务会会前学法计划》 is a county's, 《中共济宁市兖州区委…要点》 a district's
    (not the city's whose name comes first after 中共); 《省委…要点》 the province's. Hunan, Shandong and
    Sichuan."""
    for text, title, level in (
            ("制定《2022年岳阳县人民政府常务会会前学法计划》。", "2022年岳阳县人民政府常务会会前学法计划", "county"),
            ("印发《中共济宁市兖州区委全面依法治区委员会2025年工作要点》。",
             "中共济宁市兖州区委全面依法治区委员会2025年工作要点", "district"),
            ("落实《中共德阳市委关于加强法治建设的意见》和《2022年度德阳市罗江区普法工作要点》。",
             "中共德阳市委关于加强法治建设的意见", "municipal"),
            ("落实《2022年度德阳市罗江区普法工作要点》。", "2022年度德阳市罗江区普法工作要点", "district"),
            # a level alone names the report's own body of that level
            ("落实《省委全面依法治省委员会2022年工作要点》。", "省委全面依法治省委员会2022年工作要点", "provincial"),
            ("制定《区科技创新奖励资金管理办法》。", "区科技创新奖励资金管理办法", "district"),
            ("制定《区域协调发展办法》。", "区域协调发展办法", "unknown"),
            # a plan named by its quoted short name after its issuer (达州市“八五”普法规划)
            ("紧扣达州市“八五”普法规划收官要求。", "达州市八五普法规划", "municipal")):
        assert regs(run(text))[title].attrs.level == level, title


def test_issuer_written_before_the_title(run):
    x = run("严格按照财政部《关于促进政府采购公平竞争优化营商环境的通知》要求。")
    r = regs(x)["关于促进政府采购公平竞争优化营商环境的通知"]
    assert r.attrs.issuer == "中华人民共和国财政部"
    assert r.attrs.regulation_type == "通知"


def test_publications_are_not_regulations(run):
    x = run("相关做法被《今日要情》和《法治日报》刊载,并学习《宪法》。")
    assert set(regs(x)) == {"宪法"}


def test_nested_titles_stay_whole(run):
    x = run("印发《关于贯彻〈法治政府建设实施纲要〉的实施意见》。")
    assert "关于贯彻〈法治政府建设实施纲要〉的实施意见" in regs(x)


def test_a_short_reference_is_the_same_regulation(run):
    x = run("审议通过《泸县法治政府建设实施方案(2022—2025年)》。推动《实施方案》落地落实。")
    r = by_type(x, "Regulation")
    assert len(r) == 1 and len(r[0].mentions) == 2


def test_an_unquoted_document_needs_a_year_or_an_issuer(run):
    x = run("将法治建设纳入经济社会发展总体规划和年度计划。印发罗江区2022年法治政府建设工作要点。"
            "围绕省委全面依法治省委员会工作要点部署工作。")
    titles = {e.label for e in x.entities if e.type == "Regulation"}
    assert not any("总体规划" in t for t in titles), titles
    assert any("2022年法治政府建设工作要点" in t for t in titles), titles
    # a name that starts with the body that issued it keeps the whole body
    assert "省委全面依法治省委员会工作要点" in titles, titles


def test_a_title_whose_year_bracket_is_left_open_is_still_a_plan(run):
    x = run("研究制定《法治罗江建设规划(2021-2025年》、《罗江区法治社会建设实施方案(2021-2025年)》。")
    assert "法治罗江建设规划(2021-2025年)" in {e.label for e in x.entities if e.type == "Regulation"}


def test_a_party_congress_report_named_without_book_marks(run):
    x = run("将法治建设写入区第十三次党代会报告,认真贯彻市第八次党代会报告精神。")
    assert {"区第十三次党代会报告", "市第八次党代会报告"} <= {e.label for e in x.entities if e.type == "Regulation"}


def test_titles_inside_titles_with_any_angle_marks(run):
    for left, right in (("〈", "〉"), ("<", ">"), ("‹", "›"), ("＜", "＞")):
        x = run(f"根据《中共中央办公厅 国务院办公厅关于印发{left}法治政府建设与责任落实督察工作规定{right}的通知》要求开展督察。")
        labels = {e.label for e in by_type(x, "Regulation")}
        assert "法治政府建设与责任落实督察工作规定" in labels, (left, labels)


def test_unquoted_documents_after_a_verb_with_its_particle_and_reports_on_the_work(run):
    x = run("区政府印发了2022年法治政府建设工作要点。区人大常委会审议通过德阳市罗江区2021年度法治政府建设情况的报告。")
    labels = {e.label for e in by_type(x, "Regulation")}
    assert {"2022年法治政府建设工作要点", "德阳市罗江区2021年度法治政府建设情况的报告"} <= labels, labels
    x = run("县政府印发了2023年依法治县工作要点。县人大常委会审议了县政府关于2022年法治政府建设情况的报告。",
            region="湖南省/岳阳市/岳阳县")
    labels = {e.label for e in by_type(x, "Regulation")}
    assert "2023年依法治县工作要点" in labels, labels
    assert any(lab.endswith("2022年法治政府建设情况的报告") for lab in labels), labels
    # a report without a year or an issuer is no one document; reporting is no document
    x = run("及时形成情况报告。今年3月底前向市委报告了2021年度我区法治政府建设工作情况。")
    assert not by_type(x, "Regulation")


def test_a_document_naming_itself_is_no_regulation(run):
    """《本方案》, 《该办法》, 《此通知》 refer to a document already named (or to the report itself):
    no regulation of their own; 《本溪市…条例》 is one (本溪 is a city). Sichuan and Liaoning."""
    x = run("区政府印发了《关于进一步加强行政复议工作的意见》,并按照《本方案》执行。")
    assert labels(x, "Regulation") == {"关于进一步加强行政复议工作的意见"}
    x = run("县政府按照《该办法》和《此通知》执行《本溪市城市市容和环境卫生管理条例》。",
            region="辽宁省/本溪市/本溪满族自治县", title="本溪县2022年报告")
    assert labels(x, "Regulation") == {"本溪市城市市容和环境卫生管理条例"}


def test_central_documents_cited_by_title_alone_have_their_issuer_level_and_kind(run):
    """《法治政府建设与责任落实督察工作规定》 ends in 规定 but is a Party regulation of the central
    offices; 《法治政府建设实施纲要(2021—2025年)》 is the Party centre's, national, whatever the
    years or dash (ontology/lexicon/central_documents.tsv). A county's own 纲要 stays its own."""
    for region in ("四川省/德阳市/罗江区", "湖南省/岳阳市/岳阳县"):
        x = run("严格落实《法治政府建设实施纲要(2021-2025年)》和《法治政府建设与责任落实督察工作规定》,"
                "制定《岳阳县法治政府建设实施纲要》。", region=region)
        r = regs(x)
        plan = r["法治政府建设实施纲要(2021-2025年)"].attrs
        assert (plan.level, plan.regulation_type, plan.issuer) == ("national", "纲要", "中国共产党中央委员会")
        rule = r["法治政府建设与责任落实督察工作规定"].attrs
        assert (rule.level, rule.regulation_type, rule.issuer) == ("national", "党内法规", "中共中央办公厅")
        own = r["岳阳县法治政府建设实施纲要"].attrs
        assert own.level == "county" and own.issuer is None


def test_a_title_whose_years_bracket_is_left_open_is_named_closed(run):
    """《法治清河建设规划(2021-2025年》 as some pages print it is the same plan as the one written
    properly, named with its bracket closed, in either typography."""
    for open_, close in (("(", ")"), ("（", "）")):
        x = run(f"落实《法治清河建设规划{open_}2021-2025年》,修订《法治清河建设规划{open_}2021-2025年{close}》。",
                region="河北省/邢台市/清河县")
        assert [(e.label, len(e.mentions)) for e in by_type(x, "Regulation")] == [("法治清河建设规划(2021-2025年)", 2)]


def test_a_documents_name_is_the_same_whatever_dash_joins_its_years(run):
    """Two reports citing 《法治政府建设实施纲要(2021—2025年)》 and 《…(2021-2025年)》 name one document
    (one node of the graph), the form each wrote kept among its aliases."""
    names = set()
    for dash, region in (("—", "黑龙江省"), ("-", "浙江省/宁波市/象山县"), ("至", "四川省/德阳市/罗江区")):
        x = run(f"持续抓好《法治政府建设实施纲要(2021{dash}2025年)》任务落实。", region=region)
        (reg,) = by_type(x, "Regulation")
        names.add(reg.label)
        assert any(f"2021{dash}2025" in a for a in reg.aliases), reg.aliases
    assert names == {"法治政府建设实施纲要(2021-2025年)"}
