"""`her2graph serve --store URL` in front of a real Oxigraph server on loopback, loaded with `her2graph push`.

The protocol and negotiation tests of the in-process service run here unchanged against the remote mode
(imported below: the shared subset), then the cases only a remote store has: it refuses a query, it is
not there, it is slow, it sends more rows than the cap.
"""
from __future__ import annotations

import re
import subprocess
import time

import pytest
import requests

from conftest import QUERY_TIMEOUT
from oxigraph_server import free_port, running_oxigraph
from service_process import SCRIPT, ServiceProcess, running_service
# The shared subset: the protocol rules and Accept cases, run here against the remote-store mode. Left out:
# the parser's own message for a syntax error (the store's words differ; see the 400 test below).
from test_service_negotiation import (  # noqa: F401
    test_a_browser_accept_header_is_weighed_like_any_other, test_a_specific_type_wins_over_a_wildcard_of_the_same_quality,
    test_a_subtype_wildcard_picks_within_the_type, test_an_accept_header_naming_no_known_type_is_406,
    test_an_empty_accept_header_gives_the_default, test_an_unparseable_accept_header_counts_as_absent,
    test_answers_vary_by_accept, test_any_type_gives_the_default, test_each_boolean_media_type,
    test_each_rdf_media_type_gives_the_same_graph, test_each_results_media_type_gives_the_same_five_rows,
    test_generic_aliases_get_an_rdf_format, test_generic_aliases_get_the_sparql_results_format,
    test_negotiation_happens_before_evaluation, test_no_accept_header_gives_sparql_json_for_select_and_ask,
    test_no_accept_header_gives_turtle_for_construct_and_describe, test_nothing_acceptable_is_406_naming_what_is_on_offer,
    test_q_values_choose_between_types, test_q_zero_excludes_a_type)
from test_service_protocol import (  # noqa: F401
    test_a_graph_iri_parameter_must_be_an_absolute_iri, test_a_post_without_query_is_400,
    test_a_query_in_the_url_and_as_the_body_is_two_queries, test_a_select_answer_is_sparql_json, test_bad_update_get, test_from_and_graph_select_named_graphs,
    test_get_without_parameters_is_the_service_description, test_head_answers_like_get_without_a_body,
    test_query_content_type_ask, test_query_content_type_construct, test_query_content_type_describe,
    test_query_content_type_select, test_query_dataset_default_graphs_get, test_query_dataset_default_graphs_post,
    test_query_dataset_full, test_query_dataset_named_graphs_get, test_query_dataset_named_graphs_post,
    test_query_get, test_query_multiple_dataset, test_query_post_direct, test_query_post_form,
    test_relative_iris_in_a_query_resolve_against_the_endpoint, test_the_default_graph_is_the_merge_of_the_named_graphs,
    test_the_named_graphs_are_visible_as_such, test_unknown_parameters_are_ignored,
    test_update_cases_are_refused_by_a_read_only_service)

DIRECT = {"Content-Type": "application/sparql-query"}
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
STORE_TIMEOUT_SECONDS = 20
"""The Oxigraph server's own time limit, so that a query we gave up on does not run on after the tests."""


@pytest.fixture(scope="module")
def oxigraph_store():
    """An in-memory Oxigraph server loaded by push: the named graphs, and their merge as default graph."""
    with running_oxigraph("--timeout-s", str(STORE_TIMEOUT_SECONDS)) as base:
        pushed = subprocess.run([str(SCRIPT), "push", f"{base}/store"], capture_output=True, text=True, timeout=300)
        assert pushed.returncode == 0, pushed.stderr
        yield base


@pytest.fixture(scope="module")
def service(oxigraph_store, tmp_path_factory):
    """`her2graph serve --store` in front of the Oxigraph server: the `endpoint` of the shared tests."""
    with running_service("--store", f"{oxigraph_store}/query", env={"HER2GRAPH_QUERY_TIMEOUT": str(QUERY_TIMEOUT)},
                         log_path=tmp_path_factory.mktemp("remote") / "serve.log") as running:
        yield running


@pytest.fixture(scope="module")
def endpoint(service):
    return service.url + "/sparql"


def test_the_competency_queries_give_the_same_answers_as_in_process(endpoint, in_process_endpoint):
    from her2graph.competency_queries import competency_queries
    from her2graph.locations import queries_dir

    for query in competency_queries(queries_dir()):
        accept = {"Accept": "application/sparql-results+json"}
        remote = requests.post(endpoint, data=query.text, headers=DIRECT | accept)
        local = requests.post(in_process_endpoint, data=query.text, headers=DIRECT | accept)
        assert remote.status_code == local.status_code == 200, (query.name, remote.text)
        assert _rows(remote.json()) == _rows(local.json()), query.name


def test_a_query_the_store_refuses_is_400_with_the_stores_message(endpoint):
    response = requests.post(endpoint, data="SELECT ?x WHERE { ?x ?y }", headers=DIRECT)
    assert response.status_code == 400
    assert response.text.startswith("The store refused the query:") and len(response.text) > 40


def test_service_is_refused_before_the_store_is_asked(endpoint, service):
    response = requests.post(endpoint, data="SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", headers=DIRECT)
    assert response.status_code == 403 and "SERVICE" in response.text


def test_the_row_cap_holds_for_the_stores_answers(oxigraph_store, tmp_path):
    running = ServiceProcess("--store", f"{oxigraph_store}/query", "--max-rows", "3", log_path=tmp_path / "serve.log")
    try:
        endpoint = running.url + "/sparql"
        rows = requests.post(endpoint, data="SELECT * { ?s ?p ?o } LIMIT 4", headers=DIRECT)
        assert rows.status_code == 422 and "more than 3 rows" in rows.text
        triples = requests.post(endpoint, data="CONSTRUCT WHERE { ?s ?p ?o } LIMIT 4", headers=DIRECT)
        assert triples.status_code == 422
        assert requests.post(endpoint, data="SELECT * { ?s ?p ?o } LIMIT 3", headers=DIRECT).status_code == 200
    finally:
        running.stop()


def test_a_slow_query_is_503_at_the_time_limit_and_the_service_goes_on(endpoint):
    started = time.monotonic()
    response = requests.post(endpoint, data=SLOW_QUERY, headers=DIRECT, timeout=60)
    assert response.status_code == 503 and f"longer than {QUERY_TIMEOUT} seconds" in response.text
    assert time.monotonic() - started < QUERY_TIMEOUT + 2
    assert requests.post(endpoint, data="ASK {}", headers=DIRECT).json()["boolean"] is True


def test_linked_data_pages_the_graph_view_and_the_query_page_work_through_the_store(service):
    page = requests.get(service.url + "/resource/lapatinib", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "lapatinib" in page.text
    turtle = requests.get(service.url + "/resource/lapatinib", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and "h2g:Drug" in turtle.text
    assert requests.get(service.url + "/resource/no-such-thing").status_code == 404
    assert requests.get(service.url + "/").status_code == 200
    assert requests.get(service.url + "/void").status_code == 200
    view = requests.get(service.url + "/neighbourhood", params={"iri": "https://w3id.org/her2graph/resource/lapatinib"})
    assert view.status_code == 200 and any(element["data"].get("label") == "lapatinib" for element in view.json())


def test_the_store_keeps_no_answers(endpoint):
    response = requests.post(endpoint, data="ASK { ?s ?p ?o } # kept-answers", headers=DIRECT)
    again = requests.post(endpoint, data="ASK { ?s ?p ?o } # kept-answers", headers=DIRECT)
    assert response.status_code == again.status_code == 200 and "X-Cache" not in again.headers


def test_health_reports_the_store(service, oxigraph_store):
    health = requests.get(service.url + "/health").json()
    assert health["status"] == "ok" and health["store"] == f"{oxigraph_store}/query"


def test_an_unreachable_store_is_502_with_a_clear_message_and_health_says_so(tmp_path):
    missing = f"http://127.0.0.1:{free_port()}/query"
    running = ServiceProcess("--store", missing, log_path=tmp_path / "serve.log")
    try:
        assert running.url, running.log
        response = requests.post(running.url + "/sparql", data="ASK {}", headers=DIRECT)
        assert response.status_code == 502
        assert f"The SPARQL store at {missing} cannot be reached" in response.text and "Traceback" not in response.text
        assert requests.get(running.url + "/health").status_code == 503
    finally:
        running.stop()


def test_a_store_that_answers_errors_is_502_naming_its_status(oxigraph_store, tmp_path):
    running = ServiceProcess("--store", f"{oxigraph_store}/no-such-endpoint", log_path=tmp_path / "serve.log")
    try:
        response = requests.post(running.url + "/sparql", data="ASK {}", headers=DIRECT)
        assert response.status_code == 502 and "answered 404" in response.text
    finally:
        running.stop()


def test_a_store_url_that_is_not_http_is_a_usage_error():
    done = subprocess.run([str(SCRIPT), "serve", "--store", "file:///etc/passwd"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and "not an http(s) URL" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def in_process_endpoint(tmp_path_factory):
    with running_service(log_path=tmp_path_factory.mktemp("local") / "serve.log") as running:
        yield running.url + "/sparql"


def _rows(answer: dict) -> list:
    """The rows as comparable values; GROUP_CONCAT's order is the engine's to choose, so its parts are sorted."""
    return sorted(sorted((name, term["type"], sorted(re.split(r", | or ", term["value"])))
                         for name, term in row.items())
                  for row in answer["results"]["bindings"])
