"""`her2graph serve --store URL` in front of a real Oxigraph server on loopback, loaded with `her2graph push`.

The tests every store passes come from remote_store_cases (the shared protocol and negotiation tests, the
competency queries, the limits); here are the Oxigraph store and the cases of a store that is not there or
answers errors.
"""
from __future__ import annotations

import subprocess

import pytest
import requests

from oxigraph_server import free_port, running_oxigraph
from remote_store_cases import *  # noqa: F401,F403 (the tests every store passes, and their fixtures)
from remote_store_cases import DIRECT
from service_process import SCRIPT, ServiceProcess

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
def store_options(oxigraph_store):
    return ["--store", f"{oxigraph_store}/query"]


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


@pytest.mark.parametrize("options, message", [
    (["--store-merge-graph", "https://w3id.org/her2graph/graph/merge"], "give that store with --store"),
    (["--store", "http://127.0.0.1:1/sparql", "--store-merge-graph", "not an IRI"], "not an absolute IRI"),
], ids=["without-a-store", "not-an-iri"])
def test_a_merge_graph_needs_a_store_and_an_iri(options, message):
    done = subprocess.run([str(SCRIPT), "serve", *options], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
