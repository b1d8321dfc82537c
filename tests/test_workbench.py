"""The query workbench's server side: downloads people open in Excel, the view a query asks
for, sorting and paging that hold the whole result, gallery parameters that cannot inject."""
import csv
import io
import re
import urllib.parse

import pytest

from web import create_app
from web import workbench


@pytest.fixture(scope="module")
def client(built_data):
    return create_app({"DATA": str(built_data), "TESTING": True}).test_client()


def test_csv_download_has_a_byte_order_mark_and_a_file_name(client):
    q = urllib.parse.quote("SELECT ?l WHERE { ?d a zw:Department ; skos:prefLabel ?l } ORDER BY ?l")
    r = client.get(f"/sparql?query={q}&format=csv&download=1")
    assert r.data.startswith(b"\xef\xbb\xbf") and "results.csv" in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0] == ["l"] and any("司法局" in row[0] for row in rows[1:])
    plain = client.get(f"/sparql?query={q}&format=csv")
    assert not plain.data.startswith(b"\xef\xbb\xbf"), "the protocol's CSV stays as the standard has it"
    for fmt in ("tsv", "json"):
        r = client.get(f"/sparql?query={q}&format={fmt}&download=1")
        assert f"results.{fmt}" in r.headers["Content-Disposition"] and "司法局" in r.get_data(as_text=True)


def test_the_view_comes_from_the_url_else_the_query_comment():
    assert workbench.view_of("#defaultView:BarChart\nSELECT ...", None) == "bar"
    assert workbench.view_of("# defaultView:Timeline\nSELECT ...", None) == "line"
    assert workbench.view_of("#defaultView:BarChart\nSELECT ...", "table") == "table"
    assert workbench.view_of("SELECT ...", "nonsense") == "table"


def test_sorting_is_numeric_for_numbers_and_covers_every_page(client):
    q = "SELECT ?s (COUNT(?p) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s"
    url = "/query?run=1&lang=en&query=" + urllib.parse.quote(q)
    first = client.get(url + "&sort=n&order=desc").get_data(as_text=True)
    last_page = re.search(r"page \d+/(\d+)", first).group(1)
    last = client.get(url + f"&sort=n&order=desc&page={last_page}").get_data(as_text=True)

    def counts(html):
        return [int(x) for x in re.findall(r"<td>(\d+)</td></tr>", html)]
    assert counts(first) == sorted(counts(first), reverse=True)
    assert min(counts(first)) >= max(counts(last))  # the sort is over the whole result, not a page
    assert int(last_page) > 1


def test_a_gallery_parameter_is_bound_only_to_an_iri():
    q = "SELECT ?x WHERE { ?x a zw:Department }"
    bound = workbench.bind(q, {"x": "http://127.0.0.1:5000/department/德阳市罗江区司法局"})
    assert "VALUES ?x { <http://127.0.0.1:5000/department/德阳市罗江区司法局> }" in bound
    for hostile in ("http://a> } ; DROP ALL ; #", "javascript:alert(1)", "x } SERVICE <http://evil/> {"):
        assert workbench.bind(q, {"x": hostile}) == q


def test_a_parameterised_example_lists_its_choices_and_narrows_the_answer(client):
    page = client.get("/query?example=x05-what-did-a-department-do&run=1&lang=en").get_data(as_text=True)
    options = re.findall(r'<option value="(http[^"]+)"', page)
    assert options and all("/department/" in o for o in options)
    every = int(re.search(r"(\d+) rows", page).group(1))
    dept = next(o for o in options if o.endswith("发展和改革局"))
    one = client.get("/query?example=x05-what-did-a-department-do&run=1&lang=en&p_department="
                     + urllib.parse.quote(dept)).get_data(as_text=True)
    n = int(re.search(r"(\d+) rows", one).group(1))
    assert 0 < n < every
    assert "德阳市罗江区发展和改革局" in one


def test_a_syntax_error_is_placed_at_its_line_for_the_editor(client):
    q = "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?x = ) }"
    page = client.get("/query?run=1&query=" + urllib.parse.quote(q)).get_data(as_text=True)
    assert 'data-error-line="3"' in page


def test_editor_completions_hold_our_prefixes_and_ontology_terms():
    labels = {t["label"] for t in workbench.terms()}
    assert {"zw:", "prov:", "zw:Department", "zw:Fact", "prov:wasAssociatedWith", "zw:likelyExecutor"} <= labels


def test_a_line_chart_with_an_unbound_label_still_draws():
    integer = "http://www.w3.org/2001/XMLSchema#integer"
    rows = [[{"type": "literal", "value": "b"}, {"type": "literal", "value": "2", "datatype": integer}],
            [None, {"type": "literal", "value": "1", "datatype": integer}]]
    c = workbench.chart(["x", "n"], rows, {}, "line")
    assert c["labels"] == ["", "b"] and c["series"][0]["values"] == [1.0, 2.0]
