"""End to end in a real browser: Playwright driving Debian's chromium (headless, no sandbox,
background networking off) searches 万安, opens the town's page, follows a fact to its sentence
in the report, and runs an example SPARQL query from the gallery."""
import os
import shutil
import sys

import pytest

from conftest import free_port, start_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def site(built_data):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required in CI (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server([sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--data", str(built_data)],
                        url + "/openapi.json")
    yield url
    proc.terminate()
    proc.wait(10)


def test_search_town_fact_sentence_and_sparql(site, tmp_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        page.goto(site + "/?lang=zh")
        page.fill("header input[type=search]", "万安")
        page.press("header input[type=search]", "Enter")
        page.wait_for_url("**/search?q=*")
        page.click("a[href^='/place/']:has-text('万安镇')")
        page.wait_for_url("**/place/**")
        assert "万安镇" in page.inner_text("h1")
        assert "Wan'an Town" in page.content()
        # follow a fact to its sentence in the report
        fact = page.locator(".fact").first
        sentence = fact.locator("div").first.inner_text()
        fact.locator("a[href*='/document/']").first.click()
        page.wait_for_url("**/document/**#c*")
        anchor = page.url.split("#", 1)[1]
        assert page.locator(f"#{anchor}").count() == 1
        reader = page.inner_text(".reader")
        assert sentence[:12] in reader
        # an example SPARQL query from the gallery
        page.goto(site + "/query")
        page.click("text=万安镇发生了什么")
        page.wait_for_selector("#results table")
        assert "金雁社区" in page.inner_text("#results")
        page.screenshot(path=str(tmp_path / "query.png"))
        browser.close()


def test_home_to_the_justice_bureau_to_a_likely_fact_in_the_report(site, tmp_path):
    """Issue 15's walk: home → departments → 区司法局 → a likely fact → the report, where the
    clause is highlighted and in view."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(site + "/?lang=zh")
        page.click("a[href='/departments']")
        page.wait_for_url("**/departments")
        page.click("a:has-text('德阳市罗江区司法局')")
        page.wait_for_url("**/department/**")
        likely = page.locator(".fact:has-text('新收7件行政复议案件')").last
        assert "司法局职能: 行政复议" in likely.inner_text()
        likely.locator("a[href*='/document/']").first.click()
        page.wait_for_url("**/document/**#c*")
        anchor = page.url.split("#", 1)[1]
        clause = page.locator(f"#{anchor}")
        assert "新收7件行政复议案件" in clause.inner_text()
        assert clause.evaluate("e => e.matches(':target') && getComputedStyle(e).backgroundColor !== 'rgba(0, 0, 0, 0)'")
        assert clause.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
        page.screenshot(path=str(tmp_path / "clause.png"))
        browser.close()


def test_query_workbench_gallery_edit_ctrl_enter_page_chart_permalink(site, tmp_path):
    """The workbench as an analyst uses it: a gallery query, edited in the editor, run with
    Ctrl+Enter, page 2 of its table, the chart, and a permalink that brings back query and view."""
    from playwright.sync_api import sync_playwright
    query = "SELECT ?s (COUNT(?p) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context()
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site + "/query?lang=en")
        page.click("text=How many regulations at each level?")
        page.wait_for_selector("#chart")  # the example asks for a bar chart (#defaultView:BarChart)
        editor = page.locator(".cm-editor .cm-content")
        assert "zw:Regulation" in editor.inner_text()
        assert page.locator(".cm-editor .cm-line span").count() > 3, "the query is highlighted"
        # edit: a query with more rows than one page holds
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.type(query)
        page.keyboard.press("Control+Enter")
        page.wait_for_url("**run=1**")
        page.wait_for_selector("#results")
        assert page.locator(".cm-editor .cm-content").inner_text().strip() == query
        page.click("nav.views >> text=Table")
        page.wait_for_selector("table.results")
        assert page.locator("table.results tr").count() == 101  # the header and a page of 100
        page.click(".pager a[rel=next]")
        page.wait_for_url("**page=2**")
        assert "101–200" in page.inner_text(".pager")
        page.click("nav.views >> text=Bar chart")
        page.wait_for_selector("#chart")
        assert page.evaluate("document.getElementById('chart').width") > 100
        permalink = page.get_attribute("#permalink", "href")
        page.screenshot(path=str(tmp_path / "workbench.png"))
        # the permalink, opened afresh, brings back the same query and view
        other = context.new_page()  # the same reader (language), a fresh page
        other.goto(site + permalink)
        other.wait_for_selector("#chart")
        assert other.locator(".cm-editor .cm-content").inner_text().strip() == query
        assert other.locator("nav.views strong").inner_text() == page.locator("nav.views strong").inner_text()
        assert errors == []
        browser.close()
