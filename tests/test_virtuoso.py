"""The graph on Virtuoso (Debian's virtuoso-opensource), started on loopback by tests/virtuoso_server.py:
`her2graph push` loads it, `her2graph serve --store` fronts it, and every test a store passes
(remote_store_cases: the protocol and negotiation tests, the competency queries against their pinned answers
and against the in-process engine, the limits) passes through it. Then the ways Virtuoso differs, each pinned
down as mapped (docs/virtuoso.md): authentication for writes, no default graph of its own, system graphs,
its dataset rules, ASK answered as a row, booleans written 1/0, answers cut short at its own time limit,
error pages.
"""
from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
import requests

from her2graph.dataset import merged_graph
from her2graph.push import PushError, push_dataset
from remote_store_cases import *  # noqa: F401,F403 (the tests every store passes, and their fixtures)
from remote_store_cases import DIRECT, SLOW_QUERY
from service_process import SCRIPT, ServiceProcess
from virtuoso_server import VirtuosoUnavailable, running_virtuoso, virtuoso_binaries

MERGE_GRAPH = "https://w3id.org/her2graph/graph/merge"
G = "https://w3id.org/her2graph/graph/"
FACTS, ONTOLOGY = G + "facts", G + "ontology"
VIRTUOSO_TIME_LIMIT = 10
"""MaxQueryExecutionTime in tests/virtuoso.ini."""


@pytest.fixture(scope="module")
def virtuoso():
    try:
        virtuoso_binaries()
    except VirtuosoUnavailable as missing:
        pytest.skip(str(missing))
    with running_virtuoso() as server:
        yield server


@pytest.fixture(scope="module")
def pushed(virtuoso):
    """What `her2graph push` printed, loading Virtuoso as a user does: the -auth graph store, dba's password
    in the environment, the merge into a named graph."""
    done = subprocess.run([str(SCRIPT), "push", virtuoso.graph_store_url, "--user", virtuoso.user,
                           "--merge-graph", MERGE_GRAPH], capture_output=True, text=True, timeout=300,
                          env=os.environ | {"HER2GRAPH_STORE_PASSWORD": virtuoso.password})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def store_query_timeout():
    """Virtuoso takes seconds to compile a query with several property paths the first time it sees its text
    (docs/virtuoso.md), much longer on a loaded machine: a time limit that leaves it room."""
    return 60


@pytest.fixture(scope="module")
def store_options(virtuoso, pushed):
    return ["--store", virtuoso.query_url, "--store-merge-graph", MERGE_GRAPH]


def virtuoso_select(virtuoso, query: str) -> list[dict]:
    """Rows of a SELECT asked of Virtuoso's own endpoint directly (URL-encoded POST: it never answers a
    POST of the bare query)."""
    request = urllib.request.Request(virtuoso.query_url, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)["results"]["bindings"]


def graph_sizes(virtuoso) -> dict[str, int]:
    rows = virtuoso_select(virtuoso, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows if row["g"]["value"].startswith(G)}


# ---------------------------------------------------------------- push

def test_push_puts_each_named_graph_and_the_merge_into_virtuoso(virtuoso, pushed, dataset):
    expected = {str(g.identifier): len(g) for g in dataset.graphs()
                if len(g) and g.identifier != dataset.default_graph.identifier}
    assert graph_sizes(virtuoso) == expected | {MERGE_GRAPH: len(merged_graph(dataset))}
    assert all(f"201 {iri} ({size} triples)" in pushed for iri, size in expected.items())


def test_pushing_twice_leaves_virtuoso_as_pushing_once(virtuoso, pushed, dataset):
    once = graph_sizes(virtuoso)
    push_dataset(dataset, virtuoso.graph_store_url, merge_graph=MERGE_GRAPH,
                 credentials=(virtuoso.user, virtuoso.password))
    assert graph_sizes(virtuoso) == once


def test_without_credentials_virtuoso_asks_for_them_and_push_says_how(virtuoso, dataset):
    with pytest.raises(PushError, match="answered 401.*--user NAME and the password in HER2GRAPH_STORE_PASSWORD"):
        push_dataset(dataset, virtuoso.graph_store_url, merge_graph=MERGE_GRAPH)


def test_a_wrong_password_is_refused(virtuoso, dataset):
    with pytest.raises(PushError, match="answered 401"):
        push_dataset(dataset, virtuoso.graph_store_url, merge_graph=MERGE_GRAPH, credentials=("dba", "wrong"))


def test_the_anonymous_graph_store_refuses_to_write_and_push_names_the_one_that_may(virtuoso, dataset):
    with pytest.raises(PushError, match="answered 403.*Permission denied.*sparql-graph-crud-auth"):
        push_dataset(dataset, virtuoso.base + "/sparql-graph-crud", merge_graph=MERGE_GRAPH)


def test_virtuoso_has_no_default_graph_to_put_and_push_says_what_to_do_before_writing(virtuoso, pushed, dataset):
    before = graph_sizes(virtuoso)
    with pytest.raises(PushError, match="not configured to have default graph.*--merge-graph IRI"):
        push_dataset(dataset, virtuoso.graph_store_url, credentials=(virtuoso.user, virtuoso.password))
    assert graph_sizes(virtuoso) == before


# ---------------------------------------------------------------- what Virtuoso does its own way, mapped

def test_virtuosos_own_graphs_stay_out_of_the_default_graph_and_the_named_graphs(virtuoso, pushed, endpoint):
    own = [row["g"]["value"] for row in virtuoso_select(virtuoso, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }")
           if not row["g"]["value"].startswith(G)]
    assert own  # e.g. http://www.openlinksw.com/schemas/virtrdf#: what a bare query to Virtuoso sees too
    response = requests.get(endpoint, params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"})
    assert response.status_code == 200, response.text
    graphs = {row["g"]["value"] for row in response.json()["results"]["bindings"]}
    assert graphs and not set(own) & graphs and MERGE_GRAPH not in graphs


def test_a_request_naming_default_graphs_only_has_no_named_graphs(endpoint):
    query = "ASK { GRAPH ?g { ?s ?p ?o } }"
    assert requests.get(endpoint, params={"query": query, "default-graph-uri": FACTS}).json()["boolean"] is False
    assert requests.get(endpoint, params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": FACTS}).json()["boolean"]


def test_a_query_with_from_only_has_no_named_graphs(endpoint):
    query = f"ASK FROM <{FACTS}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert requests.post(endpoint, data=query, headers=DIRECT).json()["boolean"] is False
    named = f"SELECT DISTINCT ?g FROM <{FACTS}> FROM NAMED <{ONTOLOGY}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    rows = requests.post(endpoint, data=named, headers=DIRECT).json()["results"]["bindings"]
    assert [row["g"]["value"] for row in rows] == [ONTOLOGY]


def test_ask_is_a_boolean_although_virtuoso_answers_it_with_a_row(virtuoso, pushed, endpoint):
    assert [*virtuoso_select(virtuoso, "ASK { ?s ?p ?o }")[0]] == ["__ASK_RETVAL"]
    assert requests.post(endpoint, data="ASK { ?s ?p ?o }", headers=DIRECT).json() == {"head": {}, "boolean": True}
    nothing = requests.post(endpoint, data="ASK { ?s <urn:x:none> ?o }", headers=DIRECT)
    assert nothing.json()["boolean"] is False
    csv_answer = requests.post(endpoint, data="ASK { ?s ?p ?o }", headers=DIRECT | {"Accept": "text/csv"})
    assert csv_answer.text.strip() == "true"


def test_stored_booleans_come_back_as_true_and_false(virtuoso, pushed, endpoint):
    query = "SELECT ?o { ?s <https://w3id.org/her2graph/ontology/terminatedEarly> ?o }"
    assert {row["o"]["value"] for row in virtuoso_select(virtuoso, query.replace("{ ?s", f"{{ GRAPH <{MERGE_GRAPH}> {{ ?s") + " }")} <= {"0", "1"}
    values = {row["o"]["value"] for row in requests.post(endpoint, data=query, headers=DIRECT).json()["results"]["bindings"]}
    assert values and values <= {"true", "false"}


def test_an_answer_virtuoso_cut_short_at_its_own_time_limit_is_503_not_a_wrong_count(store_options, tmp_path):
    running = ServiceProcess(*store_options, "--query-timeout", str(VIRTUOSO_TIME_LIMIT * 3),
                             log_path=tmp_path / "serve.log")
    try:
        started = time.monotonic()
        response = requests.post(running.url + "/sparql", data=SLOW_QUERY, headers=DIRECT, timeout=120)
        assert response.status_code == 503, response.text[:300]
        assert time.monotonic() - started < VIRTUOSO_TIME_LIMIT * 2
    finally:
        running.stop()
