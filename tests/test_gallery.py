"""Every example query in ontology/queries answers its question on the bundled report.

Each .rq file names, in `# expect:` lines, strings its answer must contain."""
import pytest

from index.match import fulltext_options
from kg.graph.store import open_store, query
from web.gallery import gallery


def cells(result) -> str:
    return "\n".join(" ".join(t.value for t in row if t is not None) for row in result)


@pytest.mark.parametrize("example", gallery(), ids=[x["id"] for x in gallery()])
def test_gallery_query_answers(built_data, example):
    expects = [line.split(":", 1)[1].strip() for line in example["query"].splitlines()
               if line.startswith("# expect:")]
    assert expects, "every gallery query says what its answer must contain"
    assert example["title_zh"] != example["id"] and example["title_en"] != example["id"]
    text = cells(query(open_store(built_data), example["query"], **fulltext_options()))
    for e in expects:
        assert e in text, f"{example['id']}: {e!r} not in the answer"


def test_gallery_titles_are_chinese_then_english_and_expect_lines_stay_hidden(built_data):
    import re
    from web import create_app
    for x in gallery():
        assert re.search(r"[\u4e00-\u9fff]", x["title_zh"]) and not re.search(r"[\u4e00-\u9fff]", x["title_en"]), x["id"]
    c = create_app({"DATA": str(built_data)}).test_client()
    page = c.get("/query?example=q08-review-unit&run=1").get_data(as_text=True)
    assert "# expect:" not in page and "德阳市罗江区司法局" in page
