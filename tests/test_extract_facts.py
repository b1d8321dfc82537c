def agent_labels(x):
    ents = {e.id: e for e in x.entities}
    return [(ents[f.agent].label, f.agent_implicit, f.sentence) for f in x.facts]


def fact_rows(x):
    """(agent, implicit, action, sentence) of each fact."""
    ents = {e.id: e.label for e in x.entities}
    return [(ents[f.agent], f.agent_implicit, f.action, f.sentence) for f in x.facts]


def as_on_a_page(text: str) -> str:
    """The same text as a web page prints it: an ideographic indent, full-width commas and
    semicolons, and each sentence on a line of its own ending in CRLF."""
    return "\u3000\u3000" + text.replace(",", "，").replace(";", "；").replace("。", "。\r\n")


def test_explicit_implicit_and_carried_agents(run):
    x = run("由区发改局组织各单位进行研判,顺利完成了年度测评工作。全面落实公平竞争审查制度。")
    facts = agent_labels(x)
    assert ("德阳市罗江区发展和改革局", False) == facts[0][:2]
    # the second clause of the same sentence keeps the agent named in the first
    assert all(a == "德阳市罗江区发展和改革局" for a, _, s in facts if "测评" in s)
    last = facts[-1]
    assert last[0] == "德阳市罗江区人民政府" and last[1] is True
    assert last[2] == "全面落实公平竞争审查制度"


def test_facts_link_regulations_initiatives_places_and_metrics(run):
    x = run("严格执行《行政处罚法》,在万安镇推行“放管服”改革,办理案件8件。")
    ents = {e.id: e for e in x.entities}
    f = x.facts[0]
    assert f.section is None
    linked = {ents[i].label for i in f.regulations + f.initiatives + f.places}
    assert "行政处罚法" in linked or any("行政处罚法" in ents[i].label for fa in x.facts for i in fa.regulations)
    assert any(x.metrics[i].value == 8 for fa in x.facts for i in fa.metrics)


def test_object_after_a_preposition_is_not_the_agent(run):
    x = run("今年3月底前向市委、市政府报告了年度工作情况。")
    facts = agent_labels(x)
    assert facts and all(a == "德阳市罗江区人民政府" and imp for a, imp, _ in facts)


def test_a_bureau_named_only_in_the_title_is_the_implicit_agent(run):
    for title in ("罗江区审计局2022年工作总结", "罗江区2022年法治建设工作情况(区审计局)"):
        x = run("全面落实公平竞争审查制度。我局办理审计项目5个。", title=title)
        facts = agent_labels(x)
        assert facts and all(a == "德阳市罗江区审计局" and implicit for a, implicit, s in facts if "落实" in s), facts
        assert any(a == "德阳市罗江区审计局" for a, _, s in facts if "我局" in s)
    # a report of the government itself keeps the government
    x = run("全面落实公平竞争审查制度。", title="罗江区人民政府2022年法治政府建设情况报告")
    assert agent_labels(x)[0][:2] == ("德阳市罗江区人民政府", True)


def test_the_body_that_signs_the_report_is_its_author(run):
    """A report whose title names nobody is written by whoever signs it at the end (GB/T 9704:
    the issuing body's name, then the date), on real page typography too; a government among the
    signers (a joint report of Party committee and government) keeps the government; the page's
    own chrome after the text (责任编辑:区司法局) signs nothing."""
    text = ("2022年,全面落实公平竞争审查制度。我局办理行政复议案件5件。\n\n"
            "{signoff}\n相关附件:\n责任编辑:{editor}\n")
    for region, signer, date in (("福建省/莆田市", "莆田市司法局", "2023年3月1日"),
                                 ("湖南省/岳阳市/岳阳县", "岳阳县审计局", "二〇二三年三月一日"),
                                 ("四川省/德阳市/罗江区", "罗江区司法局", "")):
        body = text.format(signoff=f"{signer}\n{date}", editor="办公室")
        canonical = {"莆田市司法局": "莆田市司法局", "岳阳县审计局": "岳阳市岳阳县审计局",
                     "罗江区司法局": "德阳市罗江区司法局"}[signer]
        for variant in (body, "\u3000\u3000" + body.replace("\n", "\r\n\u3000\u3000").replace(",", "，")):
            facts = agent_labels(run(variant, region=region, title="2022年法治政府建设情况报告"))
            assert [a for a, _, s in facts if "落实" in s] == [canonical], (signer, facts)
            assert any(a == canonical for a, _, s in facts if "我局" in s), facts
    joint = text.format(signoff="中共岳阳县委 岳阳县人民政府\n2023年3月1日", editor="县司法局")
    facts = agent_labels(run(joint, region="湖南省/岳阳市/岳阳县", title="2022年法治政府建设情况报告"))
    assert [a for a, _, s in facts if "落实" in s] == ["岳阳市岳阳县人民政府"], facts
    chrome_only = "2022年,全面落实公平竞争审查制度。\n相关附件:\n责任编辑:区司法局\n"
    facts = agent_labels(run(chrome_only, title="2022年法治政府建设情况报告"))
    assert [a for a, _, s in facts if "落实" in s] == ["德阳市罗江区人民政府"], facts
    # a title that names the government decides, whoever signs
    facts = agent_labels(run(text.format(signoff="罗江区司法局\n2023年3月1日", editor="办公室"),
                             title="罗江区人民政府2022年法治政府建设情况报告"))
    assert [a for a, _, s in facts if "落实" in s] == ["德阳市罗江区人民政府"], facts


def test_the_body_named_under_the_title_is_the_reports_author(run):
    """A body on its own line under the title (with or without the date under it), before the
    text begins, wrote the report: in Sichuan and Hunan, plain and with page typography (title
    repeated, ideographic indents, CRLF); a government among the names keeps the government, and
    an addressee line (…各单位:) names no author."""
    title = "2022年法治政府建设工作情况报告"
    text = "{title}\n{head}\n\n2022年,全面落实公平竞争审查制度。我局办理行政复议案件5件。\n"
    for region, head, canonical in (("四川省/德阳市/罗江区", "罗江区司法局\n(2023年1月10日)", "德阳市罗江区司法局"),
                                    ("湖南省/岳阳市/岳阳县", "岳阳县审计局", "岳阳市岳阳县审计局")):
        body = text.format(title=title, head=head)
        for variant in (body, "\u3000\u3000" + body.replace("\n", "\r\n\u3000\u3000").replace(",", "，")
                        .replace("(", "（").replace(")", "）")):
            facts = agent_labels(run(variant, region=region, title=title))
            assert [a for a, _, s in facts if "落实" in s] == [canonical], (head, facts)
    for head in ("中共岳阳县委 岳阳县人民政府", "各乡镇人民政府,县审计局:"):
        facts = agent_labels(run(text.format(title=title, head=head), region="湖南省/岳阳市/岳阳县", title=title))
        assert [a for a, _, s in facts if "落实" in s] == ["岳阳市岳阳县人民政府"], (head, facts)


def test_framing_formulas_are_not_facts(run):
    x = run("紧紧围绕全区中心工作。以数字化改革为抓手。区司法局开展普法宣传活动5场。")
    sentences = [s for _, _, s in agent_labels(x)]
    assert not any("中心工作" in s or "抓手" in s for s in sentences), sentences
    assert any("普法宣传" in s for s in sentences)


def test_listed_bodies_that_make_up_a_collective_act_as_one(run):
    x = run("区公安局、交通局、水利局等9个部门在相关领域落实行政处罚三张清单制度。"
            "应急、气象、水利等部门建立会商机制。")
    facts = agent_labels(x)
    first = [a for a, _, s in facts if "三张清单" in s]
    assert first == ["9个部门"], facts  # one fact, by the collective, not three copies
    cols = {e.label: e for e in x.entities if e.type == "Collective"}
    assert {"德阳市罗江区公安局", "德阳市罗江区水利局"} <= set(cols["9个部门"].attrs.members)
    assert [a for a, _, s in facts if "会商" in s] == ["应急、气象、水利等部门"]


def test_unnamed_functional_groups_are_collective_agents(run):
    x = run("部分单位未全面公示执法信息。执法部门开展执法培训3次。")
    assert [a for a, imp, _ in agent_labels(x)] == ["部分单位", "执法部门"]


def test_counted_and_listed_groups_of_bodies_are_read_whole(run):
    """A count of bodies takes 个 or 家 (45家市直部门), a list of kinds is read to its end
    (各镇街、部门单位, not 各镇), and 公布 is a verb of disclosure like 公开: each group acts in its
    clause. Fujian, Shandong and Hunan, with page typography too."""
    for region, lvl in (("福建省/福州市/鼓楼区", "区"), ("山东省/济宁市/任城区", "区"), ("湖南省/岳阳市/岳阳县", "县")):
        text = (f"45家{lvl}直部门梳理发布权责事项1157项。全{lvl}各镇街、部门单位面向社会公布上一年度法治政府建设情况。"
                f"{lvl}直各部门单位公布行政执法信息。")
        for variant in (text, as_on_a_page(text)):
            facts = agent_labels(run(variant, region=region, title="2022年工作总结"))
            agents = [a for a, imp, _ in facts if not imp]
            assert agents == [f"45家{lvl}直部门", f"全{lvl}各镇街、部门单位", f"{lvl}直各部门单位"], facts


def test_a_verb_inside_a_name_for_people_is_not_the_action(run):
    """负责 in 负责人 or 主要负责同志 is no verb: the clause's action is what the people did (讲法,
    出庭应诉, 述法), and a government's departments (县政府各部门) are one collective agent, not the
    government and 各部门. Sichuan and Guangdong, with page typography too."""
    for region, lvl in (("四川省/德阳市/罗江区", "区"), ("广东省/梅州市/五华县", "县")):
        text = (f"{lvl}政府各部门主要负责人在常务会议上讲法12次。全{lvl}行政机关负责人出庭应诉15次。"
                f"{lvl}政府主要负责同志带头述法,切实保障人民群众合法权益。")
        for variant in (text, as_on_a_page(text)):
            facts = [(a, act, s) for a, _, act, s in fact_rows(run(variant, region=region, title="2022年工作总结"))]
            assert not any(a == "负责" for _, a, _ in facts), facts
            assert [a for a, _, s in facts if "讲法" in s] == [f"{lvl}政府各部门"], facts
            assert [a for a, _, s in facts if "出庭应诉" in s] == [f"全{lvl}行政机关负责人"], facts
            assert any("保障人民群众" in s for _, _, s in facts), facts


def test_subjects_with_their_own_frequency_each_act(run):
    """区委常委会每半年、区政府常务会每季度听取…: two agents that each act (FACTS.md), one fact each;
    one person's two posts (依法治市办副主任、市司法局局长) are still one agent. Sichuan and Henan,
    with page typography too."""
    for region, lvl in (("四川省/德阳市/罗江区", "区"), ("河南省/开封市/禹王台区", "区"), ("湖南省/岳阳市/岳阳县", "县")):
        text = (f"{lvl}委常委会每半年、{lvl}政府常务会每季度至少听取1次法治建设工作汇报。"
                f"{lvl}委依法治{lvl}办副主任、{lvl}司法局局长王明作专题报告。")
        for variant in (text, as_on_a_page(text)):
            facts = agent_labels(run(variant, region=region, title="2022年工作总结"))
            heard = [a for a, _, s in facts if "听取" in s]
            assert len(heard) == 2 and "常务委员会" in heard[0] and heard[1].endswith("人民政府常务会议"), facts
            assert len([a for a, _, s in facts if "专题报告" in s]) == 1, facts


def test_short_lines_without_a_sentence_end_are_captions_not_facts(run):
    x = run("高举旗帜 强化统筹\n区司法局开展普法宣传活动5场。\n新闻发布会现场\n")
    sentences = [s for _, _, s in agent_labels(x)]
    assert sentences == ["区司法局开展普法宣传活动5场"], sentences


def test_the_subject_of_a_framing_clause_acts_in_the_rest_of_its_sentence(run):
    x = run("2021年,我市各级各部门坚持以习近平法治思想为指导,深刻学习领会宪法和法律的核心要义。全面落实审查制度。")
    facts = agent_labels(x)
    assert not any("为指导" in s for _, _, s in facts)
    assert [(a, imp) for a, imp, s in facts if "领会" in s] == [("我市各级各部门", False)]
    assert [(a, imp) for a, imp, s in facts if "审查制度" in s] == [("德阳市罗江区人民政府", True)]


def test_party_loyalty_formulas_are_not_facts(run):
    x = run("深刻领悟“两个确立”的决定性意义,增强“四个意识”。区司法局办理案件8件。")
    assert [s for _, _, s in agent_labels(x)] == ["区司法局办理案件8件"]


def test_a_leader_acts_for_the_body_of_the_post_named_last(run):
    x = run("7月4日,区委副书记、区长张三主持召开区政府常务会议。区委常委、市委书记李四主持召开市委全会。")
    facts = agent_labels(x)
    assert [a for a, _, s in facts if "张三" in s] == ["德阳市罗江区人民政府"], facts
    assert [a for a, _, s in facts if "李四" in s] == ["中共德阳市委员会"], facts
    # with adverbs between the name and the verb (多次, 亲自), in Fujian and Hunan too
    for region, gov, party in (("福建省/福州市", "福州市人民政府", "中共福州市委员会"),
                               ("湖南省/岳阳市/岳阳县", "岳阳市人民政府", "中共岳阳市委员会")):
        x = run("市委副书记、市长王五多次研究法治政府建设议题。市委书记赵六亲自部署法治建设工作。", region=region)
        facts = agent_labels(x)
        assert [a for a, _, s in facts if "王五" in s] == [gov], facts
        assert [a for a, _, s in facts if "赵六" in s] == [party], facts


def test_taking_in_congress_and_speech_spirit_alone_is_no_fact(run):
    x = run("全面落实党的二十大和二十届二中、三中全会精神,深入学习贯彻习近平总书记考察四川重要讲话精神。"
            "区委常委会第一时间传达学习习近平总书记重要讲话精神。")
    sentences = [s for _, _, s in agent_labels(x)]
    assert not any(s.startswith(("全面落实党的", "深入学习贯彻习近平")) for s in sentences), sentences
    assert any("第一时间传达学习" in s for s in sentences), sentences


def test_the_subject_opens_the_clause_after_a_framing_one(run):
    x = run("在队伍建设方面,区司法局创新工作法。根据市政府安排,区应急局开展安全生产大检查。")
    facts = agent_labels(x)
    assert [(a, implicit) for a, implicit, _ in facts] == [("德阳市罗江区司法局", False),
                                                          ("德阳市罗江区应急管理局", False)]
    assert [f.action for f in x.facts] == ["创新", "开展"]


def test_a_plan_issued_by_the_governments_office_is_the_governments_to_do(run):
    from kg.text.documents import load_bytes
    from kg.extract import extract
    from conftest import report
    text = "全面落实年度述法制度,开展综合性法治督察。"
    issued = report(text, title="德阳市罗江区人民政府办公室关于印发罗江区2022年度法治政府建设工作安排的通知")
    x = extract(load_bytes(issued, "a.txt"))
    assert {a for a, _, _ in agent_labels(x)} == {"德阳市罗江区人民政府"}
    own = report(text, title="德阳市罗江区人民政府办公室2022年度法治政府建设工作情况报告")
    x = extract(load_bytes(own, "b.txt"))
    assert {a for a, _, _ in agent_labels(x)} == {"德阳市罗江区人民政府办公室"}


def test_what_something_is_is_no_fact(run):
    x = run("2022年是全面推进法治政府建设的关键之年。罗江位于成都平原东北部。特别是今年以来,区司法局开展普法活动5场。"
            "区司法局对规范性文件是否合法开展审查。")
    assert [(a, s) for a, _, s in agent_labels(x)] == [
        ("德阳市罗江区司法局", "特别是今年以来,区司法局开展普法活动5场"),
        ("德阳市罗江区司法局", "区司法局对规范性文件是否合法开展审查")]


def test_the_reports_own_preamble_is_no_fact_even_after_a_frame(run):
    x = run("按照要求,现将一年来法治政府建设情况报告如下。区司法局开展普法活动5场。")
    assert [s for _, _, s in agent_labels(x)] == ["区司法局开展普法活动5场"]


def test_more_action_verbs_of_reports(run):
    x = run("区政府主要领导亲自审定年度法治政府建设工作要点。2000余名党员干部下沉社区志愿服务。区检察院发出行政检察建议11件。"
            "区司法局办复建议提案5件。")
    assert [f.action for f in x.facts] == ["审定", "下沉", "发出", "办复"]


def test_a_sentence_opening_by_implementing_a_regulation_acts_under_it_next(run):
    x = run("严格执行新修订的《行政处罚法》,区公安局、交通局等2个部门落实行政处罚三张清单制度。区司法局开展普法宣传活动。")
    regs = {e.id: e.label for e in x.entities if e.type == "Regulation"}
    by_sentence = {f.sentence: [regs[r] for r in f.regulations] for f in x.facts}
    following = next(s for s in by_sentence if "三张清单" in s)
    assert by_sentence[following] == ["行政处罚法"]
    assert all(not v for s, v in by_sentence.items() if "普法" in s), "the next sentence is other work"
    x = run("贯彻执行《广东省行政执法监督条例》,区司法局、区公安局等2个部门开展执法检查。区发改局推进改革。",
            region="广东省/广州市/番禺区", title="番禺区2022年报告")
    regs = {e.id: e.label for e in x.entities if e.type == "Regulation"}
    by_sentence = {f.sentence: [regs[r] for r in f.regulations] for f in x.facts}
    assert by_sentence[next(s for s in by_sentence if "执法检查" in s)] == ["广东省行政执法监督条例"]
    assert by_sentence[next(s for s in by_sentence if "推进改革" in s)] == []


def test_a_short_name_opening_a_clause_stands_for_the_body_named_before(run):
    """常委会 after 区人大常委会, 调研组 after the body that formed it, 办公室 after an office:
    each is that body acting (a name with a verb inside it, 调研组, keeps its clause's agent)."""
    x = run("区人大常委会听取区政府法治政府建设工作报告。常委会组成人员开展专题调研3次。"
            "区政协组成调研组。调研组走访企业11家。")
    facts = agent_labels(x)
    assert ("德阳市罗江区人民代表大会常务委员会", False) in [(a, i) for a, i, s in facts if s.startswith("常委会")]
    assert [(a, i) for a, i, s in facts if s.startswith("调研组")] == [("德阳市罗江区政治协商会议委员会", False)]
    x = run("县委依法治县办印发年度工作要点。办公室组织督察4次。县纪委监委成立督查组。督查组查处案件2件。",
            region="湖南省/岳阳市/岳阳县")
    facts = agent_labels(x)
    office = [a for a, _, s in facts if s.startswith("办公室")]
    assert office and office[0].endswith("办公室") and "岳阳县" in office[0], facts
    assert [a for a, _, s in facts if s.startswith("督查组")] == [
        next(a for a, _, s in facts if s.startswith("县纪委监委"))], facts
    # not a subject (the object of 设立), and nothing to refer to: no agent taken
    x = run("区司法局设立办公室。办公室开展普法活动2次。")
    assert [(a, i) for a, i, s in agent_labels(x) if s.startswith("办公室")] == [("德阳市罗江区人民政府", True)]


def test_a_body_inside_a_goal_frame_is_not_the_subject(run):
    """以…为目标 / 以…为抓手 frame the act that follows (FACTS.md: purpose clauses are no facts): a
    body named inside the frame (区委区政府决策部署) does not act; the next clause's subject does,
    or the report's own government."""
    x = run("以促进区委区政府重大决策部署贯彻落实为目标,区审计局开展专项审计5次。")
    ids = {e.id: e.label for e in x.entities}
    assert [ids[f.agent] for f in x.facts] == ["德阳市罗江区审计局"], [(ids[f.agent], f.sentence) for f in x.facts]
    x = run("以推进县委县政府决策部署落地见效为抓手,深入开展法治宣传活动12场。",
            region="湖南省/岳阳市/岳阳县", title="岳阳县2022年报告")
    ids = {e.id: e.label for e in x.entities}
    assert [(ids[f.agent], f.agent_implicit) for f in x.facts] == [("岳阳市岳阳县人民政府", True)], \
        [(ids[f.agent], f.sentence) for f in x.facts]


def test_the_problems_and_plans_parts_of_a_report_hold_no_facts(run):
    """A report's shortcomings and next year's plans (the parts an annual report must have besides
    its work) are no facts, nor is anything under headings inside them; a part on remedying
    problems reports work. Sichuan and Hunan, plain and with page typography."""
    sichuan = ("一、主要工作\n区司法局办理行政复议案件5件。\n二、存在的问题和不足\n部分单位未公示执法信息,"
               "区司法局监督不够。\n三、下一步工作打算\n(一)深化复议改革。区司法局开展复议案件评查。\n")
    hunan = ("一、2022年工作情况\n县应急管理局开展安全检查120次。\n二、2023年工作计划\n"
             "(一)强化安全监管。县应急管理局开展专项整治。\n三、问题整改情况\n县审计局督促整改问题15个。\n")
    for text, region, want in ((sichuan, "四川省/德阳市/罗江区", ["行政复议案件5件"]),
                               (hunan, "湖南省/岳阳市/岳阳县", ["安全检查120次", "整改问题15个"])):
        for variant in (text, text.replace("\n", "\r\n\u3000\u3000").replace(",", "，").replace("(", "（")
                        .replace(")", "）")):
            sentences = [s for _, _, s in agent_labels(run(variant, region=region, title="2022年工作总结"))]
            assert [w for w in want if any(w in s for s in sentences)] == want, sentences
            assert len(sentences) == len(want), sentences


def test_instructions_and_plans_are_no_facts(run):
    """A modal of obligation before the verb (要, 必须), the future 将 before an adverb of going on
    or 以…为契机, and 下一步 make an instruction or a plan, not work done; the preposition 将 (将…纳入)
    does not. Sichuan and Hunan, plain and with page typography."""
    sichuan = ("区司法局办理行政复议案件5件。各部门要高度重视行政复议工作。区司法局将继续加强复议队伍建设。"
               "下一步,区司法局开展复议案件评查。区政府将法治建设纳入绩效考核。")
    hunan = ("县应急管理局开展安全检查120次。各乡镇必须落实安全生产责任制。"
             "我县将以创建示范县为契机,开展专项整治。")
    for text, region, want in ((sichuan, "四川省/德阳市/罗江区", ["行政复议案件5件", "纳入绩效考核"]),
                               (hunan, "湖南省/岳阳市/岳阳县", ["安全检查120次"])):
        for variant in (text, as_on_a_page(text)):
            sentences = [s for _, _, s in agent_labels(run(variant, region=region, title="2022年工作总结"))]
            assert [w for w in want if any(w in s for s in sentences)] == want, sentences
            assert len(sentences) == len(want), sentences


def test_standing_formulas_are_no_facts(run):
    """贯彻落实…决策部署, 履行…第一责任人职责, 发挥…作用 state loyalty or duty, not work done; the
    same verbs with a count, another act in the statement, or a body whose role it is, report
    work. Sichuan and Hunan."""
    text = ("区政府深入贯彻落实党中央、省委决策部署。{leader}切实履行推进法治建设第一责任人职责。"
            "充分发挥法治的引领作用。{bureau}办理行政复议案件5件。"
            "严格落实省委要求,组织全{lvl}干部参加学法考试。贯彻落实上级部署,查处案件12件。"
            "充分发挥{bureau}立法联系点作用。推动政府各项工作全面纳入法治化轨道。")
    for region, lvl, bureau in (("四川省/德阳市/罗江区", "区", "区司法局"),
                                ("湖南省/岳阳市/岳阳县", "县", "县司法局")):
        body = text.format(leader=lvl + "政府主要负责人", lvl=lvl, bureau=bureau).replace("区政府深入", lvl + "政府深入")
        sentences = [s for _, _, s in agent_labels(run(body, region=region, title="2022年工作总结"))]
        assert not any("决策部署" in s and "查处" not in s or "第一责任人" in s or "引领作用" in s or "轨道" in s
                       for s in sentences), sentences
        for want in ("行政复议案件5件", "学法考试", "查处案件12件", "立法联系点作用"):
            assert any(want in s for s in sentences), (want, sentences)


def test_a_formula_clause_stands_alone_and_lends_no_subject(run):
    """Every verb of a standing formula (扛起…职责, 践行…思想) is a verb: the formula clause is a
    statement of its own, no fact, and the next clause's own subject acts in it (区委常委会, not the
    leaders named before). Sichuan and Hunan, with page typography too."""
    text = ("{lvl}委、{lvl}政府主要领导坚决扛起法治建设第一责任人职责,{lvl}委常委会、{lvl}政府常务会先后8次听取"
            "法治政府建设工作汇报。全{lvl}忠诚践行习近平法治思想,{lvl}司法局举办法治讲座6场。")
    for region, lvl, gov in (("四川省/德阳市/罗江区", "区", "德阳市罗江区人民政府"),
                             ("湖南省/岳阳市/岳阳县", "县", "岳阳市岳阳县人民政府")):
        body = text.format(lvl=lvl)
        for variant in (body, body.replace(",", "，") + "\r\n"):
            facts = agent_labels(run(variant, region=region, title="2022年工作总结"))
            assert not any("第一责任人" in s or "践行" in s for _, _, s in facts), facts
            heard = [a for a, _, s in facts if "听取" in s]
            assert len(heard) == 2 and any("常务委员会" in a for a in heard) and any("常务会议" in a for a in heard) \
                and gov not in heard, facts
            assert any(s.endswith("举办法治讲座6场") and "司法局" in a for a, _, s in facts), facts


def test_each_count_of_work_done_is_a_fact(run):
    """A short clause that counts its own work (新收…7件,受理6件,办结5件) is a fact of its own, its
    subject carried from the sentence; a short clause that only completes the one before (狠抓落实)
    is not. Sichuan and Hunan, with page typography too."""
    for text, region, agent, counts in (
            ("区司法局新收行政复议案件7件,受理6件,办结5件。区司法局加强复议队伍建设,狠抓落实。",
             "四川省/德阳市/罗江区", "德阳市罗江区司法局", ("7件", "受理6件", "办结5件")),
            ("县市场监管局开展检查120次,查处案件15件。", "湖南省/岳阳市/岳阳县", "岳阳市岳阳县市场监督管理局",
             ("120次", "查处案件15件"))):
        for variant in (text, text.replace(",", "，") + "\r\n"):
            facts = agent_labels(run(variant, region=region, title="2022年工作总结"))
            for c in counts:  # each count in a fact of its own
                assert [(a, sum(o in s for o in counts)) for a, _, s in facts if c in s] == [(agent, 1)], (c, facts)
            assert not any(s.startswith("狠抓") for _, _, s in facts), facts


def test_the_body_after_jing_bei_or_you_is_the_agent(run):
    """经…同意/批准 (an approval the report records), 被… (a passive) and 由…牵头 make the body after
    them the agent (FACTS.md), a verb inside a document's title (《实施方案》) is not the clause's
    verb, and a short clause with a subject of its own is a statement of its own. Sichuan, Hunan."""
    for region, lvl, title in (("四川省/德阳市/罗江区", "区", "2022年工作总结"),
                               ("湖南省/岳阳市/岳阳县", "县", "岳阳县2022年工作总结")):
        x = run(f"《实施方案》已经{lvl}政府同意,现印发给你们。由{lvl}司法局牵头开展执法检查。"
                f"{lvl}司法局被市司法局评为先进单位。经{lvl}政府批准,{lvl}司法局印发通知。",
                region=region, title=title)
        got = [(a, s) for a, implicit, s in agent_labels(x) if not implicit]
        depts = {e.label for e in x.entities if e.type == "Department"}
        gov = next(lab for lab in depts if lab.endswith(lvl + "人民政府"))
        bureau = next(lab for lab in depts if lab.endswith(lvl + "司法局"))
        city = next(lab for lab in depts if lab.endswith("市司法局") and lvl + "司法局" not in lab)
        assert (gov, f"《实施方案》已经{lvl}政府同意,现印发给你们") in got, got
        assert (bureau, f"由{lvl}司法局牵头开展执法检查") in got, got
        assert (city, f"{lvl}司法局被市司法局评为先进单位") in got, got
        assert (gov, f"经{lvl}政府批准") in got and (bureau, f"{lvl}司法局印发通知") in got, got


def test_a_body_named_as_this_bureau_and_verbs_inside_names(run):
    """该局/该院 opening a clause stand for the bureau or court named before; a verb inside a title
    or a quoted name (《…推进…》, “…治理”) is not the clause's verb, nor is 要 inside a title a modal.
    Sichuan and Hunan."""
    x = run("宜宾市司法局开展队伍教育整顿。此外,该局还开展法律援助活动12次。", region="四川省/宜宾市",
            title="宜宾市2022年报告")
    assert [a for a, _, s in agent_labels(x) if "法律援助" in s] == ["宜宾市司法局"], agent_labels(x)
    x = run("县人民法院审结案件120件。该院还开展巡回审判15次。", region="湖南省/岳阳市/岳阳县", title="岳阳县2022年报告")
    assert [a for a, _, s in agent_labels(x) if "巡回审判" in s] == ["岳阳市岳阳县人民法院"], agent_labels(x)
    x = run("“行政执法助力撂荒地治理”做法被省委农办《今日要情》全省推广。")
    assert [(a, implicit) for a, implicit, s in agent_labels(x)] == [("中共四川省委农村工作领导小组办公室", False)], \
        agent_labels(x)


def test_a_notice_issuing_a_plan_reports_only_its_approval(run):
    """A notice issuing a plan (…关于印发…工作要点的通知): after the line naming the plan, the text is
    the plan and holds no facts; the notice's reported approval is one. Hunan and Sichuan, plain
    and with page typography. A report that merely names a plan it issued keeps its facts."""
    for region, lvl, place in (("湖南省/岳阳市/岳阳县", "县", "岳阳县"), ("四川省/德阳市/罗江区", "区", "罗江区")):
        plan = f"{place}2023年法治政府建设工作要点"
        text = (f"各乡镇人民政府,{lvl}直各单位:\n《{plan}》已经{lvl}人民政府同意,现印发给你们,请认真贯彻落实。\n"
                f"{plan}\n一、加强组织领导\n{lvl}司法局组织开展法治培训10次。\n二、推进依法行政\n"
                f"{lvl}政府常务会议审议规范性文件5件。\n")
        for variant in (text, text.replace(",", "，").replace("\n", "\r\n\u3000\u3000")):
            facts = agent_labels(run(variant, region=region, title=f"{place}人民政府办公室关于印发{plan}的通知"))
            assert len(facts) == 1 and f"已经{lvl}人民政府同意" in facts[0][2] and not facts[0][1], facts
        facts = agent_labels(run(text.split("\n", 2)[2], region=region, title=f"{place}2023年工作总结"))
        assert any("培训10次" in s for _, _, s in facts), facts


def test_a_modal_asks_for_the_rest_of_its_sentence_too(run):
    """要/将 scope over the predicates that follow in their sentence (各部门要围绕目标,不断完善…,
    大力提升…): none of them is work done; the next sentence reports again. Sichuan and Hunan."""
    for region, lvl, title in (("四川省/德阳市/罗江区", "区", "2022年工作总结"),
                               ("湖南省/岳阳市/岳阳县", "县", "岳阳县2022年工作总结")):
        text = (f"各部门要围绕目标,不断完善依法行政制度和工作机制,大力提升行政决策和行政执法水平。"
                f"{lvl}司法局将继续加强队伍建设,组织开展全员法治业务培训,持续提升行政复议办案质量。"
                f"{lvl}司法局办理行政复议案件5件。")
        sentences = [s for _, _, s in agent_labels(run(text, region=region, title=title))]
        assert sentences == [f"{lvl}司法局办理行政复议案件5件"], sentences


def test_vague_results_are_no_facts(run):
    """取得明显成效, 取得实效, 落地见效, 落到实处, 向纵深发展, 圆满完成各项工作任务 count nothing (FACTS.md:
    vague results); a grade or a count obtained is a fact. Sichuan and Hunan."""
    for region, lvl, title in (("四川省/德阳市/罗江区", "区", "2022年工作总结"),
                               ("湖南省/岳阳市/岳阳县", "县", "岳阳县2022年工作总结")):
        text = (f"{lvl}司法局法治宣传工作取得明显成效。{lvl}司法局圆满完成各项工作任务。"
                f"{lvl}司法局在年度考评中取得考评等次为优秀的成绩。{lvl}司法局办理行政复议案件5件。"
                "推动习近平法治思想落地见效。推动法治政府建设工作取得实效。推动各项措施落到实处。"
                f"推动全{lvl}法治政府建设向纵深发展。推动法治政府建设各项任务落实落细。"
                f"{lvl}司法局开展普法宣传活动6场,推动普法工作取得实效。")
        sentences = [s for _, _, s in agent_labels(run(text, region=region, title=title))]
        assert not any("成效" in s or "圆满完成" in s or "见效" in s or s.startswith("推动") for s in sentences), \
            sentences
        assert any("优秀" in s for s in sentences) and any("5件" in s for s in sentences), sentences
        assert any("6场" in s for s in sentences), sentences


def test_a_report_describing_itself_is_framing(run):
    """本年度报告根据…编制, 全文包括…, 本报告所列数据…: the report describing itself (FACTS.md), as
    every annual report on government information disclosure opens; the work it reports stays.
    Sichuan and Hunan."""
    for region, lvl, title in (("四川省/德阳市/罗江区", "区", "2022年政府信息公开工作年度报告"),
                               ("湖南省/岳阳市/岳阳县", "县", "岳阳县2022年政府信息公开工作年度报告")):
        text = ("本年度报告根据《中华人民共和国政府信息公开条例》编制。全文包括总体情况、主动公开政府信息情况等六部分。"
                f"本报告所列数据统计期限为2022年1月1日至12月31日。{lvl}政府办公室主动公开政府信息120条。")
        sentences = [s for _, _, s in agent_labels(run(text, region=region, title=title))]
        assert sentences == [f"{lvl}政府办公室主动公开政府信息120条"], sentences


def test_the_reports_announcement_after_a_long_frame_is_framing(run):
    """根据《…督察工作规定》(厅字〔2019〕28号)要求,现将…情况报告如下: however long the frame before it,
    现将…报告如下 announces the report (FACTS.md framing), and the sentence it ends is the report's
    preamble throughout. Hunan and Sichuan, with page typography."""
    for region, lvl in (("湖南省/岳阳市/岳阳县", "县"), ("四川省/德阳市/罗江区", "区")):
        text = ("根据《中共中央办公厅 国务院办公厅关于印发〈法治政府建设与责任落实督察工作规定〉的通知》(厅字〔2019〕28号)"
                f"有关规定,现将{lvl}人民政府2022年法治政府建设情况报告如下。{lvl}司法局办理行政复议案件12件。"
                f"2022年,{lvl}政府自觉对标中央决策部署,严格落实会前学法制度,现将2022年法治政府建设工作情况报告如下。")
        for variant in (text, as_on_a_page(text)):
            sentences = [s for _, _, s in agent_labels(run(variant, region=region, title="2022年法治政府建设情况报告"))]
            assert sentences == [f"{lvl}司法局办理行政复议案件12件"], sentences


def test_lead_ins_frame_the_clause_that_acts(run):
    """围绕…, 聚焦…, 结合…, 依托… and 通过…等形式 lead into the clause that acts (FACTS.md): no fact of their
    own, however they end, and the acting clause keeps its subject. Shandong and Shanghai, with page
    typography too."""
    for region, lvl in (("山东省/济南市/天桥区", "区"), ("上海市/上海市/浦东新区", "区"), ("湖南省/岳阳市/岳阳县", "县")):
        text = (f"紧紧围绕以高水平法治政府建设保障全{lvl}经济社会发展主线,{lvl}司法局开展专项执法检查3次。"
                f"结合本年度工作开展情况和上级反馈的问题短板,{lvl}政府制定整改方案。"
                f"通过{lvl}政府常务会、党组会等形式,专题学习《行政复议法》。"
                "聚焦服务新旧动能转换重大工程,市委办公厅印发《关于深化放管服改革进一步优化政务环境的意见》。")
        for variant in (text, as_on_a_page(text)):
            facts = agent_labels(run(variant, region=region, title="2022年法治政府建设情况报告"))
            assert len(facts) == 4, facts
            assert not any(s.startswith(("紧紧围绕", "结合", "通过", "聚焦")) and s.endswith(("主线", "短板", "形式", "工程"))
                           for _, _, s in facts), facts
            assert any(a.endswith("司法局") and "专项执法检查" in s for a, _, s in facts), facts


def test_the_acting_clause_after_a_time_phrase_and_frames_gives_verb_and_subject(run):
    """2022年以来,在…领导下,在…精准指导下,区市场监管局开展…: the action is 开展, not the 指导 of a frame,
    and the body opening the acting clause acts; a subject written in a clause of its own before
    the verb (区司法局,认真开展…) still acts. Sichuan and Hunan, with page typography too."""
    for region, lvl in (("四川省/德阳市/罗江区", "区"), ("湖南省/岳阳市/岳阳县", "县")):
        text = (f"2022年以来,在{lvl}委的坚强领导下,在市司法局的精准指导下,{lvl}市场监管局开展执法检查12次。"
                f"{lvl}司法局,认真开展普法活动5次。")
        for variant in (text, as_on_a_page(text)):
            facts = [(a, imp, act) for a, imp, act, _ in fact_rows(run(variant, region=region, title="2022年工作总结"))]
            assert facts[0][0].endswith("市场监督管理局") and facts[0][1:] == (False, "开展"), facts
            assert facts[1][0].endswith("司法局") and not facts[1][1], facts


def test_a_list_items_first_clause_is_a_clause_unless_it_is_a_topic(run):
    """一是…二是… items (FACTS.md: a list item is a clause): an item whose first clause names
    something done (二是对全区各街镇…进行年度书面述法述职, 三是制定了试点实施方案) states a fact; a short
    topic (一是健全学习机制) heads the item, and the clause after it states the fact. Guangdong and
    Sichuan, with page typography too."""
    for region, lvl in (("广东省/清远市/清城区", "区"), ("四川省/德阳市/罗江区", "区"), ("广东省/梅州市/五华县", "县")):
        text = (f"{lvl}司法局扎实开展考评工作。一是健全学习机制,组织干部集中学法12次;"
                f"二是对全{lvl}各街镇、各单位领导班子进行年度书面述法述职,逐步形成述法制度;"
                "三是制定了试点实施方案,明确责任分工。")
        for variant in (text, as_on_a_page(text)):
            sentences = [s for _, _, s in agent_labels(run(variant, region=region, title="2022年工作总结"))]
            assert any(s.startswith("二是对全") for s in sentences), sentences
            assert any(s.startswith("三是制定了试点实施方案") for s in sentences), sentences
            assert any("学法12次" in s for s in sentences), sentences
            assert not any(s.startswith("一是健全学习机制") for s in sentences), sentences


def test_a_clause_opening_with_bing_is_a_fact_of_its_own(run):
    """…,并在区政府网站公开…: a clause is the text between clause marks (FACTS.md), so the act after
    并 is a fact of its own, by the same subject; 并按照…要求 frames the clause after it, and a
    frame with nothing after it is no fact. Sichuan and Guangdong, with page typography too."""
    for region, lvl in (("四川省/德阳市/罗江区", "区"), ("广东省/清远市/清城区", "区"), ("湖南省/岳阳市/岳阳县", "县")):
        text = (f"{lvl}司法局开展普法活动5场,并在{lvl}政府网站公开活动信息。"
                f"{lvl}司法局开展普法活动6场,并严格按照《四川省法治宣传教育条例》要求,组织干部学法。"
                f"{lvl}司法局开展普法活动7场,并严格按照《四川省法治宣传教育条例》要求。")
        for variant in (text, as_on_a_page(text)):
            facts = agent_labels(run(variant, region=region, title="2022年工作总结"))
            sentences = [s for _, _, s in facts]
            assert sentences == [f"{lvl}司法局开展普法活动5场", f"并在{lvl}政府网站公开活动信息",
                                 f"{lvl}司法局开展普法活动6场", "并严格按照《四川省法治宣传教育条例》要求,组织干部学法"
                                 .replace(",", "，" if "，" in variant else ","), f"{lvl}司法局开展普法活动7场"], facts
            assert all(a.endswith("司法局") and not imp for a, imp, _ in facts), facts


def test_a_weak_verb_with_a_vague_object_is_no_fact(run):
    """推进, 加强, 健全, 完善, 落实, 坚持 make a fact only with a specific object (FACTS.md): 坚持高位推动…
    工作, 加强…组织领导, 持续推进…体系建设 name nothing done; 健全会前学法机制, 加强防疫物资储备,
    推进《…》落实 and a count do. Sichuan and Hunan."""
    for region, lvl, title in (("四川省/德阳市/罗江区", "区", "2022年工作总结"),
                               ("湖南省/岳阳市/岳阳县", "县", "岳阳县2022年工作总结")):
        text = ("坚持高位推动法治政府建设工作。加强对本地区法治政府建设的组织领导。持续推进公共法律服务体系建设。"
                "健全政府常务会议会前学法机制。加强防疫物资和医疗设备储备。推进《法治政府建设实施纲要》落实。"
                "加强执法检查,检查企业120家。")
        sentences = [s for _, _, s in agent_labels(run(text, region=region, title=title))]
        assert not any(w in s for s in sentences for w in ("高位推动", "组织领导", "体系建设")), sentences
        for want in ("学法机制", "医疗设备储备", "实施纲要", "120家"):
            assert any(want in s for s in sentences), (want, sentences)


def test_keeping_to_a_principle_is_no_fact_keeping_a_system_is(run):
    """坚持 keeps to a principle (坚持问题导向…相统一, 坚持以…确保…方向, 坚持稳中求进工作总基调): no fact;
    坚持集体讨论决策制度 keeps a working system (FACTS.md) and 坚持推广… does something: facts. Sichuan
    and Xinjiang, with page typography too."""
    for region, lvl in (("四川省/巴中市/恩阳区", "区"), ("新疆维吾尔自治区", "区"), ("湖南省/岳阳市/岳阳县", "县")):
        text = ("坚持问题导向、目标导向、结果导向相统一。坚持以党的全面领导确保法治政府建设正确方向。"
                "坚持稳中求进工作总基调。坚持集体讨论决策制度。坚持推广“枫桥经验”。")
        for variant in (text, as_on_a_page(text)):
            sentences = [s for _, _, s in agent_labels(run(variant, region=region, title="2022年工作总结"))]
            assert sentences == ["坚持集体讨论决策制度", "坚持推广“枫桥经验”"], sentences


def test_statistics_of_a_region_are_metrics_not_facts(run):
    """地区生产总值增长6.5%, 一般公共预算收入完成12.3亿元: nobody did them (FACTS.md); they stay
    metrics. A body's own count stays a fact. Sichuan and Hunan."""
    for region, lvl, title in (("四川省/德阳市/罗江区", "区", "2022年工作总结"),
                               ("湖南省/岳阳市/岳阳县", "县", "岳阳县2022年工作总结")):
        x = run(f"全{lvl}地区生产总值增长6.5%,一般公共预算收入完成12.3亿元。{lvl}司法局审结案件12件。",
                region=region, title=title)
        assert [s for _, _, s in agent_labels(x)] == [f"{lvl}司法局审结案件12件"], agent_labels(x)
        assert {m.text for m in x.metrics} >= {"6.5%", "12.3亿元", "12件"}, [m.text for m in x.metrics]
