"""The answer cache: what makes two requests the same answer, its bound, and the X-Cache header on the real
service (on by default; off with --no-cache)."""
from __future__ import annotations

import uuid

import pytest
import requests

from her2graph.web.answer_cache import BoundedLru, normalised_query
from service_process import ServiceProcess

DIRECT = {"Content-Type": "application/sparql-query"}


def unique_query() -> str:
    """A query no other test sends (the comment makes its text, hence its key, new)."""
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a ?class }} # {uuid.uuid4()}"


def cache_status(endpoint, query, **options) -> str | None:
    response = requests.post(endpoint, data=query, headers=DIRECT | options.pop("headers", {}), **options)
    assert response.status_code == 200, response.text
    return response.headers.get("X-Cache")


def test_the_second_identical_request_is_a_hit(endpoint):
    query = unique_query()
    assert cache_status(endpoint, query) == "miss"
    assert cache_status(endpoint, query) == "hit"


def test_a_hit_is_the_same_answer(endpoint):
    query = unique_query()
    first = requests.post(endpoint, data=query, headers=DIRECT)
    second = requests.post(endpoint, data=query, headers=DIRECT)
    assert second.headers["X-Cache"] == "hit"
    assert (second.content, second.headers["Content-Type"]) == (first.content, first.headers["Content-Type"])


def test_another_media_type_is_another_answer(endpoint):
    query = unique_query()
    assert cache_status(endpoint, query) == "miss"
    assert cache_status(endpoint, query, headers={"Accept": "text/csv"}) == "miss"
    assert cache_status(endpoint, query, headers={"Accept": "text/csv"}) == "hit"


def test_another_dataset_is_another_answer(endpoint):
    query = unique_query()
    facts = "https://w3id.org/her2graph/graph/facts"
    assert cache_status(endpoint, query) == "miss"
    assert cache_status(endpoint, query, params={"default-graph-uri": facts}) == "miss"
    assert cache_status(endpoint, query, params={"named-graph-uri": facts}) == "miss"
    assert cache_status(endpoint, query, params={"default-graph-uri": facts}) == "hit"


def test_the_same_query_by_get_form_or_body_is_one_answer(endpoint):
    query = unique_query()
    assert cache_status(endpoint, query) == "miss"
    by_get = requests.get(endpoint, params={"query": query})
    by_form = requests.post(endpoint, data={"query": query})
    assert by_get.headers["X-Cache"] == by_form.headers["X-Cache"] == "hit"


def test_errors_are_not_kept(endpoint):
    query = f"SELECT * WHERE {{ ?s ?p }} # {uuid.uuid4()}"
    for _ in range(2):
        response = requests.post(endpoint, data=query, headers=DIRECT)
        assert response.status_code == 400 and "X-Cache" not in response.headers


def test_no_cache_keeps_no_answers(tmp_path):
    running = ServiceProcess("--no-cache", log_path=tmp_path / "serve.log")
    try:
        endpoint = running.url + "/sparql"
        query = unique_query()
        assert cache_status(endpoint, query) is None and cache_status(endpoint, query) is None
        assert "answer_cache" not in requests.get(running.url + "/health").json()
    finally:
        running.stop()


def test_health_counts_hits_and_misses(service, endpoint):
    query = unique_query()
    before = requests.get(service.url + "/health").json()["answer_cache"]
    cache_status(endpoint, query)
    cache_status(endpoint, query)
    after = requests.get(service.url + "/health").json()["answer_cache"]
    assert after["hits"] >= before["hits"] + 1 and after["misses"] >= before["misses"] + 1


def test_a_replayed_response_is_the_response_the_app_gave(endpoint):
    query = unique_query()
    first = requests.get(endpoint, params={"query": query}, headers={"Accept": "text/csv"})
    again = requests.get(endpoint, params={"query": query}, headers={"Accept": "text/csv"})
    assert (first.headers["X-Cache"], again.headers["X-Cache"]) == ("miss", "hit")
    assert again.status_code == first.status_code == 200 and again.content == first.content
    ignored = {"Date", "X-Cache"}
    assert {k: v for k, v in again.headers.items() if k not in ignored} == \
        {k: v for k, v in first.headers.items() if k not in ignored}


def test_the_host_a_request_names_is_part_of_the_key_since_relative_iris_resolve_against_it(endpoint):
    query = f"SELECT ?x {{ BIND(<relative> AS ?x) }} # {uuid.uuid4()}"
    for _ in range(2):
        for host in ("a.example", "b.example"):
            response = requests.post(endpoint, data=query, headers=DIRECT | {"Host": host})
            assert response.json()["results"]["bindings"][0]["x"]["value"] == f"http://{host}/relative"


def test_what_is_not_a_query_answer_is_never_replayed(endpoint):
    for _ in range(2):
        description = requests.get(endpoint, headers={"Accept": "text/turtle"})
        assert description.status_code == 200 and "X-Cache" not in description.headers
        too_large = requests.post(endpoint, data="#" * 2_000_000 + "\nASK {}", headers=DIRECT)
        assert too_large.status_code == 413


# ---------------------------------------------------------------- the key and the bound

@pytest.mark.parametrize("one, other", [("ASK { ?s  ?p\t?o }", "ASK { ?s ?p ?o }"),
                                        ("  ASK {\n  ?s ?p ?o }\n", "ASK {\r\n?s ?p ?o }"),
                                        ("ASK\t{ ?s ?p ?o } ", "ASK { ?s ?p ?o }")])
def test_whitespace_outside_strings_does_not_change_the_key(one, other):
    assert normalised_query(one) == normalised_query(other)


def test_a_line_break_is_kept_since_it_ends_a_comment():
    assert normalised_query("ASK { # note\n ?s ?p ?o }") != normalised_query("ASK { # note ?s ?p ?o }")


def test_a_query_with_strings_is_kept_as_written():
    assert normalised_query('ASK { ?s ?p "a  b" }') != normalised_query('ASK { ?s ?p "a b" }')
    assert normalised_query("ASK { ?s ?p 'a\tb' }") != normalised_query("ASK { ?s ?p 'a b' }")


def test_the_lru_is_bounded_by_the_size_of_its_values():
    lru = BoundedLru(max_size=10)
    lru.put("a", "A", 4)
    lru.put("b", "B", 4)
    assert lru.get("a") == "A"  # a is now the most recently used
    lru.put("c", "C", 4)
    assert lru.get("b") is None and lru.get("a") == "A" and lru.get("c") == "C"
    assert lru.size <= 10


# ---------------------------------------------------------------- different queries never share an entry

@pytest.mark.parametrize("one, other", [
    ("ASK { ?s ?p <http://a/\u2003x> }", "ASK { ?s ?p <http://a/\u00a0x> }"),
    ("ASK\u00a0{}", "ASK {}"),
    ("ASK {}\u2028", "ASK {}"),
    ("ASK { ?s ?p \\u0022a  b\\u0022 }", "ASK { ?s ?p \\u0022a b\\u0022 }"),
    ("ASK {\x0b}", "ASK { }"),
])
def test_queries_that_differ_by_more_than_sparql_white_space_have_different_keys(one, other):
    assert normalised_query(one) != normalised_query(other)


def test_iris_that_differ_by_a_unicode_space_get_their_own_answers(endpoint):
    tag = uuid.uuid4().hex
    answers = {}
    for space in ("\u00a0", "\u2003", "\u2009"):
        query = f"SELECT ?x {{ BIND(<http://example.org/{tag}{space}x> AS ?x) }}"
        response = requests.post(endpoint, data=query.encode(), headers=DIRECT)
        assert response.status_code == 200, response.text
        answers[space] = response.json()["results"]["bindings"][0]["x"]["value"]
    assert answers == {space: f"http://example.org/{tag}{space}x" for space in answers}


def test_a_query_the_parser_refuses_is_refused_even_when_a_valid_look_alike_is_cached(endpoint):
    tag = uuid.uuid4().hex
    valid = f"ASK {{ ?s ?p ?o }} # {tag}"
    assert cache_status(endpoint, valid) == "miss" and cache_status(endpoint, valid) == "hit"
    look_alike = valid.replace("ASK {", "ASK\u00a0{")
    response = requests.post(endpoint, data=look_alike.encode(), headers=DIRECT)
    assert response.status_code == 400 and "X-Cache" not in response.headers


@pytest.mark.parametrize("expression", ["NOW()", "RAND()", "UUID()", "STRUUID()", "BNODE()", "rand ()",
                                        "STR(uuid())"])
def test_answers_that_change_with_each_evaluation_are_never_kept(endpoint, expression):
    query = f"SELECT ?x {{ BIND({expression} AS ?x) }} # {uuid.uuid4()}"
    bodies = []
    for _ in range(3):
        response = requests.post(endpoint, data=query, headers=DIRECT)
        assert response.status_code == 200 and "X-Cache" not in response.headers, response.headers
        bodies.append(response.json()["results"]["bindings"][0]["x"]["value"])
    if expression != "NOW()":  # three NOW()s in a row may fall in one clock tick
        assert len(set(bodies)) == 3, bodies


def test_replayed_responses_count_every_byte_of_their_keys():
    """Distinct long Accept headers: each response may be kept, but its key's bytes count against the budget."""
    import io

    from her2graph.web.response_replay import ResponseReplay

    def answered(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-Cache", "miss")])
        return [b"yes"]

    responses = BoundedLru(max_size=1024 * 1024)
    replay = ResponseReplay(answered, responses, max_body=1024)
    for index in range(50):
        environ = {"PATH_INFO": "/sparql", "REQUEST_METHOD": "GET", "QUERY_STRING": "query=ASK+%7B%7D",
                   "HTTP_ACCEPT": f"text/x-{index}-" + "a" * 20_000, "wsgi.input": io.BytesIO()}
        assert replay(environ, lambda status, headers, exc_info=None: None) == [b"yes"]
    held = sum(len(part) for key in responses._entries for part in key if isinstance(part, (str, bytes)))
    assert held <= responses.size <= responses.max_size


def test_a_replay_key_longer_than_the_cap_is_not_kept():
    import io

    from her2graph.web.answer_cache import LONGEST_KEY
    from her2graph.web.response_replay import ResponseReplay

    def answered(environ, start_response):
        start_response("200 OK", [("X-Cache", "miss")])
        return [b"yes"]

    responses = BoundedLru(max_size=64 * 1024 * 1024)
    replay = ResponseReplay(answered, responses, max_body=1024)
    environ = {"PATH_INFO": "/sparql", "REQUEST_METHOD": "GET", "QUERY_STRING": "q=" + "a" * LONGEST_KEY,
               "wsgi.input": io.BytesIO()}
    replay(environ, lambda status, headers, exc_info=None: None)
    assert len(responses) == 0
