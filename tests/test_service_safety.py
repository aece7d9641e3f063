"""Safe for the open web: each protection of the service, proved against the real server on loopback."""
from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import QUERY_TIMEOUT
from service_process import wait_until

DIRECT = {"Content-Type": "application/sparql-query"}
UPDATE = {"Content-Type": "application/sparql-update"}
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""About 10^10 rows to count on this graph: it runs far past any time limit."""
MAX_BODY = 1_048_576
MAX_ROWS = 10_000


class Listener:
    """A local TCP socket that records every connection made to it (none should be)."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/"
        self.connections = 0
        self._open = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while self._open:
            try:
                connection, _ = self.socket.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self):
        time.sleep(0.3)
        self._open = False
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def healthy(service) -> dict:
    response = requests.get(service.url + "/health")
    return response.json() if response.status_code == 200 else {}


def assert_no_inside_details(response):
    for leak in ("Traceback", "File \"", "/work/", ".py", "site-packages", "Exception"):
        assert leak not in response.text, response.text


# ---------------------------------------------------------------- read-only

def test_sparql_update_is_refused_and_changes_nothing(endpoint):
    before = requests.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    for body, headers in (("INSERT DATA { <http://e/s> <http://e/p> 1 }", UPDATE), ("DROP ALL", UPDATE),
                          ("update=DELETE+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D", {"Content-Type": "application/x-www-form-urlencoded"})):
        response = requests.post(endpoint, data=body, headers=headers)
        assert response.status_code == 403 and "read-only" in response.text
    after = requests.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).json()
    assert before == after


def test_update_text_sent_as_a_query_is_400_naming_read_only(endpoint):
    response = requests.post(endpoint, data="INSERT DATA { <http://e/s> <http://e/p> 1 }", headers=DIRECT)
    assert response.status_code == 400 and "read-only" in response.text


# ---------------------------------------------------------------- no outbound connection, no file read

@pytest.mark.parametrize("pattern", [
    "SERVICE <{url}> {{ ?s ?p ?o }}",
    "SERVICE SILENT <{url}> {{ ?s ?p ?o }}",
    "?s ?p ?o . FILTER(1<2)SERVICE <{url}>{{ ?s ?p ?o }}",
    "?s ?p 1SERVICE <{url}>{{}}",
])
def test_service_is_refused_and_nothing_is_contacted(endpoint, listener, pattern):
    query = "SELECT * WHERE { " + pattern.format(url=listener.url) + " }"
    response = requests.post(endpoint, data=query, headers=DIRECT)
    assert response.status_code == 403 and "SERVICE" in response.text
    listener.close()
    assert listener.connections == 0


def test_load_is_refused_and_nothing_is_contacted(endpoint, listener):
    as_update = requests.post(endpoint, data=f"LOAD <{listener.url}>", headers=UPDATE)
    as_query = requests.get(endpoint, params={"query": f"LOAD <{listener.url}>"})
    assert as_update.status_code == 403 and as_query.status_code == 400
    listener.close()
    assert listener.connections == 0


def test_from_and_graph_name_graphs_without_fetching_them(endpoint, listener):
    for query in (f"ASK FROM <{listener.url}> {{ ?s ?p ?o }}", f"ASK {{ GRAPH <{listener.url}> {{ ?s ?p ?o }} }}",
                  f"DESCRIBE <{listener.url}>"):
        assert requests.get(endpoint, params={"query": query}).status_code == 200
    default = requests.get(endpoint, params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": listener.url})
    assert default.json()["boolean"] is False
    listener.close()
    assert listener.connections == 0


def test_files_are_not_read(endpoint):
    for query in ("ASK FROM <file:///etc/passwd> { ?s ?p ?o }", "DESCRIBE <file:///etc/passwd>"):
        response = requests.get(endpoint, params={"query": query})
        assert response.status_code == 200 and "root:" not in response.text
    response = requests.get(endpoint, params={"query": "SELECT * { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"})
    assert response.status_code == 403


def test_query_workers_are_cut_off_from_the_network_where_the_system_allows(service):
    if not healthy(service)["isolated"]:
        pytest.skip("no unprivileged network namespaces here: SERVICE is refused by the query screen alone")
    assert healthy(service)["isolated"] is True


# ---------------------------------------------------------------- time limit

def test_a_query_past_the_time_limit_is_stopped_while_the_service_answers_others(service, endpoint):
    outcome = {}

    def long_query():
        started = time.monotonic()
        outcome["response"] = requests.get(endpoint, params={"query": CROSS_JOIN}, timeout=60)
        outcome["seconds"] = time.monotonic() - started

    running = threading.Thread(target=long_query)
    running.start()
    time.sleep(0.5)
    meanwhile = time.monotonic()
    assert requests.get(endpoint, params={"query": "ASK {}"}).json()["boolean"] is True
    assert time.monotonic() - meanwhile < 1
    running.join(60)
    response = outcome["response"]
    assert response.status_code == 503
    assert f"longer than {QUERY_TIMEOUT} seconds" in response.text and "Retry-After" not in response.headers
    assert QUERY_TIMEOUT <= outcome["seconds"] < QUERY_TIMEOUT + 3
    assert requests.get(endpoint, params={"query": "ASK {}"}).json()["boolean"] is True
    assert wait_until(lambda: healthy(service).get("idle") == healthy(service).get("workers"), 30)
    assert "stopping query worker" in service.log


# ---------------------------------------------------------------- queries that would crash the engine

def test_deeply_nested_groups_are_refused_before_the_engine(service, endpoint):
    workers_before = sorted(service.worker_pids())
    for query in ("SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000,
                  "SELECT * { BIND(" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) }",
                  "SELECT * { ?s ?p ?o FILTER(" + "EXISTS { ?s ?p ?o FILTER(" * 1000 + "true" + ") }" * 1000 + ") }"):
        response = requests.post(endpoint, data=query, headers=DIRECT)
        assert response.status_code == 400 and "deep" in response.text
    assert sorted(service.worker_pids()) == workers_before


def test_long_operator_chains_are_refused_before_the_engine(service, endpoint):
    workers_before = sorted(service.worker_pids())
    for query in ("SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * 20000) + " }",
                  "SELECT * { ?s ?p ?o " + " ".join(["OPTIONAL { ?s ?p ?o }"] * 5000) + " }",
                  "SELECT * { ?s ?p ?o FILTER(" + "!" * 60000 + "true) }"):
        response = requests.post(endpoint, data=query, headers=DIRECT)
        assert response.status_code == 400 and "at most" in response.text
    assert sorted(service.worker_pids()) == workers_before


# ---------------------------------------------------------------- size limits

def test_answers_over_the_row_cap_are_refused_with_advice(endpoint):
    for query in ("SELECT * { ?a ?b ?c . ?d ?e ?f }", "CONSTRUCT { ?a ?b ?d } WHERE { ?a ?b ?c . ?d ?e ?f }"):
        response = requests.get(endpoint, params={"query": query})
        assert response.status_code == 422 and f"more than {MAX_ROWS} rows" in response.text
        assert "LIMIT" in response.text
    response = requests.get(endpoint, params={"query": f"SELECT * {{ ?a ?b ?c . ?d ?e ?f }} LIMIT {MAX_ROWS}"})
    assert len(response.json()["results"]["bindings"]) == MAX_ROWS


def test_a_body_over_the_size_cap_is_413(endpoint):
    padding = "# " + "x" * MAX_BODY + "\nASK {}"
    response = requests.post(endpoint, data=padding.encode(), headers=DIRECT)
    assert response.status_code == 413 and f"{MAX_BODY} bytes" in response.text
    form = requests.post(endpoint, data={"query": padding})
    assert form.status_code == 413


def test_a_body_far_over_the_cap_is_413_without_being_read_whole(endpoint):
    response = requests.post(endpoint, data=b"x" * (8 * MAX_BODY), headers=DIRECT)
    assert response.status_code == 413


def test_a_body_just_under_the_cap_is_answered(endpoint):
    query = "# " + "x" * (MAX_BODY - 100) + "\nASK {}"
    assert requests.post(endpoint, data=query.encode(), headers=DIRECT).json()["boolean"] is True


# ---------------------------------------------------------------- malformed input of any kind

def test_bad_utf8_is_400(endpoint):
    response = requests.post(endpoint, data=b"ASK { ?s ?p \"\xff\xfe\" }", headers=DIRECT)
    assert response.status_code == 400 and "not UTF-8" in response.text


def test_a_huge_iri_is_4xx(endpoint):
    huge = "http://example.org/" + "x" * 100_000
    in_body = requests.post(endpoint, data=f"ASK {{ <{huge}> ?p ?o }}", headers=DIRECT)
    assert in_body.status_code == 400 and "IRI" in in_body.text
    as_parameter = requests.post(endpoint, params={"default-graph-uri": huge}, data="ASK {}", headers=DIRECT)
    assert 400 <= as_parameter.status_code < 500
    in_url = requests.get(endpoint, params={"query": f"ASK {{ <{huge * 3}> ?p ?o }}"})
    assert 400 <= in_url.status_code < 500


GARBAGE = [
    os.urandom(4096),
    b"\x00" * 1000,
    b"SELECT * WHERE { ?s ?p ?o \x00 }",
    "SELECT * WHERE { ?s ?p \"\u202e\ud7ff\ufeff\" }".encode(),
    b"{" * 100_000,
    b"(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
    b"<" * 50_000 + b">" * 50_000,
    b"\"" * 10_001,
    b"PREFIX : <" + b"a" * 5000 + b"> SELECT * {}",
    "SELECT * { ?s ?p '''\\".encode(),
    b"\xef\xbb\xbfASK {}",
    b"SELECT * { ?s ?p ?o } LIMIT 99999999999999999999999999999999",
    b"SELECT (REPLACE(\"a\", \"(\", \"b\") AS ?x) {}",
]


@pytest.mark.parametrize("body", GARBAGE, ids=range(len(GARBAGE)))
def test_malformed_input_gets_a_4xx_without_inside_details(service, endpoint, body):
    response = requests.post(endpoint, data=body, headers=DIRECT)
    assert 200 <= response.status_code < 500, response.text
    assert_no_inside_details(response)
    assert healthy(service)["alive"] == 2


def test_malformed_requests_get_a_4xx_without_inside_details(service, endpoint):
    for response in (requests.get(endpoint + "?query=%ZZ"),
                     requests.get(endpoint, params={"query": "SELECT"}),
                     requests.post(endpoint, data=b"query=%", headers={"Content-Type": "application/x-www-form-urlencoded"}),
                     requests.get(service.url + "/nothing-here"),
                     requests.get(service.url + "/resource/" + "%00" * 10)):
        assert 400 <= response.status_code < 500, response.text
        assert_no_inside_details(response)


# ---------------------------------------------------------------- many clients at once

def test_concurrent_clients_each_get_their_own_answer(endpoint):
    def one(index: int):
        query = f"SELECT ?x {{ BIND({index} AS ?x) }}"
        response = requests.post(endpoint, data=query, headers=DIRECT, timeout=30)
        return index, int(response.json()["results"]["bindings"][0]["x"]["value"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(one, range(200)))
    assert all(index == value for index, value in answers)


def test_concurrent_clients_of_every_kind_are_served(endpoint, service):
    requests_to_make = [
        lambda: requests.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}),
        lambda: requests.get(endpoint, params={"query": "CONSTRUCT WHERE { ?s a ?c } LIMIT 50"},
                             headers={"Accept": "application/ld+json"}),
        lambda: requests.get(service.url + "/resource/lapatinib", headers={"Accept": "text/html"}),
        lambda: requests.get(service.url + "/void"),
        lambda: requests.get(endpoint, params={"query": "ASK {"}),
    ]
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda index: requests_to_make[index % 5]().status_code, range(100)))
    assert statuses == [200, 200, 200, 200, 400] * 20


# ---------------------------------------------------------------- cross-origin

def test_every_answer_may_be_read_from_another_origin(endpoint, service):
    for response in (requests.get(endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"}),
                     requests.get(endpoint, params={"query": "ASK {"}, headers={"Origin": "https://yasgui.example"}),
                     requests.get(service.url + "/resource/lapatinib", headers={"Origin": "https://x.example"})):
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_cors_preflight_allows_post_with_a_sparql_body(endpoint):
    response = requests.options(endpoint, headers={"Origin": "https://yasgui.example",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()


def test_a_cors_preflight_answers_a_fixed_header_list_rather_than_an_echo(endpoint):
    response = requests.options(endpoint, headers={"Origin": "https://yasgui.example",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "x-evil, authorization"})
    assert response.headers["Access-Control-Allow-Headers"] == "Accept, Content-Type"


def test_every_response_has_a_referrer_policy(endpoint, service):
    for response in (requests.get(service.url + "/"), requests.get(endpoint, params={"query": "ASK {}"}),
                     requests.get(endpoint, params={"query": "ASK {"}), requests.get(service.url + "/nothing")):
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
