"""One language per page: every page type, in Chinese and in English, shows the interface in
that language only. Text of the other language may appear only where it is data (a name, a
sentence, a title, a value of the graph or of a report): on an English page every run of
Chinese characters must occur in the graph's values or the reports' texts, and on a Chinese
page every English word must."""
import html
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pyoxigraph as ox
import pytest

from kg.datafolder import current_build
from web import create_app

# words of the standards and formats we name as they are, in both interfaces
NAMES = {"SPARQL", "PREFIX", "CSV", "TSV", "JSON", "IRI", "Ctrl", "Enter", "English", "OpenAPI", "SELECT", "WHERE",
         "LIMIT", "Turtle", "HTML", "BY", "ASC", "DESC"}


@pytest.fixture(scope="module")
def site(built_data):
    client = create_app({"DATA": str(built_data), "TESTING": True}).test_client()
    build = current_build(built_data)
    store = ox.Store.read_only(str(build / "store"))
    values = [q.object.value for q in store if isinstance(q.object, ox.Literal)]
    values += [p.read_text(encoding="utf-8") for p in (build / "docs").glob("*.txt")]
    del store
    return client, "\n".join(values)


def pages(client) -> list[str]:
    """One address of every page type."""
    def first(path: str, key: str) -> str:
        rows = client.get(path + ("&" if "?" in path else "?") + "format=json").get_json()[key]
        return rows[0]
    fact = first("/facts", "facts")
    paths = ["/", "/search?q=" + quote("行政复议"), "/departments", "/regulations", "/places", "/initiatives",
             "/facts", "/query", "/query?example=x01-departments-by-facts&run=1",
             "/query?example=x03-regulations-by-level&run=1&view=table", "/document/" + quote(fact["report"]),
             "/department/" + quote("德阳市罗江区司法局"), "/regulation/" + quote("行政处罚法"),
             "/place/" + quote("四川省/德阳市/罗江区/万安镇"), "/initiative/" + quote("放管服改革"),
             urlsplit(fact["f"]).path, "/department/" + quote("没有这个部门"), "/search?q=type:nonsense"]
    law = client.get("/regulation/" + quote("行政处罚法") + "?format=json").get_json()
    paths += [urlsplit(f["agent"]).path for f in law["facts"] if "/collective/" in f["agent"]][:1]
    metric = client.get("/query?run=1&query=" + quote("SELECT ?m WHERE { ?m a zw:Metric } LIMIT 1")).get_data(as_text=True)
    paths.append(re.search(r'href="(/metric/[^"]+)"', metric).group(1))
    return paths


def visible_text(page: str) -> str:
    """What a reader sees: the text outside tags, scripts, styles, the query editor and
    preformatted SPARQL, with addresses left out; and not what is marked as being in another
    language (the language toggle, example queries in pinyin or English, a pinyin snippet)."""
    page = re.sub(r"(?s)<(script|style|textarea|pre|svg)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<(a|span|p|code)\b[^>]*\blang=\"[^\"]+\"[^>]*>.*?</\1>", " ", page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"https?://\S+", " ", text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_type_speaks_one_language(site, lang):
    client, data = site
    stray = []
    for path in pages(client):
        r = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert r.status_code in (200, 400, 404), (path, r.status_code)
        text = visible_text(r.get_data(as_text=True))
        text = text.replace(unquote(path.split("?")[0].rsplit("/", 1)[-1]), " ")  # a name asked for, echoed
        if lang == "en":
            foreign = re.findall(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+", text)
            foreign = [w for w in foreign if w.strip("，。：；（）、") and w not in data]
        else:
            foreign = [w for w in re.findall(r"[A-Za-z][A-Za-z']{2,}", text) if w not in NAMES and w not in data]
        if foreign:
            stray.append((path, sorted(set(foreign))[:8]))
    assert stray == [], "\n".join(map(str, stray))
