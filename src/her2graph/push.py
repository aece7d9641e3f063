"""Loading the release into a remote SPARQL store over the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph of the dataset is sent with one PUT to `ENDPOINT?graph=IRI` (W3C SPARQL 1.1 Graph Store
HTTP Protocol, section 5.3): PUT replaces the graph, so pushing twice leaves the store as pushing once.
Before them, unless asked not to, their merge (a set of triples) is PUT to `ENDPOINT?default`: the store's
default graph is then what the in-process service queries without GRAPH, so `her2graph serve --store` over
it answers alike (a store's own union-default-graph mode counts a triple stated in two graphs twice).
A store with no default graph of its own (Virtuoso: its default graph is the union of every graph it holds,
its own system graphs included) takes the merge as one more named graph instead (`merge_graph`), which
`her2graph serve --store-merge-graph` then presents as the default graph (see web/remote_engine.py).

The endpoint is the store's graph-store URL, e.g. http://host:7878/store for Oxigraph,
http://host:3030/DATASET/data for Fuseki, http://host:8890/sparql-graph-crud-auth for Virtuoso. A store that
asks for credentials (HTTP Basic or Digest, as Virtuoso's -auth endpoint does) gets `credentials`.
Standard library HTTP: one PUT per graph needs nothing more.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import Dataset

from .dataset import merged_graph
from .errors import Her2graphError
from .store_message import store_message

N_TRIPLES = "application/n-triples"
DEFAULT_GRAPH = "default graph (the merge)"
PUSH_TIMEOUT_SECONDS = 120
PASSWORD_VARIABLE = "HER2GRAPH_STORE_PASSWORD"
"""Where `her2graph push --user` reads the password: an environment variable, never the command line."""


class PushError(Her2graphError):
    """The store refused a graph or could not be reached."""


@dataclass(frozen=True)
class PushedGraph:
    iri: str
    triples: int
    status: int


def push_dataset(dataset: Dataset, endpoint: str, timeout: float = PUSH_TIMEOUT_SECONDS,
                 default_graph: bool = True, merge_graph: str | None = None,
                 credentials: tuple[str, str] | None = None) -> list[PushedGraph]:
    """PUT the merge of the named graphs of `dataset` to the graph store at `endpoint` as its default graph
    (unless `default_graph` is false), or as the named graph `merge_graph` when given; then every non-empty
    named graph. The merge goes first: a store that has no default graph refuses before anything is written."""
    _check_endpoint(endpoint)
    if merge_graph is not None:
        _check_graph_iri(merge_graph, dataset)
    opener = _opener(endpoint, credentials)
    pushed = []
    if default_graph or merge_graph is not None:
        merged = merged_graph(dataset)
        body = merged.serialize(format="nt", encoding="utf-8")
        if merge_graph is not None:
            status = _put(opener, _graph_url(endpoint, merge_graph), body, timeout)
            pushed.append(PushedGraph(merge_graph, len(merged), status))
        else:
            status = _put(opener, _default_graph_url(endpoint), body, timeout,
                          hint="if the store has no default graph of its own (Virtuoso), put the merge into a "
                               "named graph with --merge-graph IRI")
            pushed.append(PushedGraph(DEFAULT_GRAPH, len(merged), status))
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if graph.identifier == dataset.default_graph.identifier or not len(graph):
            continue
        body = graph.serialize(format="nt", encoding="utf-8")
        status = _put(opener, _graph_url(endpoint, str(graph.identifier)), body, timeout)
        pushed.append(PushedGraph(str(graph.identifier), len(graph), status))
    return pushed


def _check_endpoint(endpoint: str) -> None:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{endpoint!r} is not an http(s) URL of a graph store, such as http://localhost:7878/store")


def _check_graph_iri(iri: str, dataset: Dataset) -> None:
    if not urllib.parse.urlsplit(iri).scheme or any(c in iri for c in '<>" {}|\\^`'):
        raise PushError(f"the merge graph {iri!r} is not an absolute IRI, such as "
                        "https://w3id.org/her2graph/graph/merge")
    if any(str(graph.identifier) == iri for graph in dataset.graphs()):
        raise PushError(f"the merge graph {iri} is one of the dataset's named graphs: choose another IRI")


def _default_graph_url(endpoint: str) -> str:
    return endpoint + ("&" if urllib.parse.urlsplit(endpoint).query else "?") + "default"


def _graph_url(endpoint: str, graph_iri: str) -> str:
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}{urllib.parse.urlencode({'graph': graph_iri})}"


def _opener(endpoint: str, credentials: tuple[str, str] | None) -> "_Authorizing":
    return _Authorizing(endpoint, credentials)


class _Authorizing:
    """Sends each PUT with the credentials already answered to the store's challenge (HTTP Basic or Digest).

    urllib's handlers only answer a 401 by sending the request again; a store that closes the connection
    with its 401 (Virtuoso) then breaks the pipe under a body of any size. So the challenge is fetched first,
    by a GET without a body, and the PUT goes once, with its Authorization header (or not at all,
    when the store asks for credentials and none were given).
    """

    def __init__(self, endpoint: str, credentials: tuple[str, str] | None):
        self.credentials = credentials
        self.passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        if credentials is not None:
            self.passwords.add_password(None, endpoint, *credentials)
        self.opener = urllib.request.build_opener()

    def open(self, request: urllib.request.Request, timeout: float):
        header = self._authorization(request, timeout)
        if header:
            request.add_unredirected_header("Authorization", header)
        return self.opener.open(request, timeout=timeout)

    def _authorization(self, request: urllib.request.Request, timeout: float) -> str | None:
        try:
            self.opener.open(urllib.request.Request(request.full_url, method="GET"), timeout=timeout).close()
            return None  # no challenge: the store does not ask for credentials here
        except urllib.error.HTTPError as error:
            if error.code != 401:
                return None  # the PUT will meet the same refusal, and report it
            if self.credentials is None:
                raise  # reported as the store's 401, before a body is sent into a closing connection
            challenge = error.headers.get("WWW-Authenticate", "")
        scheme, _, parameters = challenge.partition(" ")
        if scheme.lower() == "basic":
            import base64

            return "Basic " + base64.b64encode(":".join(self.credentials).encode("utf-8")).decode("ascii")
        if scheme.lower() == "digest":
            fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(parameters))
            answer = urllib.request.HTTPDigestAuthHandler(self.passwords).get_authorization(request, fields)
            return f"Digest {answer}" if answer else None
        raise ValueError(f"the store asks for {scheme or 'an unnamed'} authentication, not Basic or Digest")


def _put(opener, url: str, body: bytes, timeout: float, hint: str = "") -> int:
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": N_TRIPLES})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        detail = store_message(error.read(2000))
        advice = {401: f"the store wants credentials: give --user NAME and the password in {PASSWORD_VARIABLE} "
                       "(Virtuoso: its graph-store endpoint with authentication is /sparql-graph-crud-auth)",
                  403: "the store refused to write for this user: use an account allowed to update "
                       "(Virtuoso: a member of SPARQL_UPDATE, e.g. dba, at /sparql-graph-crud-auth)"}.get(error.code, hint)
        raise PushError(f"the store answered {error.code} {error.reason} to PUT {url}: {detail}"
                        + (f"; {advice}" if advice else "")) from None
    except ValueError as error:  # urllib's own words for a challenge it cannot answer
        raise PushError(f"the store's authentication challenge at {url} cannot be answered: {error}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise PushError(f"cannot reach the store at {url}: {reason}") from None

