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

The store is asked by POST with the query as the body (SPARQL 1.1 Protocol §2.1.3), the request's dataset as
default-graph-uri / named-graph-uri parameters, and the request's base IRI, when the query has a relative
IRI, as a BASE declaration on the query's first line (the protocol has no parameter for it; a query's own
BASE still applies after it; on the same line, so the store's error positions keep their line numbers).
Asked without a dataset, the store must answer over the merge of the named graphs, as the in-process engine
does: `her2graph push` loads the merge as the store's default graph; or the store presents the union of its
named graphs (Oxigraph: `serve --union-default-graph`, which also overrides a query's FROM; Fuseki:
`tdb2:unionDefaultGraph true`), where a triple stated in two graphs is then counted twice.

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
from itertools import islice

import pyoxigraph

from ..errors import Her2graphError, QueryError
from ..namespaces import PREFIXES
from .engine import GRAPH_DEFAULT, MAX_ROWS, QUERY_TIMEOUT, RESULTS_DEFAULT, Answer, NotRepresentable, \
    QueryTimeout, TooManyResults
from .query_guard import MAX_NESTING_DEPTH, MAX_OPERATORS, ScreenedQuery, screen_query, unescape_codepoints

MAX_STORE_ANSWER_BYTES = 256 * 1024 * 1024
"""Most bytes read of one answer of the store."""
STATUS_TIMEOUT = 2.0
"""Seconds the health check waits for the store."""
RESULTS_FROM_STORE = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPHS_FROM_STORE = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
"""What the store is asked for: formats every SPARQL store writes and pyoxigraph reads exactly."""
READ_CHUNK = 1 << 16
STORE_MESSAGE_LENGTH = 500

log = logging.getLogger("her2graph.remote")


class QueryRefusedByStore(QueryError):
    """The store answered 400: the query is malformed or uses something the store does not support."""


class StoreUnreachable(Her2graphError):
    """No connection could be made to the store."""


class StoreFailure(Her2graphError):
    """The store answered with an error of its own, or with an answer that cannot be read."""


class RemoteEngine:
    """A SPARQL 1.1 Protocol endpoint of another store, screened, timed and capped as the local engine."""

    def __init__(self, endpoint: str, timeout: float = QUERY_TIMEOUT, max_rows: int | None = MAX_ROWS,
                 max_depth: int = MAX_NESTING_DEPTH, max_operators: int = MAX_OPERATORS,
                 max_answer_bytes: int = MAX_STORE_ANSWER_BYTES):
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Her2graphError(f"{endpoint!r} is not an http(s) URL of a SPARQL endpoint, such as "
                                 "http://localhost:7878/query")
        self.endpoint = endpoint
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_depth = max_depth
        self.max_operators = max_operators
        self.max_answer_bytes = max_answer_bytes
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
        parameters = [("default-graph-uri", iri) for iri in default_graph_uris] + \
                     [("named-graph-uri", iri) for iri in named_graph_uris]
        accept = GRAPHS_FROM_STORE if query.gives_graph else RESULTS_FROM_STORE
        body, content_type = self._exchange(text, parameters, accept, limit)
        most = self.max_rows if capped else None
        if query.gives_graph or _is_rdf(content_type):
            return _graph_answer(body, content_type, media_type, most)
        return _results_answer(body, content_type, media_type, most)

    def select(self, text: str, timeout: float | None = None) -> list[dict]:
        """The bindings of a SELECT query, as SPARQL JSON term objects (for the service's own pages)."""
        import json

        answer = self.evaluate(self.prepare(text), media_type=RESULTS_DEFAULT, timeout=timeout, capped=False)
        return json.loads(answer.body)["results"]["bindings"]

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

    def _exchange(self, text: str, parameters: list, accept: str, limit: float) -> tuple[bytes, str]:
        deadline = time.monotonic() + limit
        target = self._connections.path
        if parameters:
            target += ("&" if "?" in target else "?") + urllib.parse.urlencode(parameters)
        headers = {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept}
        try:
            status, reason, content_type, body = self._connections.post(target, text.encode("utf-8"), headers,
                                                                        deadline, self.max_answer_bytes)
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
                               f"({type(error).__name__}: {_one_line(error)})") from None
        if status == 400:
            raise QueryRefusedByStore(f"the store refused the query: {_store_message(body)}")
        if status != 200:
            raise StoreFailure(f"the SPARQL store at {self.endpoint} answered {status} {reason}: "
                               f"{_store_message(body)}")
        return body, content_type


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
        return response.status, response.reason, response.headers.get("Content-Type", ""), b"".join(chunks)

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
            connection = kind(self.parts.hostname, self.parts.port, timeout=timeout)
            try:
                connection.connect()
            except OSError as error:
                connection.close()
                raise _NoConnection(_one_line(error) or type(error).__name__) from None
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


_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _is_rdf(content_type: str) -> bool:
    media_type = _media_type(content_type)
    return pyoxigraph.QueryResultsFormat.from_media_type(media_type) is None and \
        pyoxigraph.RdfFormat.from_media_type(media_type) is not None


def _results_answer(body: bytes, content_type: str, media_type: str | None, most: int | None) -> Answer:
    source = pyoxigraph.QueryResultsFormat.from_media_type(_media_type(content_type))
    target_type = media_type if media_type and pyoxigraph.QueryResultsFormat.from_media_type(media_type) \
        else RESULTS_DEFAULT
    target = pyoxigraph.QueryResultsFormat.from_media_type(target_type)
    if source is None:
        raise StoreFailure(f"the store answered a SELECT or ASK query with {content_type or 'no Content-Type'}, "
                           "not SPARQL results")
    try:
        results = pyoxigraph.parse_query_results(body, format=source)
        if most is not None and not isinstance(results, pyoxigraph.QueryBoolean) and \
                sum(1 for _ in islice(results, most + 1)) > most:
            raise TooManyResults(f"the answer has more than {most} rows, the most this service gives at once: "
                                 "add LIMIT (and OFFSET to page through it)")
        results = pyoxigraph.parse_query_results(body, format=source)
        return Answer(results.serialize(format=target), target_type)
    except SyntaxError as error:
        raise StoreFailure(f"the store's answer is not valid {content_type}: {_one_line(error)}") from None


def _graph_answer(body: bytes, content_type: str, media_type: str | None, most: int | None) -> Answer:
    source = pyoxigraph.RdfFormat.from_media_type(_media_type(content_type))
    target_type = media_type if media_type and pyoxigraph.RdfFormat.from_media_type(media_type) else GRAPH_DEFAULT
    target = pyoxigraph.RdfFormat.from_media_type(target_type)
    if source is None:
        raise StoreFailure(f"the store answered a CONSTRUCT or DESCRIBE query with "
                           f"{content_type or 'no Content-Type'}, not RDF")
    try:
        if most is not None and sum(1 for _ in islice(pyoxigraph.parse(body, format=source), most + 1)) > most:
            raise TooManyResults(f"the answer has more than {most} rows, the most this service gives at once: "
                                 "add LIMIT (and OFFSET to page through it)")
        triples = pyoxigraph.parse(body, format=source)
        try:
            return Answer(pyoxigraph.serialize(triples, format=target, prefixes=_PREFIXES), target_type)
        except (ValueError, OSError) as error:
            raise NotRepresentable(f"the answer cannot be written as {target_type}: {_one_line(error)}; "
                                   "ask for text/turtle or application/n-triples") from None
    except SyntaxError as error:
        raise StoreFailure(f"the store's answer is not valid {content_type}: {_one_line(error)}") from None


def _store_message(body: bytes) -> str:
    text = _one_line(body.decode("utf-8", "replace"))
    return text[:STORE_MESSAGE_LENGTH] + ("…" if len(text) > STORE_MESSAGE_LENGTH else "") or "(no message)"


def _one_line(error) -> str:
    return " ".join(str(error).split())
