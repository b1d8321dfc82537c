def metrics(x):
    return [(m.value, m.unit, m.approx) for m in x.metrics]


def test_counts_percentages_and_approximations(run):
    x = run("共发生行政诉讼案件8件,出庭应诉率100%,培训80余名干部,覆盖92.4万名群众,约3000人参加。")
    got = metrics(x)
    assert (8, "件", False) in got
    assert (100, "%", False) in got
    assert (80, "余名", True) in got
    assert (92.4, "万名", False) in got
    assert (3000, "人", True) in got


def test_chinese_numerals(run):
    x = run("开展集中学法十二次,组织培训两场。")
    assert (12, "次", False) in metrics(x) and (2, "场", False) in metrics(x)


def test_dates_ordinals_and_names_are_not_metrics(run):
    x = run("2022年6月,第三批名单公布,开展“八五”普法和“一网通办”工作,落实《条例》第5条。")
    assert metrics(x) == []


def test_plenary_sessions_and_nested_quotes_are_no_counts(run):
    """省委十届十次全会 names the tenth plenary of the tenth committee, ‘两个维护’ a slogan: neither
    counts anything; the meetings the clause counts do. Henan and Sichuan, full-width too."""
    for region in ("河南省/驻马店市/西平县", "四川省/德阳市/罗江区"):
        text = ("落实省委十届十次全会、市委四届十次全会精神,把‘两个维护’政治要求贯穿工作全过程,"
                "召开专题会议5次。")
        for variant in (text, text.replace(",", "，")):
            assert metrics(run(variant, region=region)) == [(5, "次", False)]


def test_indicator_and_sentence_come_from_the_clause(run):
    x = run("2022年上半年,共发生行政诉讼案件8件。")
    m = x.metrics[0]
    assert "行政诉讼案件" in m.indicator
    assert m.sentence == "共发生行政诉讼案件8件"
    assert x.document.body[m.start:m.end] == "8件"


def test_units_with_their_bracketed_count_word_and_aspects(run):
    x = run("开展普法活动1000余场(次),从7个方面提出整改措施。")
    got = {(m.value, m.unit, m.approx) for m in x.metrics}
    assert {(1000, "余场(次)", True), (7, "个方面", False)} <= got
