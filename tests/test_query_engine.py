"""The query engine (her2graph.web.engine): Oxigraph in worker processes that can be stopped and replaced."""
from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from her2graph.web.engine import EngineFailure, QueryEngine, QuerySyntaxError, QueryTimeout, TooManyResults
from her2graph.web.query_guard import ScreenedQuery

MAX_ROWS = 50


@pytest.fixture(scope="module", params=["memory", "disk"])
def engine(dataset, request):
    """The engine over the shipped graph: in memory, or on the on-disk store of its build (each worker opens it
    read-only): every test of the engine runs on both."""
    if request.param == "memory":
        engine = QueryEngine.from_dataset(dataset, workers=2, timeout=1.5, max_rows=MAX_ROWS)
    else:
        from her2graph.store_cache import built_store

        engine = QueryEngine.from_build(built_store().store, workers=2, timeout=1.5, max_rows=MAX_ROWS)
    yield engine
    engine.close()


def rows(answer) -> list[dict]:
    return json.loads(answer.body)["results"]["bindings"]


def wait_for_all_workers(engine, seconds=30):
    deadline = time.monotonic() + seconds
    while engine.status()["idle"] < engine.status()["workers"] and time.monotonic() < deadline:
        time.sleep(0.1)
    return engine.status()


def test_the_default_graph_is_the_set_merge_of_the_named_graphs():
    dataset = Dataset()
    triple = (URIRef("http://e/s"), URIRef("http://e/p"), Literal("same"))
    dataset.graph(URIRef("http://e/g1")).add(triple)
    dataset.graph(URIRef("http://e/g2")).add(triple)
    engine = QueryEngine.from_dataset(dataset, workers=1)
    try:
        count = engine.evaluate(engine.prepare("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))
        assert rows(count)[0]["n"]["value"] == "1"
        graphs = engine.evaluate(engine.prepare("SELECT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"))
        assert [row["g"]["value"] for row in rows(graphs)] == ["http://e/g1", "http://e/g2"]
    finally:
        engine.close()


@pytest.mark.parametrize("media_type, check", [
    ("application/sparql-results+json", lambda body: json.loads(body)["results"]["bindings"]),
    ("application/sparql-results+xml", lambda body: body.startswith(b"<?xml")),
    ("text/csv", lambda body: body.startswith(b"label\r\n")),
    ("text/tab-separated-values", lambda body: body.startswith(b"?label\n")),
])
def test_select_answers_in_each_results_format(engine, media_type, check):
    query = engine.prepare("SELECT ?label { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 3")
    answer = engine.evaluate(query, media_type=media_type)
    assert answer.media_type == media_type and check(answer.body)


@pytest.mark.parametrize("media_type, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld")])
def test_construct_answers_in_each_rdf_format(engine, media_type, rdflib_format):
    query = engine.prepare("CONSTRUCT WHERE { <https://w3id.org/her2graph/resource/lapatinib> ?p ?o }")
    answer = engine.evaluate(query, media_type=media_type)
    graph = Graph().parse(data=answer.body, format=rdflib_format)
    assert len(graph) > 3 and answer.media_type == media_type


def test_the_row_cap_counts_solutions_and_triples(engine):
    exactly = engine.prepare(f"SELECT ?s {{ ?s ?p ?o }} LIMIT {MAX_ROWS}")
    assert len(rows(engine.evaluate(exactly))) == MAX_ROWS
    for text in (f"SELECT ?s {{ ?s ?p ?o }} LIMIT {MAX_ROWS + 1}", "CONSTRUCT WHERE { ?s ?p ?o }"):
        with pytest.raises(TooManyResults, match=f"more than {MAX_ROWS} rows"):
            engine.evaluate(engine.prepare(text))


def test_a_syntax_error_carries_the_parsers_message(engine):
    with pytest.raises(QuerySyntaxError, match="not valid SPARQL: error at 1:19"):
        engine.evaluate(engine.prepare("SELECT * { ?s ?p }"))


def test_only_screened_queries_are_evaluated(engine):
    with pytest.raises(TypeError):
        engine.evaluate("SELECT * { ?s ?p ?o }")


def test_a_query_past_its_time_limit_is_stopped_while_other_queries_are_answered(engine):
    outcome = {}

    def long_query():
        started = time.monotonic()
        try:
            engine.evaluate(engine.prepare("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"))
        except QueryTimeout as error:
            outcome["error"], outcome["seconds"] = error, time.monotonic() - started

    running = threading.Thread(target=long_query)
    running.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert engine.evaluate(engine.prepare("ASK {}")).body == b'{"head":{},"boolean":true}'
    assert time.monotonic() - started < 1
    running.join(10)
    assert "error" in outcome and 1.4 < outcome["seconds"] < 4
    assert wait_for_all_workers(engine)["alive"] == 2
    assert engine.evaluate(engine.prepare("ASK {}")).body == b'{"head":{},"boolean":true}'


def test_workers_cannot_connect_anywhere_even_past_the_screen(engine):
    if not engine.workers_isolated:
        pytest.skip("this system does not let processes leave the network (no unprivileged network namespaces)")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1)
    port = listener.getsockname()[1]
    unscreened = ScreenedQuery(f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                               "SELECT", 2, 0)
    with pytest.raises(EngineFailure):
        engine.evaluate(unscreened)
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()


def test_the_on_disk_store_answers_every_competency_query_as_the_store_in_memory():
    from her2graph.competency_queries import competency_queries
    from her2graph.store_cache import built_store

    build = built_store()
    on_disk, in_memory = (QueryEngine.from_build(part, workers=1, timeout=30) for part in (build.store, build.nquads))
    try:
        for query in competency_queries():
            answers = [_solutions(engine.evaluate(engine.prepare(query.text))) for engine in (on_disk, in_memory)]
            assert answers[0] == answers[1], query.name
    finally:
        on_disk.close()
        in_memory.close()


def _solutions(answer) -> list:
    """The rows of an answer in an order of their own, GROUP_CONCAT's parts too (their order is the engine's)."""
    return sorted(sorted((name, term["type"], sorted(term["value"].split(", "))) for name, term in row.items())
                  for row in rows(answer))


def test_workers_on_disk_each_open_the_store_after_their_fork_and_are_never_renewed(monkeypatch):
    """RocksDB starts threads when a store is opened, and a process with threads must not fork: the store
    holder never opens it; each worker does. Reading does not make the store a worker's own copy (it is in
    the page cache), so a worker on disk is not renewed however much it answers."""
    from her2graph.store_cache import built_store
    from her2graph.web import worker_pool

    monkeypatch.setattr(worker_pool, "RENEW_CHECK_EVERY", 1)
    monkeypatch.setattr(worker_pool, "RENEW_PRIVATE_SHARE", 0)  # in memory, every answer would renew
    engine = QueryEngine.from_build(built_store().store, workers=1, timeout=30)
    try:
        holder_threads = len(list(Path(f"/proc/{engine._pool.holder_pid}/task").iterdir()))
        (worker,) = engine._pool.worker_pids()
        for number in range(3):
            engine.evaluate(engine.prepare(f"SELECT (COUNT(*) + {number} AS ?n) {{ ?s ?p ?o }}"))
        assert engine._pool.worker_pids() == [worker]
        assert holder_threads == 1
        assert len(list(Path(f"/proc/{worker}/task").iterdir())) > 2  # RocksDB's, the queries', the watch
    finally:
        engine.close()


def test_a_worker_that_cannot_open_the_on_disk_store_fails_each_query_with_the_reason(tmp_path):
    (tmp_path / "CURRENT").write_text("MANIFEST-000001\n")  # a RocksDB folder naming a manifest it lacks
    engine = QueryEngine.from_build(tmp_path, workers=1, timeout=30)
    try:
        for _ in range(2):
            with pytest.raises(EngineFailure, match="could not open the store"):
                engine.evaluate(engine.prepare("ASK {}"))
    finally:
        engine.close()


def test_oxigraph_stores_numbers_in_canonical_form_issue_526():
    """A known limit of the engine (oxigraph/oxigraph#526): numeric literals are stored by value, so a derived
    integer datatype comes back as xsd:integer and a lexical form in canonical form. Values and comparisons are
    right; the datatype IRI and lexical form may differ from the curated files. If this test fails, Oxigraph
    has changed: the service's documentation (docs/service.md) should say so."""
    dataset = Dataset()
    dataset.graph(URIRef("http://e/g")).add((URIRef("http://e/s"), URIRef("http://e/p"),
                                             Literal("0991", datatype=URIRef("http://www.w3.org/2001/XMLSchema#positiveInteger"))))
    engine = QueryEngine.from_dataset(dataset, workers=1)
    try:
        [row] = rows(engine.evaluate(engine.prepare("SELECT ?o { ?s ?p ?o }")))
        assert row["o"] == {"type": "literal", "value": "991", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    finally:
        engine.close()
