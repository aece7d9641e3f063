"""`her2graph push` loads the named graphs into a real Oxigraph server, idempotently (Virtuoso: test_virtuoso)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from her2graph.dataset import merged_graph
from her2graph.push import DEFAULT_GRAPH, PushError, push_dataset
from oxigraph_server import free_port, running_oxigraph

SCRIPT = Path(sys.executable).parent / "her2graph"
COUNT_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture
def oxigraph():
    with running_oxigraph() as base:
        yield base


def default_graph_size(base: str) -> int:
    url = f"{base}/query?{urllib.parse.urlencode({'query': 'SELECT (COUNT(*) AS ?n) { ?s ?p ?o }'})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def counts_per_graph(base: str) -> dict[str, int]:
    url = f"{base}/query?{urllib.parse.urlencode({'query': COUNT_PER_GRAPH})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        rows = json.load(response)["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def test_push_puts_each_named_graph_with_all_its_triples(oxigraph, dataset):
    pushed = push_dataset(dataset, f"{oxigraph}/store")
    expected = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)
                and g.identifier != dataset.default_graph.identifier}
    assert {p.iri: p.triples for p in pushed if p.iri != DEFAULT_GRAPH} == expected
    assert counts_per_graph(oxigraph) == expected


def test_push_puts_the_merge_of_the_named_graphs_as_the_default_graph(oxigraph, dataset):
    push_dataset(dataset, f"{oxigraph}/store")
    assert default_graph_size(oxigraph) == len(merged_graph(dataset))


def test_without_the_default_graph_only_named_graphs_are_pushed(oxigraph, dataset):
    pushed = push_dataset(dataset, f"{oxigraph}/store", default_graph=False)
    assert DEFAULT_GRAPH not in {p.iri for p in pushed}
    assert default_graph_size(oxigraph) == 0


def test_pushing_twice_leaves_the_store_as_pushing_once(oxigraph, dataset):
    push_dataset(dataset, f"{oxigraph}/store")
    once = counts_per_graph(oxigraph), default_graph_size(oxigraph)
    push_dataset(dataset, f"{oxigraph}/store")
    assert (counts_per_graph(oxigraph), default_graph_size(oxigraph)) == once


def test_the_console_script_reports_each_graph(oxigraph):
    done = subprocess.run([str(SCRIPT), "push", f"{oxigraph}/store"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "https://w3id.org/her2graph/graph/facts" in done.stdout


def test_an_unreachable_store_is_a_clear_error(dataset):
    with pytest.raises(PushError, match="cannot reach the store"):
        push_dataset(dataset, f"http://127.0.0.1:{free_port()}/store", timeout=5)


def test_a_store_that_refuses_is_reported_with_its_status(oxigraph, dataset):
    with pytest.raises(PushError, match="answered 4"):
        push_dataset(dataset, f"{oxigraph}/no-such-endpoint")


def test_an_endpoint_that_is_not_http_is_refused_before_any_request(dataset):
    with pytest.raises(PushError, match="not an http"):
        push_dataset(dataset, "file:///etc/passwd")


def test_the_merge_can_go_into_a_named_graph_instead_of_the_default_graph(oxigraph, dataset):
    merge = "https://w3id.org/her2graph/graph/merge"
    pushed = push_dataset(dataset, f"{oxigraph}/store", merge_graph=merge)
    assert pushed[0].iri == merge  # first: a store that cannot take it refuses before anything is written
    assert counts_per_graph(oxigraph)[merge] == len(merged_graph(dataset))
    assert default_graph_size(oxigraph) == 0


@pytest.mark.parametrize("iri, message", [("not an IRI", "not an absolute IRI"),
                                          ("https://w3id.org/her2graph/graph/facts", "one of the dataset's named graphs")])
def test_a_merge_graph_must_be_a_new_absolute_iri(dataset, iri, message):
    with pytest.raises(PushError, match=message):
        push_dataset(dataset, "http://127.0.0.1:1/store", merge_graph=iri)


def test_a_user_without_a_password_in_the_environment_is_a_usage_error(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "HER2GRAPH_STORE_PASSWORD"}
    done = subprocess.run([str(SCRIPT), "push", "http://127.0.0.1:1/store", "--user", "dba"], capture_output=True,
                          text=True, timeout=120, env=environment)
    assert done.returncode == 2 and "HER2GRAPH_STORE_PASSWORD" in done.stderr and "Traceback" not in done.stderr
