"""Shared fixtures: the bundled dataset (loaded once per session) and the real SPARQL service on loopback."""
from __future__ import annotations

import pytest
from rdflib import Graph

from her2graph.dataset import load_dataset, merged_graph


@pytest.fixture(scope="session")
def dataset():
    return load_dataset()


@pytest.fixture(scope="session")
def graph(dataset):
    return merged_graph(dataset)


# ---------------------------------------------------------------- the SPARQL service, served for real

QUERY_TIMEOUT = 2
"""The session service's time limit (set through its environment variable, as a deployment would)."""


@pytest.fixture(scope="session")
def service(tmp_path_factory):
    """`her2graph serve` on a free port of 127.0.0.1 for the whole session, stopped with SIGTERM at the end."""
    from service_process import running_service

    with running_service(env={"HER2GRAPH_QUERY_TIMEOUT": str(QUERY_TIMEOUT), "HER2GRAPH_WORKERS": "2"},
                         log_path=tmp_path_factory.mktemp("service") / "serve.log") as running:
        yield running


@pytest.fixture(scope="session")
def endpoint(service):
    return service.url + "/sparql"


@pytest.fixture
def seeded(graph):
    """A copy of the merged graph to seed one defect into."""
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace)
    copy += graph
    return copy


@pytest.fixture(scope="session", autouse=True)
def build_cache(tmp_path_factory):
    """Validated builds of the graph go to a folder of this session, not the user's cache (store_cache)."""
    import os

    folder = tmp_path_factory.mktemp("builds")
    previous = os.environ.get("HER2GRAPH_CACHE_DIR")
    os.environ["HER2GRAPH_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("HER2GRAPH_CACHE_DIR", None)
    else:
        os.environ["HER2GRAPH_CACHE_DIR"] = previous


# ---------------------------------------------------------------- the fast tier (python3 dev.py test --fast)

SLOW_MODULES = {
    # a JVM (HermiT, the OWL API), Graphviz, a browser, Virtuoso, wrk, a pip install, or servers run as processes
    "test_benchmark", "test_build", "test_cli", "test_cli_bad_input", "test_cli_files", "test_consistency",
    "test_docs_drift", "test_evidence_pages", "test_graph_view", "test_kgx_export", "test_network_export",
    "test_owlapi", "test_push", "test_python_api", "test_reasoning", "test_remote_store", "test_route_walk",
    "test_service_bounds", "test_service_command", "test_several_sources", "test_soak", "test_third_party_triples",
    "test_validate_cli", "test_virtuoso", "test_virtuoso_dataset", "test_worker_faults",
    "test_hermit_failures_are_reported_and_leave_no_files",
    # in-process, but seconds each (property-based fuzzing, incremental validation of the whole graph, curation
    # of every evidence file, SHACL over seeded copies of the graph, validated builds of the store cache)
    "test_query_screen_fuzz", "test_incremental_validation", "test_curate", "test_shapes", "test_store_cache",
}
"""Test modules marked `slow` as a whole; tests that use the `service` (a server process) are marked too."""
SERVER_FIXTURES = {"service", "endpoint"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rpartition(".")[2] if item.module else ""
        if module in SLOW_MODULES or SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
