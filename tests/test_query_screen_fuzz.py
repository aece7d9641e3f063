"""The query screen against Oxigraph's own reading, on generated queries (robustness suite).

Each generated query hides a SERVICE clause behind a lexical corner (query_text_strategies.py). Oxigraph
evaluates it here, in the test process, with no network isolation at all, against a listener on loopback
that the query's SERVICE names: if the listener is called, Oxigraph read SERVICE, and the screen must have
refused the query. (The service's workers also leave the network; this test is the screen alone.)

HER2GRAPH_FUZZ_EXAMPLES sets how many queries are generated (default 400, about ten seconds).
"""
from __future__ import annotations

import os
import socket
import threading

import pyoxigraph
import pytest
from hypothesis import HealthCheck, example, given, settings

from her2graph.errors import QueryError
from her2graph.web.query_guard import screen_query
from query_text_strategies import queries_with_service

pytestmark = pytest.mark.robustness
EXAMPLES = int(os.environ.get("HER2GRAPH_FUZZ_EXAMPLES", "400"))


class CallCounter:
    """A loopback TCP listener that counts the connections made to it and closes each at once."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=256)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/"
        self.calls = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.calls += 1  # before close: the query cannot return before the listener has counted it
            connection.close()


LISTENER = CallCounter()
STORE = pyoxigraph.Store()


def oxigraph_calls_out(query: str) -> bool:
    before = LISTENER.calls
    try:
        STORE.query(query)
    except SyntaxError:
        return False
    except Exception:  # the call failed (the listener hung up): it was made all the same
        pass
    return LISTENER.calls > before


def screen_refuses(query: str) -> bool:
    try:
        screen_query(query)
    except QueryError:
        return True
    return False


def wrapped(body: str) -> str:
    return f"PREFIX : <{LISTENER.url}> PREFIX ex: <{LISTENER.url}>\nSELECT * WHERE {{ {body}\n}}"


# Each of these passed the screen and called out before the fix (issue 13, and escapes found by this test).
KNOWN_BYPASSES = ["BIND((EXISTS{}<1)AS?x)SERVICE:#>\n{}", "FILTER(NOT EXISTS{}<true)SERVICE:#>\n{}",
                  "?s ?p ex:a\\# . SERVICE : {}", "?s ?p ex:a\\' . SERVICE : {}",
                  "VALUES ?z {ex:a\\#}SERVICE ex:#<\n{}"]


@pytest.mark.parametrize("body", KNOWN_BYPASSES)
def test_each_known_bypass_calls_out_in_oxigraph_and_is_refused_by_the_screen(body):
    query = wrapped(body)
    assert oxigraph_calls_out(query), "the case no longer reaches SERVICE in Oxigraph: it tests nothing"
    assert screen_refuses(query)


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(queries_with_service(LISTENER.url))
@example(wrapped(KNOWN_BYPASSES[0]))
def test_every_query_oxigraph_reads_with_service_is_refused_by_the_screen(query):
    if oxigraph_calls_out(query):
        assert screen_refuses(query), f"Oxigraph called SERVICE but the screen let it through:\n{query}"
