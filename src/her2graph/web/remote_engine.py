"""Fronting another SPARQL 1.1 store instead of the in-process engine: `her2graph serve --store URL`.

RemoteEngine has QueryEngine's interface (prepare, evaluate, select, status, close), so the protocol endpoint,
the Linked Data pages, the query page and the descriptions work unchanged over Oxigraph server, Fuseki,
Virtuoso, GraphDB or QLever. The protections hold:
- a query is screened before it leaves (query_guard): SERVICE, deep nesting and long chains never reach the
  store;
- the time limit is the deadline of the whole HTTP exchange (connect, wait, read); past it the exchange is
  dropped and the client gets 503, as in process (the store may go on computing: give it a timeout too);
- the row cap is counted on the parsed answer, and no more than MAX_STORE_ANSWER_BYTES of it is read;
- the answer is parsed and written again with pyoxigraph in the negotiated media type, so clients get the
  same formats whichever engine answers, and nothing the store sends is passed on unchecked.

The store is asked by URL-encoded POST (SPARQL 1.1 Protocol §2.1.2: the query and the request's dataset as
default-graph-uri / named-graph-uri, all in the body; every store takes this form, while Virtuoso never
answers a POST of the bare query, §2.1.3), with the request's base IRI, when the query has a relative IRI,
as a BASE declaration on the query's first line (the protocol has no parameter for it; a query's own BASE
still applies after it; on the same line, so the store's error positions keep their line numbers).
Asked without a dataset, the store must answer over the merge of the named graphs, as the in-process engine
does: `her2graph push` loads the merge as the store's default graph; or the store presents the union of its
named graphs (Oxigraph: `serve --union-default-graph`, which also overrides a query's FROM; Fuseki:
`tdb2:unionDefaultGraph true`), where a triple stated in two graphs is then counted twice.

A store with no default graph of its own (Virtuoso) is given the merge as a named graph (`push --merge-graph
IRI`) and `merge_graph`: every query then goes with a whole dataset, and a request's dataset replaces the
query's FROM even where the store would add the two together (store_dataset). An answer is read and
written again by store_answer, which also maps Virtuoso's ways of answering. Virtuoso's time limit is
mapped here: an answer it cut short at its limit (200 with X-SQL-State S1TAT, "anytime query") or its
"S1T00" timeout error is our timeout, never passed on as if whole; and once its Server header has shown
the store is Virtuoso, each query carries our limit as its `timeout` parameter. docs/virtuoso.md lists
every difference and what cannot be mapped.

Failures of the store are ours to name: its 400 is a 400 with its message (QueryRefusedByStore); no
connection is StoreUnreachable; any other status, or an answer that does not parse, is StoreFailure.
"""
from __future__ import annotations

import http.client
import logging
import re
import socket
import threading
import time
import urllib.parse

import pyoxigraph

from ..errors import Her2graphError, QueryError, one_line
from ..store_message import store_message
from .engine import MAX_ROWS, QUERY_TIMEOUT, Answer, QueryTimeout, SelectsBindings, TooManyResults
from .query_guard import MAX_NESTING_DEPTH, MAX_OPERATORS, ScreenedQuery, screen_query, unescape_codepoints
from .store_answer import StoreFailure, graph_answer, is_rdf, results_answer
from .store_dataset import dataset_to_send

MAX_STORE_ANSWER_BYTES = 256 * 1024 * 1024
"""Most bytes read of one answer of the store."""
STATUS_TIMEOUT = 2.0
"""Seconds the health check waits for the store."""
RESULTS_FROM_STORE = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPHS_FROM_STORE = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
"""What the store is asked for: formats every SPARQL store writes and pyoxigraph reads exactly."""
READ_CHUNK = 1 << 16
INCOMPLETE_ANSWER = "S1TAT"
"""Virtuoso's X-SQL-State for an answer cut short at its own time limit ("anytime query")."""
TIMED_OUT = b"Virtuoso S1T00 "
"""How Virtuoso's error body starts when a query ran out of its time (SQL state S1T00) before any answer."""
VIRTUOSO_SERVER = "Virtuoso/"
"""The start of Virtuoso's Server header: once seen, each query tells it our time limit (its `timeout`
parameter, in milliseconds), so that it stops working on a query we gave up on."""

log = logging.getLogger("her2graph.remote")


class QueryRefusedByStore(QueryError):
    """The store answered 400: the query is malformed or uses something the store does not support."""


class StoreUnreachable(Her2graphError):
    """No connection could be made to the store."""


class RemoteEngine(SelectsBindings):
    """A SPARQL 1.1 Protocol endpoint of another store, screened, timed and capped as the local engine."""

    def __init__(self, endpoint: str, timeout: float = QUERY_TIMEOUT, max_rows: int | None = MAX_ROWS,
                 max_depth: int = MAX_NESTING_DEPTH, max_operators: int = MAX_OPERATORS,
                 max_answer_bytes: int = MAX_STORE_ANSWER_BYTES, merge_graph: str | None = None,
                 named_graphs: tuple[str, ...] = ()):
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Her2graphError(f"{endpoint!r} is not an http(s) URL of a SPARQL endpoint, such as "
                                 "http://localhost:7878/query")
        if merge_graph is not None:
            try:
                pyoxigraph.NamedNode(merge_graph)
            except ValueError:
                raise Her2graphError(f"the store's merge graph {merge_graph!r} is not an absolute IRI, such as "
                                     "https://w3id.org/her2graph/graph/merge") from None
        self.endpoint = endpoint
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_depth = max_depth
        self.max_operators = max_operators
        self.max_answer_bytes = max_answer_bytes
        self.merge_graph = merge_graph
        self.named_graphs = tuple(named_graphs)
        self._store_is_virtuoso = False
        self._connections = _Connections(parts)

    def prepare(self, text: str) -> ScreenedQuery:
        """The query, screened; raises a QueryError saying why it cannot be sent on."""
        return screen_query(text, self.max_depth, self.max_operators)

    def evaluate(self, query: ScreenedQuery, default_graph_uris=(), named_graph_uris=(),
                 media_type: str | None = None, timeout: float | None = None, base_iri: str | None = None,
                 capped: bool = True) -> Answer:
        """The store's answer to `query`, checked and written as `media_type` (see QueryEngine.evaluate)."""
        if not isinstance(query, ScreenedQuery):
            raise TypeError("evaluate() takes a query from prepare()")
        limit = self.timeout if timeout is None else timeout
        text = f"BASE <{base_iri}> {query.text}" if base_iri and has_relative_iri(query.text) else query.text
        text, default, named = dataset_to_send(text, tuple(default_graph_uris), tuple(named_graph_uris),
                                               self.merge_graph, self.named_graphs)
        parameters = [("query", text)] + [("default-graph-uri", iri) for iri in default] + \
                     [("named-graph-uri", iri) for iri in named]
        if self._store_is_virtuoso:
            parameters.append(("timeout", str(max(1, int(limit * 1000)))))
        accept = GRAPHS_FROM_STORE if query.gives_graph else RESULTS_FROM_STORE
        body, content_type = self._exchange(parameters, accept, limit)
        most = self.max_rows if capped else None
        if query.gives_graph or is_rdf(content_type):
            return graph_answer(body, content_type, media_type, most)
        return results_answer(body, content_type, media_type, most, ask=query.form == "ASK")

    @property
    def workers_isolated(self) -> bool:
        return False  # the store's own business; SERVICE is refused by the screen before it is sent

    def status(self) -> dict:
        """Whether the store answers a trivial query now (alive: 1) or not (alive: 0)."""
        try:
            self.evaluate(self.prepare("ASK {}"), timeout=STATUS_TIMEOUT, capped=False)
            alive = 1
        except (Her2graphError, QueryTimeout) as error:
            log.warning("the store at %s fails its health check: %s", self.endpoint, error)
            alive = 0
        return {"store": self.endpoint, "alive": alive}

    def close(self) -> None:
        self._connections.close_all()

    def _exchange(self, parameters: list, accept: str, limit: float) -> tuple[bytes, str]:
        deadline = time.monotonic() + limit
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        form = urllib.parse.urlencode(parameters).encode("ascii")
        try:
            status, reason, response_headers, body = self._connections.post(
                self._connections.path, form, headers, deadline, self.max_answer_bytes)
            self._store_is_virtuoso = response_headers.get("Server", "").startswith(VIRTUOSO_SERVER)
            if response_headers.get("X-SQL-State", "").strip() == INCOMPLETE_ANSWER or \
                    (status >= 500 and body.lstrip().startswith(TIMED_OUT)):
                raise TimeoutError
        except TimeoutError:
            raise QueryTimeout(f"the query ran longer than {limit:g} seconds and was stopped: narrow it (a LIMIT, "
                               "more specific patterns) or split it") from None
        except _TooLarge:
            raise TooManyResults(f"the store's answer is larger than {self.max_answer_bytes} bytes, the most this "
                                 "service reads: add LIMIT (and OFFSET to page through it)") from None
        except _NoConnection as error:
            raise StoreUnreachable(f"the SPARQL store at {self.endpoint} cannot be reached ({error}); "
                                   "try again once it is up") from None
        except (OSError, http.client.HTTPException) as error:
            raise StoreFailure(f"the exchange with the SPARQL store at {self.endpoint} broke off "
                               f"({type(error).__name__}: {one_line(error)})") from None
        if status == 400:
            raise QueryRefusedByStore(f"the store refused the query: {store_message(body)}")
        if status != 200:
            raise StoreFailure(f"the SPARQL store at {self.endpoint} answered {status} {reason}: "
                               f"{store_message(body)}")
        return body, response_headers.get("Content-Type", "")


_IRIREF = re.compile(r'<([^<>"{}|^`\\\x00-\x20]*)>')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def has_relative_iri(text: str) -> bool:
    """Whether the query may hold a relative IRI (it may say yes of a `<` that compares: no harm done)."""
    return any(not _SCHEME.match(iri) for iri in _IRIREF.findall(unescape_codepoints(text)))


class _TooLarge(Exception):
    pass


class _NoConnection(Exception):
    pass


class _Connections:
    """One keep-alive HTTP connection per request thread, to the store's host."""

    def __init__(self, parts: urllib.parse.SplitResult):
        self.parts = parts
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._local = threading.local()
        self._all: set[http.client.HTTPConnection] = set()
        self._lock = threading.Lock()

    def post(self, target: str, body: bytes, headers: dict, deadline: float, most_bytes: int):
        reused = getattr(self._local, "connection", None) is not None
        try:
            return self._post_once(target, body, headers, deadline, most_bytes)
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
            self._drop()
            if not reused:
                raise
            return self._post_once(target, body, headers, deadline, most_bytes)  # the store closed an idle one
        except BaseException:
            self._drop()
            raise

    def _post_once(self, target, body, headers, deadline, most_bytes):
        connection = self._connection(_remaining(deadline))
        connection.sock.settimeout(_remaining(deadline))
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        chunks, size = [], 0
        while True:
            connection.sock.settimeout(_remaining(deadline))
            chunk = response.read(READ_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > most_bytes:
                raise _TooLarge
            chunks.append(chunk)
        if response.will_close:
            self._drop()
        return response.status, response.reason, response.headers, b"".join(chunks)

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
            connection = kind(self.parts.hostname, self.parts.port, timeout=timeout)
            try:
                connection.connect()
            except OSError as error:
                connection.close()
                raise _NoConnection(one_line(error) or type(error).__name__) from None
            connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._local.connection = connection
            with self._lock:
                self._all.add(connection)
        return connection

    def _drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            connection.close()
            with self._lock:
                self._all.discard(connection)

    def close_all(self) -> None:
        with self._lock:
            connections, self._all = list(self._all), set()
        for connection in connections:
            connection.close()


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left

