from index.match import score


def test_words_and_phrases_with_the_index_analyzer():
    text = "在区司法局设立行政复议与应诉股,办理行政复议案件7件"
    assert score(text, "行政复议") == 2
    assert score(text, "应诉股 案件") >= 1
    assert score(text, '"案件 行政复议"') == 0  # order matters in a phrase
    assert score(text, '"行政复议 案件"') == 1
    assert score(text, "环境保护") == 0
