from kg.text.documents import load_bytes

TEXT = """一、加强组织领导
(一)系统学习习近平法治思想。区委理论学习中心组带头学习1次,区政府常务会组织学习1次。
(二)统筹推动法治政府建设严格按照要求开展工作,推动落实。
二、优化营商环境
一是加强行政立法工作。配合做好立法调研工作。二是加强规范性文件管理。
"""


def test_headings_nest_by_level():
    doc = load_bytes(TEXT.encode(), "s.txt")
    heads = [(s.level, s.heading) for s in doc.sections]
    assert heads[0] == (1, "一、加强组织领导")
    assert heads[1] == (2, "(一)系统学习习近平法治思想。")
    assert (1, "二、优化营商环境") in heads
    assert any(level == 4 and h.startswith("一是加强行政立法工作") for level, h in heads)
    # a heading that runs into its sentence without punctuation stops before the verb phrase
    second = next(h for lv, h in heads if h.startswith("(二)"))
    assert second == "(二)统筹推动法治政府建设"
    assert doc.sections[1].parent == 0


def test_sentences_and_clauses_are_offsets_into_the_body():
    doc = load_bytes(TEXT.encode(), "s.txt")
    assert doc.clauses
    for c in doc.clauses:
        piece = doc.body[c.start:c.end]
        assert piece and piece == piece.strip()
        assert "," not in piece and "。" not in piece
    texts = [doc.body[c.start:c.end] for c in doc.clauses]
    assert "区委理论学习中心组带头学习1次" in texts


def test_a_heading_cut_before_its_verb_leaves_no_two_word_residue():
    doc = load_bytes("三是推动政务云上部署,完成6个单位上云工作。二是强化全员培训,组织干部参加考试。\n".encode(), "s.txt")
    heads = [s.heading for s in doc.sections]
    assert heads == ["三是推动政务云上部署", "二是强化全员培训"], heads
    texts = [doc.body[c.start:c.end] for c in doc.clauses]
    assert "部署" not in texts and "培训" not in texts and "完成6个单位上云工作" in texts


def test_a_numbered_heading_of_short_phrases_ends_at_its_full_stop():
    text = "(一)加强组织学习,坚持政治引领。县政府召开常务会议3次。\n(二)开展培训,举办讲座3场。\n"
    doc = load_bytes(text.encode(), "s.txt")
    heads = [s.heading for s in doc.sections]
    assert heads[0] == "(一)加强组织学习,坚持政治引领。"
    # a phrase with a count is a statement, not part of the heading
    assert heads[1] == "(二)开展培训"
