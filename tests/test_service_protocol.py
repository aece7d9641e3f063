"""The W3C SPARQL 1.1 Protocol against the real server: one test per case of the W3C protocol test suite
(w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl), named after it, on our own data, and one per rule.

The suite's update cases expect an update service; this one is read-only, so each is refused with 403 and
the data is shown unchanged.
"""
from __future__ import annotations

import json

import pytest
import requests
from rdflib import Graph, URIRef

from her2graph.dataset import named_graph_specs

G = "https://w3id.org/her2graph/graph/"
FACTS, ONTOLOGY, PROVENANCE = G + "facts", G + "ontology", G + "provenance"
PREFIXES = ("PREFIX h2g: <https://w3id.org/her2graph/ontology/> PREFIX h2r: <https://w3id.org/her2graph/resource/> "
            "PREFIX owl: <http://www.w3.org/2002/07/owl#> ")
IN_FACTS = "h2r:lapatinib a h2g:Drug"                      # only in the facts graph
IN_ONTOLOGY = "h2g:Drug a owl:Class"                       # only in the ontology graph
IN_PROVENANCE = "h2r:her2-resistance-review a h2g:SourceDocument"   # only in the provenance graph
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}
UPDATE = {"Content-Type": "application/sparql-update"}
ASK_EVERYTHING = f"{PREFIXES} ASK {{ {IN_FACTS} . {IN_ONTOLOGY} . {IN_PROVENANCE} }}"


def boolean(response) -> bool:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    return response.json()["boolean"]


def assert_data_unchanged(endpoint):
    assert boolean(requests.get(endpoint, params={"query": ASK_EVERYTHING}))


# ---------------------------------------------------------------- the W3C cases, one test each

def test_query_post_form(endpoint):
    response = requests.post(endpoint, params={"default-graph-uri": FACTS}, data="query=ASK%20%7B%7D", headers=FORM)
    assert boolean(response) is True


def test_query_dataset_default_graphs_get(endpoint):
    query = f"{PREFIXES} ASK {{ {IN_FACTS} . {IN_ONTOLOGY} }}"
    assert boolean(requests.get(endpoint, params={"query": query, "default-graph-uri": [FACTS, ONTOLOGY]}))
    assert not boolean(requests.get(endpoint, params={"query": query, "default-graph-uri": [FACTS]}))


def test_query_dataset_default_graphs_post(endpoint):
    query = f"{PREFIXES} ASK {{ {IN_FACTS} . {IN_ONTOLOGY} }}"
    response = requests.post(endpoint, params={"default-graph-uri": [FACTS, ONTOLOGY]}, data=query, headers=DIRECT)
    assert boolean(response)


def test_query_dataset_named_graphs_post(endpoint):
    query = f"{PREFIXES} ASK {{ GRAPH ?g1 {{ {IN_FACTS} }} GRAPH ?g2 {{ {IN_ONTOLOGY} }} }}"
    response = requests.post(endpoint, params={"named-graph-uri": [FACTS, ONTOLOGY]}, data=query, headers=DIRECT)
    assert boolean(response)
    only_facts = requests.post(endpoint, params={"named-graph-uri": [FACTS]}, data=query, headers=DIRECT)
    assert not boolean(only_facts)


def test_query_dataset_named_graphs_get(endpoint):
    query = f"{PREFIXES} ASK {{ GRAPH ?g1 {{ {IN_FACTS} }} GRAPH ?g2 {{ {IN_ONTOLOGY} }} }}"
    assert boolean(requests.get(endpoint, params={"query": query, "named-graph-uri": [FACTS, ONTOLOGY]}))
    # named graphs alone: the protocol's dataset then has an empty default graph
    assert not boolean(requests.get(endpoint, params={"query": "ASK { ?s ?p ?o }", "named-graph-uri": FACTS}))


def test_query_dataset_full(endpoint):
    query = f"{PREFIXES} ASK {{ {IN_PROVENANCE} GRAPH ?g1 {{ {IN_FACTS} }} GRAPH ?g2 {{ {IN_ONTOLOGY} }} }}"
    response = requests.post(endpoint, params={"default-graph-uri": PROVENANCE, "named-graph-uri": [FACTS, ONTOLOGY]},
                             data=query, headers=DIRECT)
    assert boolean(response)


def test_query_multiple_dataset(endpoint):
    """The protocol's dataset wins over the query's FROM / FROM NAMED."""
    query = (f"{PREFIXES} ASK FROM <{PROVENANCE}> {{ GRAPH ?g1 {{ {IN_FACTS} }} GRAPH ?g2 {{ {IN_ONTOLOGY} }} }}")
    response = requests.post(endpoint, params={"named-graph-uri": [FACTS, ONTOLOGY]}, data=query, headers=DIRECT)
    assert boolean(response)
    overridden = requests.get(endpoint, params={"query": f"{PREFIXES} ASK FROM <{FACTS}> {{ {IN_FACTS} }}",
                                                "default-graph-uri": ONTOLOGY})
    assert not boolean(overridden)


def test_query_get(endpoint):
    assert boolean(requests.get(endpoint, params={"query": "ASK {}", "default-graph-uri": FACTS})) is True


def test_query_post_direct(endpoint):
    assert boolean(requests.post(endpoint, data="ASK {}", headers=DIRECT)) is True


TABULAR = {"application/sparql-results+xml", "application/sparql-results+json", "text/tab-separated-values",
           "text/csv"}
BOOLEAN = {"application/sparql-results+xml", "application/sparql-results+json"}
RDF = {"application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"}


def _media_type(response) -> str:
    assert response.status_code == 200, response.text
    return response.headers["Content-Type"].split(";")[0]


def test_query_content_type_select(endpoint):
    response = requests.post(endpoint, data="SELECT (1 AS ?value) {}", headers=DIRECT)
    assert _media_type(response) in TABULAR
    assert response.json()["results"]["bindings"][0]["value"]["value"] == "1"


def test_query_content_type_ask(endpoint):
    assert _media_type(requests.post(endpoint, data="ASK {}", headers=DIRECT)) in BOOLEAN


def test_query_content_type_describe(endpoint):
    response = requests.post(endpoint, data="DESCRIBE <https://w3id.org/her2graph/resource/lapatinib>",
                             headers=DIRECT)
    assert _media_type(response) in RDF
    assert len(Graph().parse(data=response.text, format="turtle")) > 0


def test_query_content_type_construct(endpoint):
    response = requests.post(endpoint, data="CONSTRUCT { <s> <p> 1 } WHERE {}", headers=DIRECT)
    assert _media_type(response) in RDF
    assert len(Graph().parse(data=response.text, format="turtle")) == 1


def test_bad_query_method(endpoint):
    for method in ("PUT", "DELETE", "PATCH"):
        response = requests.request(method, endpoint, params={"query": "ASK {}"}, headers=FORM)
        assert response.status_code == 405
        assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_bad_multiple_queries(endpoint):
    response = requests.get(endpoint, params={"query": ["ASK {}", "SELECT * {}"]})
    assert response.status_code == 400 and "exactly one query" in response.text


def test_bad_query_wrong_media_type(endpoint):
    response = requests.post(endpoint, data="ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415 and "application/sparql-query" in response.text


def test_bad_query_missing_form_type(endpoint):
    response = requests.post(endpoint, data=b"query=ASK%20%7B%7D", headers={"Content-Type": ""})
    assert response.status_code == 415 and "no Content-Type" in response.text


def test_bad_query_missing_direct_type(endpoint):
    response = requests.post(endpoint, data=b"ASK {}", headers={"Content-Type": ""})
    assert response.status_code == 415


def test_bad_query_non_utf8(endpoint):
    body = "ASK {}".encode("utf-16")
    response = requests.post(endpoint, data=body, headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert response.status_code == 415 and "UTF-8" in response.text


def test_bad_query_syntax(endpoint):
    response = requests.get(endpoint, params={"query": "ASK {"})
    assert response.status_code == 400
    assert response.text.startswith("The query is not valid SPARQL: error at 1:6")


def test_bad_update_get(endpoint):
    response = requests.get(endpoint, params={"update": "CLEAR ALL"})
    assert response.status_code == 403 and "read-only" in response.text
    assert_data_unchanged(endpoint)


def test_bad_multiple_updates(endpoint):
    response = requests.post(endpoint, data="update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", headers=FORM)
    assert response.status_code == 403
    assert_data_unchanged(endpoint)


def test_bad_update_wrong_media_type(endpoint):
    response = requests.post(endpoint, data="CLEAR NAMED", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert_data_unchanged(endpoint)


def test_bad_update_missing_form_type(endpoint):
    response = requests.post(endpoint, data=b"update=CLEAR%20NAMED", headers={"Content-Type": ""})
    assert response.status_code == 415
    assert_data_unchanged(endpoint)


def test_bad_update_non_utf8(endpoint):
    response = requests.post(endpoint, data="CLEAR NAMED".encode("utf-16"),
                             headers={"Content-Type": "application/sparql-update; charset=UTF-16"})
    assert 400 <= response.status_code < 500
    assert_data_unchanged(endpoint)


def test_bad_update_syntax(endpoint):
    response = requests.post(endpoint, data="update=CLEAR%20XYZ", headers=FORM)
    assert 400 <= response.status_code < 500
    assert_data_unchanged(endpoint)


def test_bad_update_dataset_conflict(endpoint):
    update = ("PREFIX foaf: <http://xmlns.com/foaf/0.1/> WITH <http://example/addresses> "
              "DELETE { ?person foaf:givenName 'Bill' } INSERT { ?person foaf:givenName 'William' } "
              "WHERE { ?person foaf:givenName 'Bill' }")
    response = requests.post(endpoint, params={"using-named-graph-uri": "http://example/people"}, data=update,
                             headers=UPDATE)
    assert 400 <= response.status_code < 500
    assert_data_unchanged(endpoint)


@pytest.mark.parametrize("case, body, headers, params", [
    ("update_dataset_default_graph", "CLEAR ALL ; INSERT DATA { <http://e/s> <http://e/p> 1 }", UPDATE,
     {"using-graph-uri": FACTS}),
    ("update_dataset_default_graphs", "CLEAR ALL", UPDATE, {"using-graph-uri": [FACTS, ONTOLOGY]}),
    ("update_dataset_named_graphs", "CLEAR ALL", UPDATE, {"using-named-graph-uri": [FACTS, ONTOLOGY]}),
    ("update_dataset_full", "CLEAR ALL", UPDATE, {"using-graph-uri": FACTS, "using-named-graph-uri": ONTOLOGY}),
    ("update_post_form", "update=CLEAR+ALL", FORM, {}),
    ("update_post_direct", "CLEAR ALL", UPDATE, {}),
    ("update_base_uri", "CLEAR GRAPH <http://example.org/protocol-base-test/> ; INSERT DATA { GRAPH "
                        "<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> "
                        "<test> } }", UPDATE, {}),
])
def test_update_cases_are_refused_by_a_read_only_service(endpoint, case, body, headers, params):
    response = requests.post(endpoint, params=params, data=body, headers=headers)
    assert response.status_code == 403, case
    assert "read-only" in response.text
    assert_data_unchanged(endpoint)


# ---------------------------------------------------------------- further rules of the protocol

def test_a_query_in_the_url_and_as_the_body_is_two_queries(endpoint):
    response = requests.post(endpoint, params={"query": "ASK {}"}, data="ASK {}", headers=DIRECT)
    assert response.status_code == 400


def test_a_query_in_the_url_and_in_the_form_is_two_queries(endpoint):
    response = requests.post(endpoint, params={"query": "ASK {}"}, data={"query": "ASK {}"})
    assert response.status_code == 400 and "has 2" in response.text


def test_a_post_without_query_is_400(endpoint):
    response = requests.post(endpoint, data={"default-graph-uri": FACTS})
    assert response.status_code == 400 and "has none" in response.text


def test_a_graph_iri_parameter_must_be_an_absolute_iri(endpoint):
    response = requests.get(endpoint, params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400 and "absolute IRI" in response.text


def test_form_parameters_must_be_utf8_once_percent_decoded(endpoint):
    response = requests.post(endpoint, data="query=ASK%20%7B%7D%FF", headers=FORM)
    assert response.status_code == 400 and "UTF-8" in response.text


def test_url_parameters_must_be_utf8_once_percent_decoded(endpoint):
    response = requests.get(endpoint + "?query=ASK%20%7B%7D%C3%28")
    assert response.status_code == 400 and "UTF-8" in response.text


def test_a_compressed_body_is_415(endpoint):
    response = requests.post(endpoint, data=b"\x1f\x8b\x08\x00", headers={**DIRECT, "Content-Encoding": "gzip"})
    assert response.status_code == 415


def test_head_answers_like_get_without_a_body(endpoint):
    response = requests.head(endpoint, params={"query": "ASK {}"})
    assert response.status_code == 200 and response.content == b""
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")


def test_relative_iris_in_a_query_resolve_against_the_endpoint(endpoint):
    response = requests.post(endpoint, data="SELECT ?x { BIND(<relative> AS ?x) }", headers=DIRECT)
    assert response.json()["results"]["bindings"][0]["x"]["value"] == endpoint.rsplit("/", 1)[0] + "/relative"


def test_the_named_graphs_are_visible_as_such(endpoint):
    response = requests.get(endpoint, params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"})
    graphs = [row["g"]["value"] for row in response.json()["results"]["bindings"]]
    assert graphs == sorted(str(spec.iri) for spec in named_graph_specs())
    assert {FACTS, ONTOLOGY, PROVENANCE} <= set(graphs)


def test_from_and_graph_select_named_graphs(endpoint):
    query = f"{PREFIXES} ASK FROM <{FACTS}> {{ {IN_FACTS} }}"
    assert boolean(requests.get(endpoint, params={"query": query}))
    query = f"{PREFIXES} ASK FROM <{ONTOLOGY}> {{ {IN_FACTS} }}"
    assert not boolean(requests.get(endpoint, params={"query": query}))
    query = f"{PREFIXES} ASK {{ GRAPH <{ONTOLOGY}> {{ {IN_ONTOLOGY} }} }}"
    assert boolean(requests.get(endpoint, params={"query": query}))


def test_the_default_graph_is_the_merge_of_the_named_graphs(endpoint, dataset):
    response = requests.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    merged = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == len(merged)


def test_get_without_parameters_is_the_service_description(endpoint):
    response = requests.get(endpoint)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    description = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef(endpoint), URIRef(sd + "endpoint"), URIRef(endpoint)) in description
    assert (URIRef(endpoint), URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in description
    names = set(description.objects(None, URIRef(sd + "name")))
    assert names == {spec.iri for spec in named_graph_specs()}
    formats = {str(o).rsplit("/", 1)[1] for o in description.objects(URIRef(endpoint), URIRef(sd + "resultFormat"))}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "JSON-LD"} <= formats


def test_the_service_description_is_negotiated(endpoint):
    response = requests.get(endpoint, headers={"Accept": "application/ld+json"})
    assert response.headers["Content-Type"].startswith("application/ld+json")
    assert len(Graph().parse(data=response.text, format="json-ld")) > 10


def test_a_browser_asking_the_endpoint_for_html_gets_the_service_description_as_a_page(endpoint):
    response = requests.get(endpoint, headers={"Accept": "text/html"}, allow_redirects=False)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert 'href="/"' in response.text and "Service Description" in response.text


def test_unknown_parameters_are_ignored(endpoint):
    response = requests.get(endpoint, params={"query": "ASK {}", "callback": "f", "timeout": "9"})
    assert boolean(response)


def test_a_select_answer_is_sparql_json(endpoint):
    query = f"{PREFIXES} SELECT ?label WHERE {{ h2r:lapatinib <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
    data = json.loads(requests.get(endpoint, params={"query": query}).text)
    assert data["head"]["vars"] == ["label"]
    assert data["results"]["bindings"] == [{"label": {"type": "literal", "value": "lapatinib", "xml:lang": "en"}}]
