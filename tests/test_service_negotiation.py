"""Content negotiation against the real server: one test per Accept rule and corner case, named as the rule."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree

import pytest
import requests
from rdflib import Graph

SELECT = "SELECT ?s ?label { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s LIMIT 5"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT WHERE { <https://w3id.org/her2graph/resource/lapatinib> ?p ?o }"
DESCRIBE = "DESCRIBE <https://w3id.org/her2graph/resource/lapatinib>"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def ask(endpoint, query, accept=None):
    headers = {} if accept is None else {"Accept": accept}
    return requests.get(endpoint, params={"query": query}, headers=headers)


def media_type(response) -> str:
    assert response.status_code == 200, response.text
    return response.headers["Content-Type"].split(";")[0]


def test_no_accept_header_gives_sparql_json_for_select_and_ask(endpoint):
    assert media_type(ask(endpoint, SELECT)) == "application/sparql-results+json"
    assert media_type(ask(endpoint, ASK)) == "application/sparql-results+json"


def test_no_accept_header_gives_turtle_for_construct_and_describe(endpoint):
    assert media_type(ask(endpoint, CONSTRUCT)) == "text/turtle"
    assert media_type(ask(endpoint, DESCRIBE)) == "text/turtle"


def test_an_empty_accept_header_gives_the_default(endpoint):
    assert media_type(ask(endpoint, SELECT, "")) == "application/sparql-results+json"


def test_any_type_gives_the_default(endpoint):
    assert media_type(ask(endpoint, SELECT, "*/*")) == "application/sparql-results+json"
    assert media_type(ask(endpoint, CONSTRUCT, "*/*")) == "text/turtle"


def test_a_browser_accept_header_is_weighed_like_any_other(endpoint):
    """Browsers rank application/xml (q=0.9) above */* (q=0.8): they get SPARQL XML results, and Turtle for graphs."""
    assert media_type(ask(endpoint, SELECT, BROWSER)) == "application/sparql-results+xml"
    assert media_type(ask(endpoint, CONSTRUCT, BROWSER)) == "application/rdf+xml"


@pytest.mark.parametrize("accept, read", [
    ("application/sparql-results+json", lambda text: len(json.loads(text)["results"]["bindings"])),
    ("application/sparql-results+xml",
     lambda text: len(ElementTree.fromstring(text).findall(".//{http://www.w3.org/2005/sparql-results#}result"))),
    ("text/csv", lambda text: len(list(csv.reader(io.StringIO(text)))) - 1),
    ("text/tab-separated-values", lambda text: len(text.splitlines()) - 1),
])
def test_each_results_media_type_gives_the_same_five_rows(endpoint, accept, read):
    response = ask(endpoint, SELECT, accept)
    assert media_type(response) == accept and read(response.text) == 5
    assert "charset=utf-8" in response.headers["Content-Type"]


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_each_boolean_media_type(endpoint, accept):
    response = ask(endpoint, ASK, accept)
    assert media_type(response) == accept and "true" in response.text


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld")])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_each_rdf_media_type_gives_the_same_graph(endpoint, query, accept, rdflib_format):
    response = ask(endpoint, query, accept)
    assert media_type(response) == accept
    graph = Graph().parse(data=response.text, format=rdflib_format)
    reference = Graph().parse(data=ask(endpoint, query, "application/n-triples").text, format="nt")
    assert len(graph) == len(reference) > 3


@pytest.mark.parametrize("accept, expected", [
    ("application/json", "application/sparql-results+json"),
    ("application/xml", "application/sparql-results+xml"),
    ("text/xml", "application/sparql-results+xml"),
])
def test_generic_aliases_get_the_sparql_results_format(endpoint, accept, expected):
    assert media_type(ask(endpoint, SELECT, accept)) == expected


@pytest.mark.parametrize("accept, expected", [
    ("application/json", "application/ld+json"), ("application/x-turtle", "text/turtle"),
    ("text/plain", "application/n-triples")])
def test_generic_aliases_get_an_rdf_format(endpoint, accept, expected):
    assert media_type(ask(endpoint, CONSTRUCT, accept)) == expected


def test_q_values_choose_between_types(endpoint):
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, application/sparql-results+xml;q=0.1"
    assert media_type(ask(endpoint, SELECT, accept)) == "text/csv"


def test_q_zero_excludes_a_type(endpoint):
    accept = "application/sparql-results+json;q=0, */*;q=0.1"
    assert media_type(ask(endpoint, SELECT, accept)) != "application/sparql-results+json"


def test_a_specific_type_wins_over_a_wildcard_of_the_same_quality(endpoint):
    assert media_type(ask(endpoint, SELECT, "*/*, text/tab-separated-values")) == "text/tab-separated-values"


def test_a_subtype_wildcard_picks_within_the_type(endpoint):
    assert media_type(ask(endpoint, SELECT, "text/*")) == "text/csv"
    assert media_type(ask(endpoint, CONSTRUCT, "text/*")) == "text/turtle"


def test_nothing_acceptable_is_406_naming_what_is_on_offer(endpoint):
    response = ask(endpoint, SELECT, "image/png")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    response = ask(endpoint, CONSTRUCT, "application/sparql-results+json")
    assert response.status_code == 406 and "text/turtle" in response.text


def test_an_unparseable_accept_header_counts_as_absent(endpoint):
    assert media_type(ask(endpoint, SELECT, "garbage;;q=x,,")) == "application/sparql-results+json"


def test_an_accept_header_naming_no_known_type_is_406(endpoint):
    assert ask(endpoint, SELECT, "garbage").status_code == 406


def test_negotiation_happens_before_evaluation(endpoint):
    """A query that would run past the time limit is refused at once when no answer format fits."""
    response = requests.get(endpoint, params={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"},
                            headers={"Accept": "image/png"}, timeout=1)
    assert response.status_code == 406


def test_answers_vary_by_accept(endpoint):
    assert "Accept" in ask(endpoint, SELECT).headers["Vary"]
