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
