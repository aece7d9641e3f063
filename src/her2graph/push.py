"""Loading the release into a remote SPARQL store over the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph of the dataset is sent with one PUT to `ENDPOINT?graph=IRI` (W3C SPARQL 1.1 Graph Store
HTTP Protocol, section 5.3): PUT replaces the graph, so pushing twice leaves the store as pushing once.
Then, unless asked not to, their merge (a set of triples) is PUT to `ENDPOINT?default`: the store's default
graph is then what the in-process service queries without GRAPH, so `her2graph serve --store` over it
answers alike (a store's own union-default-graph mode counts a triple stated in two graphs twice).
The endpoint is the store's graph-store URL, e.g. http://host:7878/store for Oxigraph or
http://host:3030/DATASET/data for Fuseki. Standard library HTTP: one PUT per graph needs nothing more.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import Dataset

from .dataset import merged_graph
from .errors import Her2graphError

N_TRIPLES = "application/n-triples"
DEFAULT_GRAPH = "default graph (the merge)"
PUSH_TIMEOUT_SECONDS = 120


class PushError(Her2graphError):
    """The store refused a graph or could not be reached."""


@dataclass(frozen=True)
class PushedGraph:
    iri: str
    triples: int
    status: int


def push_dataset(dataset: Dataset, endpoint: str, timeout: float = PUSH_TIMEOUT_SECONDS,
                 default_graph: bool = True) -> list[PushedGraph]:
    """PUT every non-empty named graph of `dataset` to the graph store at `endpoint`, then their merge as
    its default graph (unless `default_graph` is false)."""
    _check_endpoint(endpoint)
    pushed = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if graph.identifier == dataset.default_graph.identifier or not len(graph):
            continue
        body = graph.serialize(format="nt", encoding="utf-8")
        status = _put(_graph_url(endpoint, str(graph.identifier)), body, timeout)
        pushed.append(PushedGraph(str(graph.identifier), len(graph), status))
    if default_graph:
        merged = merged_graph(dataset)
        status = _put(_default_graph_url(endpoint), merged.serialize(format="nt", encoding="utf-8"), timeout)
        pushed.append(PushedGraph(DEFAULT_GRAPH, len(merged), status))
    return pushed


def _check_endpoint(endpoint: str) -> None:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{endpoint!r} is not an http(s) URL of a graph store, such as http://localhost:7878/store")


def _default_graph_url(endpoint: str) -> str:
    return endpoint + ("&" if urllib.parse.urlsplit(endpoint).query else "?") + "default"


def _graph_url(endpoint: str, graph_iri: str) -> str:
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}{urllib.parse.urlencode({'graph': graph_iri})}"


def _put(url: str, body: bytes, timeout: float) -> int:
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": N_TRIPLES})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace").strip()
        raise PushError(f"the store answered {error.code} {error.reason} to PUT {url}: {detail}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise PushError(f"cannot reach the store at {url}: {reason}") from None
