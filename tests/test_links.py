"""Every address the site links to answers, and odd addresses answer 404, never 500."""
import re
from urllib.parse import urljoin, urlsplit

import pytest

from web import create_app


@pytest.fixture(scope="module")
def client(built_data):
    return create_app({"DATA": str(built_data)}).test_client()


def test_every_link_from_home_to_depth_two_answers(client):
    seen, frontier, broken = {"/"}, ["/"], []
    for _depth in range(2):
        nxt = []
        for page in frontier:
            r = client.get(page)
            if r.status_code != 200:
                broken.append((page, r.status_code))
                continue
            if r.mimetype != "text/html":
                continue
            for href in re.findall(r'href="([^"#]+)', r.get_data(as_text=True)):
                href = href.replace("&amp;", "&")
                u = urlsplit(urljoin("http://localhost" + page, href))
                if u.netloc != "localhost" or u.path.startswith("/static/"):
                    continue
                path = u.path + ("?" + u.query if u.query else "")
                if path not in seen and "download=1" not in path:
                    seen.add(path)
                    nxt.append(path)
        frontier = nxt
    for page in frontier:
        code = client.get(page).status_code
        if code != 200:
            broken.append((page, code))
    assert len(seen) > 30 and broken == []
    assert not any("%25" in p.split("?")[0] for p in seen), "an IRI was percent-encoded twice"


@pytest.mark.parametrize("path", ["/department/%C2%80", "/document/a%C2%A0b", "/place/%E2%80%A8", "/regulation/a%00b",
                                  "/department/%EF%BF%BF", "/initiative/%E3%80%80", "/fact/%C2%85/1",
                                  "/document/%C2%80", "/metric/%E2%80%8B", "/collective/a%2Fb"])
def test_addresses_with_characters_iris_forbid_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_a_name_with_a_slash_has_a_page(tmp_path):
    from conftest import report
    from app.build import build
    (tmp_path / "r.txt").write_bytes(report("区政府推行“互联网+监管”和“红/黄/绿”码管理,区司法局开展工作。"))
    build([str(tmp_path / "r.txt")], tmp_path / "data")
    c = create_app({"DATA": str(tmp_path / "data")}).test_client()
    home = c.get("/document/r").get_data(as_text=True)
    links = set(re.findall(r'href="(/initiative/[^"#]+)"', home))
    assert any("%2B" in h for h in links)
    for h in links:
        assert c.get(h).status_code == 200, h
