def agent_labels(x):
    ents = {e.id: e for e in x.entities}
    return [(ents[f.agent].label, f.agent_implicit, f.sentence) for f in x.facts]


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


def test_framing_formulas_are_not_facts(run):
    x = run("紧紧围绕全区中心工作。以数字化改革为抓手。区司法局开展普法宣传活动5场。")
    sentences = [s for _, _, s in agent_labels(x)]
    assert not any("中心工作" in s or "抓手" in s for s in sentences), sentences
    assert any("普法宣传" in s for s in sentences)
