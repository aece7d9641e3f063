"""The service's pages for people, besides the query page and the Linked Data pages: its error pages (HTML for a
browser, plain text for programs), the search over labels, and VoID and the Service Description as HTML."""
from __future__ import annotations

import re

import pytest
import requests
from rdflib import Graph

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"}


@pytest.mark.parametrize("path", ["/resource/lapatinib-x", "/no/such/page", "/ontology/NoSuchClass",
                                  "/docs/nothing"])
def test_a_browser_gets_a_readable_404_page_with_a_search_box(service, path):
    response = requests.get(service.url + path, headers=BROWSER)
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/html")
    assert "<h1>404 Not Found</h1>" in response.text
    assert re.search(r'<form class="search" method="get" action="/search"', response.text)
    assert "requested URL was not found on the server" not in response.text  # werkzeug's generic words
    assert "Content-Security-Policy" in response.headers


def test_the_404_page_names_what_the_missing_path_is_like(service):
    html = requests.get(service.url + "/resource/lapatinib-x", headers=BROWSER).text
    assert 'href="/resource/lapatinib"' in html and "lapatinib-x" in html


@pytest.mark.parametrize("accept", [None, "*/*", "text/plain", "text/turtle",
                                    "text/plain, text/html;q=0.5"])
def test_programs_get_a_404_in_one_line_of_plain_text(service, accept):
    headers = {"Accept": accept} if accept else {}
    response = requests.get(service.url + "/resource/lapatinib-x", headers=headers)
    assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/plain")
    assert response.text.count("\n") == 1 and "resource/lapatinib-x" in response.text


def test_other_errors_are_pages_for_a_browser_too(service):
    response = requests.get(service.url + "/sparql", params={"query": "SELECT * WHERE {"}, headers=BROWSER)
    assert response.status_code == 400 and response.headers["Content-Type"].startswith("text/html")
    assert "<h1>400 Bad Request</h1>" in response.text and "not valid SPARQL" in response.text


def test_search_finds_things_by_label_and_links_to_their_pages(service):
    html = requests.get(service.url + "/search", params={"q": "TRASTUZUMAB emtansine"}, headers=BROWSER).text
    assert 'href="/resource/trastuzumab-emtansine"' in html
    nothing = requests.get(service.url + "/search", params={"q": '") } } SELECT * {'}).text
    assert "Nothing here is named" in nothing


def test_every_page_offers_the_search_box_and_an_icon(service):
    html = requests.get(service.url + "/resource/lapatinib", headers=BROWSER).text
    assert 'action="/search"' in html
    for path in ("/favicon.ico", re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)):
        assert requests.get(service.url + path).status_code == 200


def test_void_is_a_page_for_a_browser_with_the_same_figures(service):
    turtle = requests.get(service.url + "/void", headers={"Accept": "text/turtle"}).text
    triples = next(int(o) for s, p, o in Graph().parse(data=turtle, format="turtle")
                   if str(p).endswith("#triples") and str(s).endswith("#her2graph"))
    response = requests.get(service.url + "/void", headers=BROWSER)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert f'<dd class="number">{triples:,}</dd>' in response.text
    assert 'id="subsets"' in response.text and 'href="/graph/facts"' in response.text
    assert 'href="/ontology/Drug"' in response.text


def test_the_service_description_is_a_page_for_a_browser(service):
    response = requests.get(service.url + "/sparql", headers=BROWSER)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert 'href="/graph/facts"' in response.text and 'href="/void"' in response.text


def test_numbers_on_a_resource_page_read_as_numbers_with_their_type_on_hover(service):
    html = requests.get(service.url + "/resource/emilia-pfs-hazard-ratio", headers=BROWSER).text
    assert "xsd:decimal</span>" not in html
    assert re.search(r'<span class="literal number" title="xsd:decimal">0\.65</span>', html)
