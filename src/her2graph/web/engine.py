"""Evaluating SPARQL queries with Oxigraph (pyoxigraph) in worker processes that can be stopped.

Neither Oxigraph nor rdflib can cancel a CPU-bound query from inside, so each query runs in a worker process
(worker_pool): a query that outlives its time limit is stopped by killing its worker, and a fresh worker
takes its place while the others go on answering. The web process never evaluates SPARQL; it screens the
text (query_guard), hands it to an idle worker and waits at most the time limit, answer included.

The workers share one copy of the store, one of two ways (worker_pool): a build's on-disk Oxigraph store,
opened read-only by every worker (WORKER_STORE "disk": ready in milliseconds at any size, one copy in the
page cache), or an in-memory store loaded once by a store holder process that the workers are forked from
(WORKER_STORE "memory", the default: queries 3 to 7 times faster, a start that loads the build,
copy-on-write sharing). Both hold the named graphs as they are and their merge (a set of triples, as
SPARQL's RDF merge wants) as the store's default graph: a store_cache build has the merge made already;
N-Quads of an rdflib Dataset get it here (her2graph.oxigraph_store, which the command line's queries use
too).
A query's own FROM / FROM NAMED, or the protocol's default-graph-uri / named-graph-uri, choose other graphs.

Workers also leave the network where Linux allows it (a new, empty network namespace), so even a SERVICE
that escaped the screen could reach nothing; and their address space is capped, so one query cannot take
the machine's memory.
"""
from __future__ import annotations

import io
import json
import logging
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyoxigraph

from ..errors import Her2graphError, QueryError, one_line
from ..oxigraph_store import store_from_build, store_from_nquads
from .graph_serialisation import ordered_graph
from .query_guard import MAX_NESTING_DEPTH, MAX_OPERATORS, ScreenedQuery, screen_query
from .worker_pool import WorkerFailure, WorkerOutOfMemory, WorkerPool, WorkersBusy, WorkerStopped, holder_main

QUERY_TIMEOUT = 5.0
"""Seconds a query may run (parse, evaluation and serialisation) before its worker is stopped."""
MAX_ROWS = 10_000
"""Most solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) one answer may hold."""
WORKERS = 2
"""Worker processes, each answering one query at a time."""
WORKER_MEMORY_MB = 2048
"""Address space of one worker, in MiB (its store, the query's intermediate results, a 256 MiB stack)."""
WORKER_STORES = ("disk", "memory")
WORKER_STORE = "memory"
"""Where the workers read a build: an in-memory copy (loaded from its N-Quads by the store holder) or its on-disk
store (opened read-only by each). In memory, queries cost 3 to 7 times less CPU than on Oxigraph's RocksDB
store, which is what the service is for; on disk, a start takes a second at any size and the workers share
one copy through the page cache. docs/performance.md, "One store on disk for every worker", has the
measurements behind the choice."""

RESULTS_DEFAULT = "application/sparql-results+json"
GRAPH_DEFAULT = "text/turtle"

log = logging.getLogger("her2graph.engine")


class QuerySyntaxError(QueryError):
    """The engine's parser refused the query; the message is the parser's."""


class TooManyResults(QueryError):
    """The answer would hold more rows than the service gives in one response."""


class NotRepresentable(QueryError):
    """The answer cannot be written in the media type asked for (e.g. a predicate RDF/XML cannot name)."""


class UnsupportedFunction(QueryError):
    """The query calls a function the engine does not have (a custom function IRI, fn:concat, …)."""


class QueryOutOfMemory(QueryError):
    """The query needed more memory than one query may use."""


class QueryTimeout(QueryError):
    """The query ran longer than its time limit and was stopped."""


class EngineBusy(Her2graphError):
    """Every worker stayed busy for as long as the request could wait."""


class EngineFailure(Her2graphError):
    """A worker failed in a way no query should cause (it crashed, or the engine raised an unknown error)."""


@dataclass(frozen=True)
class Answer:
    """A serialised answer and its media type."""

    body: bytes
    media_type: str
    cache: str | None = None
    """"hit" or "miss" when an answer cache stands in front of the engine (answer_cache.py), else None."""


@dataclass(frozen=True)
class _Job:
    """What a worker is sent (as a plain tuple: the cheapest to pickle)."""

    query: str
    base_iri: str | None
    default_graph_uris: tuple[str, ...] | None
    named_graph_uris: tuple[str, ...] | None
    media_type: str | None
    max_rows: int | None


class SelectsBindings:
    """The `select` of every engine (local, remote, caching): what the service's own pages use to read the data.

    An engine that inherits it has `prepare` and `evaluate`."""

    def select(self, text: str, timeout: float | None = None) -> list[dict]:
        """The bindings of a SELECT query, as SPARQL JSON term objects (for the service's own pages)."""
        answer = self.evaluate(self.prepare(text), media_type=RESULTS_DEFAULT,  # type: ignore[attr-defined]
                               timeout=timeout, capped=False)
        return json.loads(answer.body)["results"]["bindings"]


class QueryEngine(SelectsBindings):
    """Oxigraph's SPARQL engine over one dataset: prepare (screen) a query, then evaluate it in a worker."""

    def __init__(self, nquads: bytes | Path, workers: int = WORKERS, timeout: float = QUERY_TIMEOUT,
                 max_rows: int | None = MAX_ROWS, worker_memory_mb: int | None = WORKER_MEMORY_MB,
                 max_depth: int = MAX_NESTING_DEPTH, max_operators: int = MAX_OPERATORS):
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_depth = max_depth
        self.max_operators = max_operators
        self.worker_memory_mb = worker_memory_mb
        try:
            self._pool = WorkerPool(nquads, workers, worker_memory_mb, __name__)
        except WorkerFailure as error:
            raise EngineFailure(str(error)) from None

    @classmethod
    def from_dataset(cls, dataset, **options) -> QueryEngine:
        """An engine over an rdflib Dataset (its named graphs; their merge as default graph)."""
        return cls(dataset.serialize(format="nquads", encoding="utf-8"), **options)

    @classmethod
    def from_build(cls, build: Path, **options) -> QueryEngine:
        """An engine over a store_cache build (named graphs, and their merge as default graph): its on-disk
        store (a folder), which every worker opens read-only, through hard links of this process's own; or its
        N-Quads file, which the store holder loads into memory."""
        build = Path(build)
        if build.is_dir():
            from ..store_cache import serving_copy

            return cls(serving_copy(build), **options)
        return cls(build, **options)

    def prepare(self, text: str) -> ScreenedQuery:
        """The query, screened; raises a QueryError saying why it cannot be evaluated here."""
        return screen_query(text, self.max_depth, self.max_operators)

    def evaluate(self, query: ScreenedQuery, default_graph_uris=(), named_graph_uris=(),
                 media_type: str | None = None, timeout: float | None = None, base_iri: str | None = None,
                 capped: bool = True) -> Answer:
        """The answer to `query`, serialised as `media_type` (default: SPARQL JSON, or Turtle for graphs).

        `capped` answers hold at most max_rows rows (TooManyResults otherwise); the service's own pages, whose
        queries it writes itself, are not capped.

        Given default or named graph IRIs (the protocol's dataset), the query sees exactly those graphs, as the
        SPARQL Protocol asks; otherwise its own FROM / FROM NAMED, or else the merge of all graphs.
        """
        if not isinstance(query, ScreenedQuery):
            raise TypeError("evaluate() takes a query from prepare()")
        names_dataset = bool(default_graph_uris or named_graph_uris)
        job = _Job(query.text, base_iri,
                   tuple(default_graph_uris) if names_dataset else None,
                   tuple(named_graph_uris) if names_dataset else None,
                   media_type, self.max_rows if capped else None)
        limit = self.timeout if timeout is None else timeout
        try:
            kind, *payload = self._pool.run(tuple(vars(job).values()), limit)  # fields in order
        except WorkersBusy:
            raise EngineBusy(f"all {self._pool.size} query workers stayed busy for {limit:g} seconds; "
                             "try again shortly") from None
        except WorkerOutOfMemory:
            raise self._out_of_memory() from None
        except WorkerStopped:
            raise EngineFailure("the query engine stopped while answering this query") from None
        if kind == "answer":
            return Answer(*payload)
        if kind == "memory":
            raise self._out_of_memory()
        if kind == "timeout":
            raise QueryTimeout(f"the query ran longer than {limit:g} seconds and was stopped: narrow it (a LIMIT, "
                               "more specific patterns) or split it")
        raise _ERRORS[kind](*payload)

    def _out_of_memory(self) -> QueryOutOfMemory:
        cap = f"the {self.worker_memory_mb} MiB" if self.worker_memory_mb else "the"
        return QueryOutOfMemory(f"the query needed more than {cap} memory a query worker may use, and was stopped: "
                                "narrow it (a LIMIT, more specific patterns, no ORDER BY over many rows); the "
                                "service's operator sets the cap with her2graph serve --worker-memory-mb")

    @property
    def workers_isolated(self) -> bool:
        """Whether the workers run without network access."""
        return self._pool.isolated

    def status(self) -> dict:
        return self._pool.status()

    def close(self) -> None:
        self._pool.close()


_ERRORS = {"syntax": QuerySyntaxError, "too-many": TooManyResults, "not-representable": NotRepresentable,
           "unsupported": UnsupportedFunction, "failure": EngineFailure}


def _answer(store: pyoxigraph.Store, message: tuple) -> tuple:
    """A worker's reply to a job: ("answer", body, media type), or an error's kind and message."""
    job = _Job(*message)
    options = {}
    if job.default_graph_uris is not None:
        options["default_graph"] = [pyoxigraph.NamedNode(iri) for iri in job.default_graph_uris]
        options["named_graphs"] = [pyoxigraph.NamedNode(iri) for iri in job.named_graph_uris]
    try:
        result = store.query(job.query, base_iri=job.base_iri, **options)
        return ("answer", *_serialised(result, job.media_type, job.max_rows))
    except SyntaxError as error:
        return ("syntax", f"the query is not valid SPARQL: {one_line(error)}")
    except _TooManyLines:
        return ("too-many", f"the answer has more than {job.max_rows} rows, the most this service gives at once: "
                            "add LIMIT (and OFFSET to page through it)")
    except _Unwritable as error:
        return ("not-representable", str(error))
    except MemoryError:  # the engine words the answer: it knows the cap
        return ("memory",)
    except RuntimeError as error:
        if str(error).startswith("The custom function"):
            return ("unsupported", f"{one_line(error)}: this service has the functions of SPARQL 1.1 only")
        return ("failure", f"{type(error).__name__}: {one_line(error)}")
    except Exception as error:  # an engine error no query should cause: the web process logs it as a 500
        return ("failure", f"{type(error).__name__}: {one_line(error)}")


class _TooManyLines(Exception):
    pass


class _Unwritable(Exception):
    pass


def _serialised(result, media_type: str | None, max_rows: int | None) -> tuple[bytes, str]:
    if isinstance(result, pyoxigraph.QueryTriples):
        media_type = media_type if _rdf_format(media_type) else GRAPH_DEFAULT
        rdf_format = _rdf_format(media_type)
        lines = (result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) if max_rows is None else
                 _capped_lines(lambda out: result.serialize(out, format=pyoxigraph.RdfFormat.N_TRIPLES), max_rows))
        return _written(lambda: ordered_graph(lines, rdf_format), media_type), media_type
    media_type = media_type if _results_format(media_type) else RESULTS_DEFAULT
    results_format = _results_format(media_type)
    if isinstance(result, pyoxigraph.QueryBoolean) or max_rows is None:
        return result.serialize(format=results_format), media_type
    table = _capped_lines(lambda out: result.serialize(out, format=pyoxigraph.QueryResultsFormat.TSV), max_rows + 1)
    if results_format == pyoxigraph.QueryResultsFormat.TSV:
        return table, media_type
    solutions = pyoxigraph.parse_query_results(table, format=pyoxigraph.QueryResultsFormat.TSV)
    return solutions.serialize(format=results_format), media_type


def _rdf_format(media_type: str | None):
    return pyoxigraph.RdfFormat.from_media_type(media_type) if media_type else None


def _results_format(media_type: str | None):
    return pyoxigraph.QueryResultsFormat.from_media_type(media_type) if media_type else None


def _written(serialise, media_type: str) -> bytes:
    try:
        return serialise()
    except (ValueError, OSError) as error:
        raise _Unwritable(f"the answer cannot be written as {media_type}: {one_line(error)}; "
                          "ask for text/turtle or application/n-triples") from None


class _LineCounter(io.RawIOBase):
    """A byte sink that gives up once it has seen more than `most` lines (one line per row in TSV and N-Triples)."""

    def __init__(self, most: int):
        self.most = most
        self.lines = 0
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.lines += data.count(b"\n")
        if self.lines > self.most:
            raise _TooManyLines
        self.chunks.append(data)
        return len(data)


def _capped_lines(serialise, most: int) -> bytes:
    sink = _LineCounter(most)
    try:
        serialise(sink)
    except Exception:
        if sink.lines > sink.most:
            raise _TooManyLines from None
        raise
    return b"".join(sink.chunks)



def _open_store(source: str | bytes):
    """The store holder's store: in memory from N-Quads (bytes, or a file's path); for an on-disk store's
    folder, the function each worker opens it with after its fork (worker_pool says why)."""
    if isinstance(source, str) and Path(source).is_dir():
        return partial(pyoxigraph.Store.read_only, source)
    return store_from_build(source) if isinstance(source, str) else store_from_nquads(source)


if __name__ == "__main__":
    holder_main(int(sys.argv[1]), _open_store, _answer)
