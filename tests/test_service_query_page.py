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
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()) and not shutil.which("chromium"):
        pytest.skip("Debian's chromium and chromium-driver are not installed (python3 dev.py test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


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
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys("SELECT * WHERE {")
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 20).until(expected_conditions.text_to_be_present_in_element((By.ID, "status"), "400"))
    assert "not valid SPARQL" in browser.find_element(By.CSS_SELECTOR, "#results pre.error").text


def test_an_ask_and_a_construct_query_show_their_answers(service, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    for query, selector, expected in (("ASK { ?s ?p ?o }", "#results p.boolean", "true"),
                                      ("CONSTRUCT WHERE { <https://w3id.org/her2graph/resource/lapatinib> ?p ?o }",
                                       "#results pre.graph", "lapatinib")):
        browser.get(service.url + "/?" + requests.compat.urlencode({"query": query}))
        browser.find_element(By.ID, "run").click()
        WebDriverWait(browser, 20).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, selector)))
        assert expected in browser.find_element(By.CSS_SELECTOR, selector).text


def test_a_linked_data_page_draws_the_neighbourhood_offline_under_the_content_policy(service, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(service.url + "/resource/trastuzumab-emtansine")
    view = browser.find_element(By.ID, "graph-view")
    WebDriverWait(browser, 20).until(lambda _: view.get_attribute("data-rendered"))
    elements = requests.get(service.url + view.get_attribute("data-elements")).json()
    assert int(view.get_attribute("data-rendered")) == sum(1 for element in elements if element["group"] == "nodes") > 2
    assert view.find_elements(By.TAG_NAME, "canvas")
