from index.match import score


def test_words_and_phrases_with_the_index_analyzer():
    text = "在区司法局设立行政复议与应诉股,办理行政复议案件7件"
    assert score(text, "行政复议") == 2
    assert score(text, "应诉股 案件") >= 1
    assert score(text, '"案件 行政复议"') == 0  # order matters in a phrase
    assert score(text, '"行政复议 案件"') == 1
    assert score(text, "环境保护") == 0


def test_prefilters_give_the_same_answers_and_leave_strings_alone():
    import pyoxigraph as ox

    from index.match import sparql_functions, with_prefilters
    from kg.core.vocab import PREFIXES, ZW
    store = ox.Store()
    texts = ["在区司法局设立行政复议与应诉股", "办理行政复议案件7件", "开展Wan'an镇普法宣传", "召开会商会议"]
    for i, t in enumerate(texts):
        store.add(ox.Quad(ox.NamedNode(f"http://x/{i}"), ox.NamedNode(str(ZW) + "sentence"), ox.Literal(t)))
    for q in ['行政复议', '"复议与应诉股"', 'wan an 普法', '会商 "行政"', 'OR']:
        literal = q.replace('"', '\\"')
        sparql = f'SELECT ?s WHERE {{ ?x zw:sentence ?s . FILTER(zw:matches(?s, "{literal}")) }} # zw:matches(?s, "x")'
        rewritten = with_prefilters(sparql)
        assert rewritten.endswith('# zw:matches(?s, "x")')  # comments untouched

        def answers(text):
            return sorted(r["s"].value for r in store.query(text, prefixes=PREFIXES, custom_functions=sparql_functions()))
        assert answers(rewritten) == answers(sparql), q
    assert "CONTAINS" in with_prefilters('SELECT * { ?x zw:sentence ?s FILTER(zw:matches(?s, "行政复议")) }')
    inside = 'SELECT * { BIND("zw:matches(?s, \\"a\\")" AS ?t) }'
    assert with_prefilters(inside) == inside
    other = 'PREFIX zw: <http://example.org/> SELECT * { FILTER(zw:matches(?s, "a")) }'
    assert with_prefilters(other) == other


def test_a_bare_word_matches_inside_a_compound_name_of_the_dictionary():
    from index.analysis import load_user_words
    load_user_words(["样例市共享交换平台"])  # a name the segmenter keeps whole, its parts as sub-words
    text = "在样例市共享交换平台挂载数据1579条"
    assert score(text, "共享交换平台") >= 1
    assert score(text, "交换平台 数据") >= 1
    assert score(text, '"挂载 数据"') == 1 and score(text, '"数据 挂载"') == 0  # phrases keep their order


def test_prefilters_keep_texts_without_the_words_from_reaching_the_analyzer(monkeypatch):
    import pyoxigraph as ox

    import index.match as match
    from kg.core.vocab import PREFIXES, ZW
    store = ox.Store()
    texts = ["办理行政复议案件7件"] + [f"开展普法宣传{i}场" for i in range(50)]
    for i, t in enumerate(texts):
        store.add(ox.Quad(ox.NamedNode(f"http://x/{i}"), ox.NamedNode(str(ZW) + "sentence"), ox.Literal(t)))
    calls = []
    real = match.score
    monkeypatch.setattr(match, "score", lambda text, q: calls.append(text) or real(text, q))
    sparql = 'SELECT ?s WHERE { ?x zw:sentence ?s . FILTER(zw:matches(?s, "行政复议")) }'
    rows = list(store.query(match.with_prefilters(sparql), prefixes=PREFIXES, custom_functions=match.sparql_functions()))
    assert [r["s"].value for r in rows] == ["办理行政复议案件7件"]
    assert calls == ["办理行政复议案件7件"]  # the 50 others were ruled out by the store itself
