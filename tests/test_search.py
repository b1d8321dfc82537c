"""Full-text search over a build of the bundled report: Chinese, pinyin, English, phrases, filters."""
import json
import re

import pytest

from index.search import SearchError, search
from app.cli import main
from kg.datafolder import index_dir

from conftest import SEED


@pytest.fixture(scope="module")
def ix(built_data):
    return index_dir(built_data)


def labels(result, typ=None):
    return [h["label"] for h in result["hits"] if typ is None or h["type"] == typ]


@pytest.mark.parametrize("query", ["万安", "Wan'an", "wanan", "wan an", "WanAn"])
def test_town_by_chinese_and_any_pinyin_spelling(ix, query):
    assert labels(search(ix, query), "Place")[:1] == ["万安镇"]


def test_heteronym_reading(ix):
    assert "调元镇" in labels(search(ix, "Tiaoyuan"), "Place")


def test_abbreviation_finds_the_full_name(ix):
    assert "德阳市罗江区发展和改革局" in labels(search(ix, "发改局"), "Department")


def test_english_department_type(ix):
    assert any(lbl.endswith("司法局") for lbl in labels(search(ix, "Bureau of Justice"), "Department"))


def test_phrase_finds_every_occurrence_even_inside_longer_words(ix):
    r = search(ix, '"行政复议"', type="passage", limit=50)
    texts = [h["snippet"] for h in r["hits"]]
    assert texts and all("行政复议" in t for t in texts)
    assert any("行政复议与应诉股" in t for t in texts)
    assert all("<mark" in h["highlight"] for h in r["hits"])


def test_passage_hits_point_into_the_document(ix):
    r = search(ix, "出庭应诉率", type="passage")
    h = r["hits"][0]
    body = SEED.read_text(encoding="utf-8")
    assert body[h["start"]:h["end"]] == h["snippet"] and "100%" in h["snippet"]
    assert h["document"].endswith("/document/luojiang-2022h1")


def test_filters(ix):
    r = search(ix, "type:place 罗江")
    assert labels(r) == ["罗江区"]
    r = search(ix, "place:万安镇")
    assert r["hits"] and all(h["type"] == "Passage" and "万安" in h["snippet"] for h in r["hits"])
    assert search(ix, "year:2022 万安")["total"] == search(ix, "万安", type="passage")["total"] > 0
    assert search(ix, "year:2021 万安")["total"] == 0


@pytest.mark.parametrize("query,finds", [('"万安', True), ("OR", False), ("行政" * 5000, True), ("\x01\x02万安", True),
                                         ("!!!,。", False), ("(((", False), ("AND OR NOT", False), ("", False)])
def test_bad_queries_give_results_or_nothing_never_an_error(ix, query, finds):
    """A query with a real word in its debris still finds it; one without finds nothing."""
    r = search(ix, query)
    assert (r["total"] > 0) == finds and len(r["hits"]) <= r["total"]
    if finds:
        assert any("万安" in (h["label"] + str(h.get("snippet"))) or "行政" in (h["label"] + str(h.get("snippet")))
                   for h in r["hits"])


@pytest.mark.parametrize("query,kind", [("text:司法", "Passage"), ("label:司法", "Department"),
                                        ("english:bureau", "Department"), ("pinyin:wanan", "Place"), ("*", None),
                                        ("kind:entity", None)])
def test_a_query_naming_a_field_or_everything_finds_its_cards_not_an_error(ix, query, kind):
    """The parser's field syntax (text:, label:) and a lone wildcard matched cards of the other kind
    (a passage has no label to show, an entity no text to highlight): the search failed."""
    r = search(ix, query, limit=20)
    assert r["total"] > 0 and r["hits"]
    if kind:
        assert {h["type"] for h in r["hits"]} == {kind}


@pytest.mark.parametrize("query", ["NOT 司法", "罗江 OR NOT 司法", "NOT xingzheng", "NOT sfj"])
def test_a_negation_finds_cards_without_the_word_not_an_error(ix, query):
    """A query that is (or has a branch that is) only a negation matched every card lacking the
    word, entities among the passages: their highlight failed and the search with it."""
    r = search(ix, query, limit=50)
    assert r["total"] > 0
    passages = [h for h in r["hits"] if h["type"] == "Passage"]
    entities = [h for h in r["hits"] if h["type"] != "Passage"]
    assert passages and entities
    if query == "NOT 司法":
        assert all("司法" not in h["snippet"] for h in passages + entities)


def test_bad_filters_are_explained(ix):
    with pytest.raises(SearchError):
        search(ix, "type:bogus 万安")
    with pytest.raises(SearchError):
        search(ix, "year:abc")


def test_cli_search_json_shape(ix, capsys):
    data = ix.parent.parent.parent
    assert main(["search", "万安", "--json", "--data", str(data)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"query", "total", "hits"}
    assert set(out["hits"][0]) >= {"id", "type", "label", "score", "snippet", "document"}


def test_cli_search_says_how_it_read_pinyin(ix, capsys):
    data = ix.parent.parent.parent
    assert main(["search", "xingzheng fuyi", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "read as pinyin: 行政复议" in out and "行政复议" in out.split("read as pinyin", 1)[1]
    assert main(["search", "万安", "--data", str(data)]) == 0
    assert "read as pinyin" not in capsys.readouterr().out
    assert main(["search", "xzfy", "--data", str(data)]) == 0
    assert "read as the first letters of pinyin: 行政复议" in capsys.readouterr().out


def test_facets_count_types_departments_places_regions_years(ix):
    r = search(ix, "万安")
    f = r["facets"]
    assert f["type"]["place"] >= 1 and f["type"]["passage"] >= 1
    assert f["region"] == {"罗江区": f["type"]["passage"]}
    assert f["year"] == {"2022": f["type"]["passage"]}
    assert "万安镇" in f["place"] or "德阳市罗江区人民政府" in f["department"]


@pytest.mark.parametrize("query", ["行政复议", "法治 OR 普法", "type:passage 法治", "执法"])
def test_total_and_facets_count_every_match_not_only_the_top(ix, query):
    few, many = search(ix, query, limit=3), search(ix, query, limit=100)
    assert few["total"] == many["total"] == sum(few["facets"]["type"].values())
    assert few["total"] > 3 and few["facets"] == many["facets"]
    if few["total"] <= 100:
        assert len(many["hits"]) == few["total"]


@pytest.mark.parametrize("query", ["放管服 改革", "Wan'an", "行政复议与应诉股", "the Bureau of Justice", "2022年 司法局",
                                   "a", "Sichuan Province 万安"])
def test_plain_words_build_the_query_the_parser_would(ix, query):
    from whoosh.qparser import MultifieldParser

    from index.search import ENTITY_FIELDS, PASSAGE_FIELDS, open_index, plain_query
    schema = open_index(str(ix)).schema
    for fields in (ENTITY_FIELDS, PASSAGE_FIELDS):
        fast = plain_query(schema, query, fields)
        assert fast is not None
        assert repr(fast) == repr(MultifieldParser(list(fields), schema=schema).parse(query))
    for syntax in ('"行政复议"', "放管服 OR 改革", "type:passage 法治", "行政*"):
        assert plain_query(schema, syntax, PASSAGE_FIELDS) is None  # left to the parser


@pytest.mark.parametrize("q", ["行政复议 案件", "安全生产 OR 应急", "法治", '"行政复议"'])
def test_ranking_scores_are_whoosh_bm25f(ix, q):
    """The search's BM25F (field lengths read once per segment) ranks exactly as whoosh's own."""
    from whoosh import scoring
    from index.search import PASSAGE_FIELDS, WEIGHTING, _build_query, open_index
    index = open_index(str(ix))
    with index.searcher(weighting=scoring.BM25F()) as plain, index.searcher(weighting=WEIGHTING) as ours:
        query = _build_query(plain.schema, q, PASSAGE_FIELDS)
        a = [(h.docnum, h.score) for h in plain.search(query, limit=30)]
        b = [(h.docnum, h.score) for h in ours.search(query, limit=30)]
    assert a and [d for d, _ in a] == [d for d, _ in b]
    assert all(abs(x - y) < 1e-9 * max(1.0, abs(x)) for (_, x), (_, y) in zip(a, b))


def test_field_lengths_read_in_one_go_equal_whooshs_own(ix, monkeypatch):
    from index.search import _read_lengths, open_index
    with open_index(str(ix)).searcher() as s:
        for reader in [r for r, _ in s.reader().leaf_readers()]:
            for field in ("label", "aliases", "pinyin", "english", "text"):
                slow = [reader.doc_field_length(d, field, 1) or 0 for d in range(reader.doc_count_all())]
                with monkeypatch.context() as m:  # read from the column, not document by document
                    m.setattr(type(reader), "doc_field_length", lambda *a, **k: pytest.fail("asked per document"))
                    fast = _read_lengths(reader, field)
                assert list(fast) == slow and any(slow)


def test_each_terms_length_bounds_are_those_of_its_documents(ix):
    """A segment is finished with its field lengths read once (whoosh looked one up for every
    posting): the bounds each term keeps for ranking are still its documents' lengths."""
    from index.search import open_index
    with open_index(str(ix)).searcher() as s:
        for reader in [r for r, _ in s.reader().leaf_readers()]:
            checked = 0
            for field in ("text", "label", "pinyin"):
                for term in reader.lexicon(field):
                    lengths = [reader.doc_field_length(d, field) for d in reader.postings(field, term).all_ids()]
                    info = reader.term_info(field, term)
                    assert (info.min_length(), info.max_length()) == (min(lengths), max(lengths)), (field, term)
                    checked += 1
            assert checked > 100


@pytest.mark.parametrize("query", ["Market Supervision Administration", "Administration for Market Regulation"])
def test_a_body_by_any_of_its_common_english_names(ix, query):
    assert "德阳市罗江区市场监督管理局" in labels(search(ix, query), "Department")[:3]


def test_a_department_filter_finds_what_its_collective_did(ix):
    # 区公安局、交通局、市场监管局、水利局…等9个部门 act as one collective
    r = search(ix, "三张清单 department:德阳市罗江区水利局", type="passage")
    assert r["hits"] and all(h["type"] == "Passage" for h in r["hits"])
    assert any("9个部门" in h["snippet"] for h in r["hits"])


def test_a_failed_index_build_leaves_no_writer_process(tmp_path, monkeypatch):
    """An error while the index is written ends the writer processes too (no stray processes
    in a long-running program that builds)."""
    import multiprocessing

    import index.build as ib
    from app.build import build
    monkeypatch.setenv("KG_INDEX_PROCS", "2")
    real = ib._sentences
    calls = []

    def failing(body):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("disk full")
        yield from real(body)
    monkeypatch.setattr(ib, "_sentences", failing)
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"r{i}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    before = set(multiprocessing.active_children())
    with pytest.raises((RuntimeError, ib.IndexBuildError), match="disk full"):
        build([str(corpus)], tmp_path / "data")
    assert not [p for p in set(multiprocessing.active_children()) - before if p.is_alive()]


def test_the_index_pool_gives_back_every_posting_in_order_across_runs(tmp_path):
    """The pool of postings spills sorted runs to disk in batches (whoosh wrote them a posting
    at a time); merged back, and merged down to fewer runs, they are every posting in order."""
    import random

    from whoosh.filedb.filestore import FileStorage

    from index.build import BatchedRunPool
    rng = random.Random(7)
    items = [(rng.choice(["text", "label"]), rng.choice("甲乙丙丁戊").encode() * rng.randint(1, 3),
              rng.randint(0, 5000), 1.0, bytes([rng.randint(0, 255)]) * rng.randint(0, 9)) for _ in range(30000)]
    storage = FileStorage(str(tmp_path)).create()
    pool = BatchedRunPool(storage, None, limitmb=1)
    pool.BATCH = 1000  # runs of several batches
    for it in items:
        pool.add(it)
    pool.save()
    assert len(pool.runs) > 3
    pool.reduce_to(2, 2)  # what a pool over its file budget does
    assert len(pool.runs) == 2
    assert list(pool.items()) == sorted(items)


@pytest.mark.parametrize("query", ["xingzheng fuyi", "xingzhengfuyi", "Xing Zheng Fu Yi", "XINGZHENG-FUYI"])
def test_pinyin_finds_what_the_chinese_finds(ix, query):
    """Typed in pinyin, however the syllables are grouped, a query finds every passage and name
    the Chinese finds, and says how it was read."""
    chinese = search(ix, "行政复议", limit=100)
    r = search(ix, query, limit=100)
    assert r["read_as"][0] == "行政复议"
    assert chinese["total"] > 0 and {h["id"] for h in chinese["hits"]} <= {h["id"] for h in r["hits"]}
    assert any(h["type"] == "Passage" and re.search(r"<mark[^>]*>行政复议", h["highlight"]) for h in r["hits"])


@pytest.mark.parametrize("query", ["Bureau of Justice", "review", "china", "行政复议", "xyzzy"])
def test_english_chinese_and_letter_salad_are_not_read_as_pinyin(ix, query):
    assert "read_as" not in search(ix, query)


def test_a_spelling_of_several_words_takes_the_commoner_and_offers_the_others(tmp_path):
    from index.readings import READINGS, read_as
    (tmp_path / READINGS).write_text("fuyi\t复议\njianguan\t监管\nluojiang\t洛江\nluojiang\t罗江\nsifa\t司法\n"
                                     "sifaju\t司法局\nxingzheng\t行政\nxingzhengfuyi\t行政复议\n", encoding="utf-8")
    docs = {"罗江": 9, "洛江": 2, "司法局": 5, "司法": 7, "行政复议": 3, "行政": 40, "复议": 3, "监管": 4}.get
    # the fewest words: a word of the corpus is kept whole, whatever the spaces say
    assert read_as(tmp_path, "xingzheng fuyi", docs) == ["行政复议"]
    assert read_as(tmp_path, "Luojiang sifaju", docs) == ["罗江司法局", "洛江司法局"]
    assert read_as(tmp_path, "luojiang jianguan", docs, most=1) == ["罗江监管"]
    # pinyin among Chinese: each run of letters read, the query's syntax kept
    assert read_as(tmp_path, "luojiang 司法局", docs) == ["罗江 司法局"]
    assert read_as(tmp_path, "xingzheng fuyi案件", docs) == ["行政复议 案件"]
    assert read_as(tmp_path, "xingzheng OR 复议", docs) == ["行政 OR 复议"]
    assert read_as(tmp_path, "APP 司法局", docs) == []
    # ü as pinyin typists type it: v, u, ü or u:
    (tmp_path / READINGS).write_text("falv\t法律\nyuanzhu\t援助\n", encoding="utf-8")
    for typed in ("falv yuanzhu", "falu yuanzhu", "falü yuanzhu", "falu: yuanzhu"):
        assert read_as(tmp_path, typed, lambda w: 1) == ["法律援助"], typed
    # letters that are not a run of the corpus's words are not read at all
    assert read_as(tmp_path, "luojiang sifaj", docs) == [] and read_as(tmp_path, "罗江", docs) == []


def test_letters_without_vowels_are_read_as_first_letters_of_syllables(tmp_path):
    from index.readings import READINGS, read_as
    (tmp_path / READINGS).write_text(
        "shifan\t示范\tsf\nsifa\t司法\tsf\nsifaju\t司法局\tsfj\nfuyi\t复议\tfy\nxingzheng\t行政\txz\n"
        "xingzhengfuyi\t行政复议\txzfy\nluojiangqu\t罗江区\tljq\nzhifa\t执法\tzf\n", encoding="utf-8")
    docs = {"示范": 3, "司法": 8, "司法局": 5, "复议": 3, "行政": 40, "行政复议": 3, "罗江区": 6, "执法": 9}.get
    assert read_as(tmp_path, "xzfy", lambda w: docs(w, 0)) == ["行政复议"]
    # first letters are cut into several words only where these stand together in some passage:
    # the likeliest word of each part alone (行政政府) would be a guess
    side_by_side = {("行政", "执法"), ("罗江区", "司法")}.__contains__
    assert read_as(tmp_path, "xzzf", lambda w: docs(w, 0)) == []
    assert read_as(tmp_path, "xzzf", lambda w: docs(w, 0), together=lambda ws: side_by_side(tuple(ws))) == ["行政执法"]
    assert read_as(tmp_path, "xzsf", lambda w: docs(w, 0), together=lambda ws: side_by_side(tuple(ws))) == []
    assert read_as(tmp_path, "SFJ", lambda w: docs(w, 0)) == ["司法局"]
    assert read_as(tmp_path, "ljq sfj", lambda w: docs(w, 0)) == ["罗江区司法局"]
    assert read_as(tmp_path, "ljq 行政复议", lambda w: docs(w, 0)) == ["罗江区 行政复议"]
    # one set of first letters, several words: the commoner first, the others offered
    assert read_as(tmp_path, "sf", lambda w: docs(w, 0)) == ["司法", "示范"]
    # letters that are a word of the corpus themselves are not read (gdp, pdf); nor are letters
    # with a vowel that spell nothing (every syllable has a vowel, so they are no first letters)
    assert read_as(tmp_path, "sfj", lambda w: {"sfj": 2}.get(w, docs(w, 0))) == []
    assert read_as(tmp_path, "sifaj", lambda w: docs(w, 0)) == []
    # a table written before it had the first letters still reads spellings, not first letters
    (tmp_path / READINGS).write_text("sifaju\t司法局\n", encoding="utf-8")
    assert read_as(tmp_path, "sifaju", lambda w: 1) == ["司法局"] and read_as(tmp_path, "sfj", lambda w: 0) == []


@pytest.mark.parametrize("query,chinese", [("xzfy", "行政复议"), ("XZFY", "行政复议"), ("fzzf", "法治政府")])
def test_first_letters_find_what_the_chinese_finds(ix, query, chinese):
    r = search(ix, query, limit=100)
    assert r["read_as"][0] == chinese
    chinese = search(ix, chinese, limit=100)
    assert {h["id"] for h in chinese["hits"]} <= {h["id"] for h in r["hits"]}


def test_a_reading_that_finds_nothing_gives_way_to_one_that_does(ix, monkeypatch):
    """Words likelier one by one can make a reading no report contains (洛江司法局 where the
    corpus has 罗江司法局): the first reading that finds something is searched and shown first."""
    import index.search as S
    monkeypatch.setattr(S, "read_as", lambda *a, **k: ["复议行政万安镇", "行政复议"])
    r = search(ix, "xingzheng fuyi", limit=100)
    assert r["read_as"] == ["行政复议", "复议行政万安镇"]
    assert r["total"] >= search(ix, "行政复议", limit=100)["total"] > 0


def test_a_damaged_readings_table_costs_the_readings_not_the_search(tmp_path):
    from index.readings import READINGS, read_as
    (tmp_path / READINGS).write_bytes(b"\xff\xfe garbage \x00\x81")
    assert read_as(tmp_path, "xingzheng fuyi", lambda w: 1) == []
    (tmp_path / READINGS).unlink()
    assert read_as(tmp_path, "xingzheng fuyi", lambda w: 1) == []
