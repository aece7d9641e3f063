"""The query page, as people use it: in headless Chromium (Debian's chromium and chromedriver), offline."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

from her2graph.competency_queries import competency_queries

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


class Resources(HTMLParser):
    """Every URL the page loads by itself (scripts, style sheets, images, frames)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag in ("script", "img", "iframe") and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.urls.append(attributes["href"])


def test_the_page_offers_every_competency_question_as_an_example(service):
    response = requests.get(service.url + "/")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    for query in competency_queries():
        assert query.title.replace("'", "&#39;") in response.text


def test_the_page_loads_nothing_from_elsewhere(service):
    response = requests.get(service.url + "/")
    parser = Resources()
    parser.feed(response.text)
    assert parser.urls and all(url.startswith("/") and not url.startswith("//") for url in parser.urls)
    for url in parser.urls:
        assert requests.get(service.url + url).status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src" not in policy.replace("default-src", "")


def test_without_script_the_editor_is_a_form_posting_to_the_endpoint(service):
    html = requests.get(service.url + "/").text
    assert re.search(r'<form id="query-form" method="post" action="/sparql"', html)
    assert 'name="query"' in html


def test_a_query_in_the_address_fills_the_editor(service):
    html = requests.get(service.url + "/", params={"query": "ASK { <x:y> ?p ?o }"}).text
    assert "ASK { &lt;x:y&gt; ?p ?o }" in html


def test_editing_a_query_file_while_serving_leaves_the_page_as_it_started(tmp_path):
    """Issue 13, item 10: the examples are read once at start; a half-saved query file is not a 500."""
    from service_process import running_service

    from her2graph.locations import data_root

    root = tmp_path / "data"
    root.mkdir()
    for folder in ("ontology", "graph", "shapes", "mappings", "release", "docs"):
        (root / folder).symlink_to(data_root() / folder)
    shutil.copytree(data_root() / "queries", root / "queries")
    first = competency_queries()[0]
    with running_service(data=root, log_path=tmp_path / "serve.log") as running:
        (root / "queries" / f"{first.name}.rq").write_text("SELECT * WHERE {", encoding="utf-8")
        response = requests.get(running.url + "/")
    assert response.status_code == 200
    assert first.title.replace("'", "&#39;") in response.text


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()) and not shutil.which("chromium"):
        pytest.skip("Debian's chromium and chromium-driver are not installed (python3 dev.py test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--window-size=1280,1000"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait_for(browser, selector: str, seconds: float = 20):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, selector)))


def set_query(browser, text: str) -> None:
    """Put `text` in the editor, the cursor at its end (as a paste would)."""
    browser.execute_script("const cm = document.querySelector('.CodeMirror').CodeMirror;"
                           "cm.setValue(arguments[0]); cm.setCursor(cm.lineCount(), 0); cm.focus();", text)


def editor_text(browser) -> str:
    return browser.execute_script("return document.querySelector('.CodeMirror').CodeMirror.getValue()")


def test_picking_an_example_and_running_it_shows_a_table_with_links(service, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.ui import WebDriverWait

    examples = competency_queries()
    chosen = next(index for index, query in enumerate(examples) if query.name == "05-everything-about-lapatinib")
    browser.get(service.url + "/")
    Select(browser.find_element(By.ID, "example")).select_by_value(str(chosen))
    assert browser.find_element(By.ID, "query").get_property("value") == examples[chosen].text
    assert examples[chosen].description in browser.find_element(By.ID, "example-description").text
    browser.find_element(By.ID, "run").click()
    wait = WebDriverWait(browser, 20)
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#results table tbody tr")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#results table tbody tr")
    assert len(rows) > 1
    assert "rows in" in browser.find_element(By.ID, "status").text
    links = browser.find_elements(By.CSS_SELECTOR, "#results table a[href^='/resource/']")
    assert links
    target = links[0].get_attribute("href")
    links[0].click()
    wait.until(expected_conditions.url_to_be(target))
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "article.resource h1")))
    assert browser.find_element(By.CSS_SELECTOR, "p.iri code").text.startswith("https://w3id.org/her2graph/resource/")


def test_a_malformed_query_shows_the_parsers_message(service, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(service.url + "/")
    set_query(browser, "SELECT * WHERE {")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 20).until(expected_conditions.text_to_be_present_in_element((By.ID, "status"), "400"))
    assert "not valid SPARQL" in browser.find_element(By.CSS_SELECTOR, "#results pre.error").text


def test_a_permalink_fills_the_editor_and_runs_the_query(service, browser):
    """/?query= runs without a click: an ASK shows its answer, a CONSTRUCT its Turtle."""
    for query, selector, expected in (("ASK { ?s ?p ?o }", "#results p.boolean", "true"),
                                      ("CONSTRUCT WHERE { <https://w3id.org/her2graph/resource/lapatinib> ?p ?o }",
                                       "#results pre.graph", "lapatinib")):
        browser.get(service.url + "/?" + requests.compat.urlencode({"query": query}))
        assert expected in wait_for(browser, selector).text
        assert editor_text(browser) == query


def test_the_permalink_of_an_edited_query_reopens_and_reruns_it(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    query = "SELECT ?n WHERE { VALUES ?n { 41 42 } }"
    set_query(browser, query)
    link = browser.find_element(By.ID, "permalink").get_attribute("href")
    browser.get(link)
    wait_for(browser, "#results table tbody tr")
    assert editor_text(browser) == query
    assert [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#results tbody td")] == ["41", "42"]


def test_the_editor_highlights_sparql(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    set_query(browser, 'PREFIX h2g: <https://w3id.org/her2graph/ontology/>\nSELECT ?drug WHERE { ?drug a h2g:Drug } # all\n')
    keywords = {node.text for node in browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-keyword")}
    assert {"PREFIX", "SELECT", "WHERE"} <= keywords
    assert "?drug" in {node.text for node in browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-variable-2")}
    assert browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-comment")


def test_typing_a_prefix_offers_our_prefixes_and_terms_and_declares_the_one_chosen(service, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(service.url + "/")
    set_query(browser, "SELECT * WHERE { ?s a ")
    typing = browser.find_element(By.CSS_SELECTOR, ".CodeMirror textarea")
    typing.send_keys("h2")
    offered = [item.text for item in wait_for(browser, ".CodeMirror-hints").find_elements(By.TAG_NAME, "li")]
    assert offered == ["h2g:", "h2r:"]
    typing.send_keys(Keys.ENTER)
    typing.send_keys("Dru")
    offered = [item.text for item in wait_for(browser, ".CodeMirror-hints").find_elements(By.TAG_NAME, "li")]
    assert "h2g:Drug" in offered and "h2g:DrugClass" in offered
    assert editor_text(browser) == ("PREFIX h2g: <https://w3id.org/her2graph/ontology/>\n"
                                    "SELECT * WHERE { ?s a h2g:Dru")


def _run(browser, query: str, selector: str = "#results table tbody tr"):
    from selenium.webdriver.common.by import By

    browser.get(browser.current_url.split("/?")[0].rstrip("/") + "/")
    set_query(browser, query)
    browser.find_element(By.ID, "run").click()
    return wait_for(browser, selector)


def _column(browser) -> list[str]:
    from selenium.webdriver.common.by import By

    return [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#results tbody td:first-child")]


def test_numbers_show_as_numbers_sort_as_numbers_and_keep_their_type_on_hover(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    _run(browser, "SELECT ?x WHERE { VALUES ?x { 10 9 100 2.5 } }")
    assert _column(browser) == ["10", "9", "100", "2.5"]
    cell = browser.find_element(By.CSS_SELECTOR, "#results tbody td span.literal")
    assert cell.get_attribute("title") == "xsd:integer" and "xsd" not in browser.find_element(By.ID, "results").text
    header = browser.find_element(By.CSS_SELECTOR, "#results th button")
    header.click()
    assert _column(browser) == ["2.5", "9", "10", "100"]
    browser.find_element(By.CSS_SELECTOR, "#results th button").click()
    assert _column(browser) == ["100", "10", "9", "2.5"]
    assert browser.find_element(By.CSS_SELECTOR, "#results th").get_attribute("aria-sort") == "descending"


def test_the_table_filters_and_pages(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    _run(browser, "SELECT ?n WHERE { VALUES ?n { " + " ".join(f'"row {n:03}"' for n in range(120)) + " } }")
    position = browser.find_element(By.ID, "page-position")
    assert len(_column(browser)) == 50 and position.text == "rows 1–50 of 120"
    browser.find_element(By.ID, "next").click()
    assert _column(browser)[0] == "row 050" and position.text == "rows 51–100 of 120"
    browser.find_element(By.ID, "filter").send_keys("row 11")
    assert _column(browser) == [f"row {n}" for n in range(110, 120)]
    assert position.text.startswith("rows 1–10 of 10")


def _downloaded(folder: Path, name: str, seconds: float = 20) -> str:
    import time

    path = folder / name
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return path.read_text(encoding="utf-8")


def test_an_answer_downloads_as_csv_and_a_graph_as_turtle(service, browser, downloads):
    from rdflib import Graph
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/")
    _run(browser, "SELECT ?x WHERE { VALUES ?x { 1 2 3 } } ORDER BY ?x")
    offered = {link.get_attribute("data-format") for link in browser.find_elements(By.CSS_SELECTOR, "#downloads a")}
    assert offered == {"csv", "tsv", "json", "xml"}
    browser.find_element(By.CSS_SELECTOR, "#downloads a[data-format='csv']").click()
    assert _downloaded(downloads, "her2graph-answer.csv").splitlines() == ["x", "1", "2", "3"]
    _run(browser, "CONSTRUCT WHERE { <https://w3id.org/her2graph/resource/lapatinib> ?p ?o }", "#results pre.graph")
    browser.find_element(By.CSS_SELECTOR, "#downloads a[data-format='turtle']").click()
    assert len(Graph().parse(data=_downloaded(downloads, "her2graph-answer.ttl"), format="turtle")) > 5


def test_the_answer_can_be_shown_in_a_chosen_format(service, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    browser.get(service.url + "/")
    Select(browser.find_element(By.ID, "format")).select_by_value("csv")
    assert "format=csv" in browser.find_element(By.ID, "permalink").get_attribute("href")
    set_query(browser, "SELECT ?x WHERE { VALUES ?x { 7 } }")
    browser.find_element(By.ID, "run").click()
    assert wait_for(browser, "#results pre.text").text.splitlines() == ["x", "7"]


def test_the_example_description_follows_edits(service, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    examples = competency_queries()
    browser.get(service.url + "/")
    Select(browser.find_element(By.ID, "example")).select_by_value("1")
    described = browser.find_element(By.ID, "example-description")
    assert described.text == examples[1].description
    set_query(browser, examples[1].text + "LIMIT 1\n")
    assert examples[1].title in described.text and "edited" in described.text
    assert browser.find_element(By.ID, "example").get_attribute("value") == ""
    set_query(browser, examples[2].text)
    assert described.text == examples[2].description
    assert browser.find_element(By.ID, "example").get_attribute("value") == "2"


def test_the_pages_log_no_error_in_the_browser(service, browser):
    """No content-policy violation (Cytoscape.js's inline style was one), no failed load (the icon was one)."""
    browser.get_log("browser")
    for path in ("/", "/resource/trastuzumab-emtansine", "/void", "/sparql", "/search?q=her2"):
        browser.get(service.url + path)
        wait_for(browser, "footer")
        if path.startswith("/resource/"):
            wait_for(browser, "#graph-view[data-rendered]")
        errors = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert not errors, (path, errors)


def test_a_linked_data_page_draws_the_neighbourhood_offline_under_the_content_policy(service, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(service.url + "/resource/trastuzumab-emtansine")
    view = browser.find_element(By.ID, "graph-view")
    WebDriverWait(browser, 20).until(lambda _: view.get_attribute("data-rendered"))
    elements = requests.get(service.url + view.get_attribute("data-elements")).json()
    assert int(view.get_attribute("data-rendered")) == sum(1 for element in elements if element["group"] == "nodes"
                                                          and not element["data"].get("group")) > 2
    assert view.find_elements(By.TAG_NAME, "canvas")


_LABEL_BOXES = """const cy = document.getElementById('graph-view').cy;
return cy.nodes(':visible').map((node) => [node.id(), node.renderedBoundingBox({includeLabels: true,
  includeOverlays: false, includeEdges: false})]);"""


def _overlapping(boxes) -> list:
    return [(a, b) for index, (a, one) in enumerate(boxes) for b, other in boxes[index + 1:]
            if one["x1"] < other["x2"] - 1 and other["x1"] < one["x2"] - 1
            and one["y1"] < other["y2"] - 1 and other["y1"] < one["y2"] - 1]


def test_the_neighbourhood_is_readable_labels_apart_a_legend_and_similar_links_grouped(service, browser):
    from selenium.webdriver.common.by import By

    browser.get(service.url + "/resource/lapatinib")
    wait_for(browser, "#graph-view[data-rendered]")
    boxes = browser.execute_script(_LABEL_BOXES)
    assert len(boxes) > 8 and not _overlapping(boxes)
    legend = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#graph-legend li")]
    assert {"target", "therapy regimen", "neighbours linked the same way", "inferred link"} <= set(legend)
    groups = browser.execute_script("return document.getElementById('graph-view').cy.nodes('[?group]')"
                                    ".map((node) => [node.id(), node.data('label')])")
    group = next(group_id for group_id, label in groups if label == "4 × exact match")
    hidden = browser.execute_script(f"return document.getElementById('graph-view').cy"
                                    f".nodes(\"[grouped = '{group}']\").filter(':visible').length")
    assert hidden == 0
    browser.execute_script(f"document.getElementById('graph-view').cy.getElementById('{group}').emit('tap')")
    opened = browser.execute_script(_LABEL_BOXES)
    assert len(opened) == len(boxes) + 3 and not _overlapping(opened)



def test_from_the_sources_table_a_document_s_page_lists_its_statements_on_the_query_page(service, browser, graph):
    """The Sources table links each document's page, whose "list them" link runs the listing in the table
    (test_service_sources.py checks the counts and the listing over two sources, without a browser)."""
    from selenium.webdriver.common.by import By
    from rdflib.namespace import RDFS

    from her2graph.namespaces import H2R, OA, PROV

    review = H2R["her2-resistance-review"]
    statements = {statement for span in graph.subjects(OA.hasSource, review)
                  for statement in graph.subjects(PROV.wasDerivedFrom, span)}
    browser.get(service.url + "/")
    browser.find_element(By.CSS_SELECTOR, "#sources table").find_element(
        By.LINK_TEXT, str(graph.value(review, RDFS.label))).click()
    assert browser.find_element(By.ID, "statement-count").text == str(len(statements))
    browser.find_element(By.ID, "statements-of-this-source").click()
    wait_for(browser, "#results table tbody tr")
    assert browser.find_element(By.ID, "page-position").text.endswith(f" of {len(statements)}")
