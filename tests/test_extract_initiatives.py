from conftest import by_type


def names(x):
    return {e.label for e in by_type(x, "Initiative")}


def test_quoted_names_with_their_suffix(run):
    x = run("继续深化“放管服”改革,全力推动全区“一网通办”相关工作。")
    assert {"放管服改革", "一网通办"} <= names(x)


def test_unquoted_systems_start_after_the_verb(run):
    x = run("全面落实公平竞争审查制度,推行证明事项告知承诺制。")
    assert "公平竞争审查制度" in names(x)


def test_generic_phrases_are_not_initiatives(run):
    x = run("健全工作机制,完善相关制度,加快构建政府治理体系。")
    assert names(x) == set()


def test_named_platforms(run):
    x = run("依托市级共享交换平台推送数据,在全国行政复议平台录入案件。")
    assert {"市级共享交换平台", "全国行政复议平台"} <= names(x)
