"""Every route, every parameter, every bad value: the service answers a client's mistake with a 4xx, never a
5xx (robustness suite, on the session's real server). Also the client mistakes once answered 500."""
from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.robustness
DIRECT = {"Content-Type": "application/sparql-query"}
H2R = "https://w3id.org/her2graph/resource/"

BAD_VALUES = {"crlf": "a\r\nLocation: http://x.example/", "nul": "a\x00b", "space": "a b", "spaces": "   ",
              "empty": "", "long": "x" * 100_000, "percent": "%ZZ%", "angle": "<>\"{}|^`\\", "lone-cr": "\r",
              "unicode-space": "\u2028\u00a0", "ours-with-space": H2R + "a b", "ours-with-crlf": H2R + "a\r\nb",
              "ours-long": H2R + "x" * 50_000, "nul-in-ours": H2R + "\x00"}
PATHS = ["/", "/sparql", "/void", "/.well-known/void", "/health", "/docs/ontology", "/docs/ontology.html", "/ontology",
         "/resource/lapatinib", "/ontology/Drug", "/graph/facts", "/neighbourhood", "/page", "/search",
         "/favicon.ico", "/assets/graph-view.js"]
PARAMETERS = ["query", "iri", "q", "format", "output", "results", "default-graph-uri", "named-graph-uri", "update"]
PATH_ROUTES = ["/resource/", "/ontology/", "/graph/", "/assets/", "/docs/"]


def assert_not_a_fault(response):
    assert response.status_code < 500, f"{response.request.method} {response.request.url[:200]}: " \
                                        f"{response.status_code} {response.text[:200]}"
    assert "Traceback" not in response.text


READS_PARAMETERS = {"/", "/sparql", "/neighbourhood", "/page", "/search", "/resource/lapatinib", "/ontology",
                    "/graph/facts"}
"""The routes whose handlers read parameters: each parameter is walked alone there; elsewhere all at once."""


@pytest.mark.parametrize("path", PATHS)
def test_every_parameter_of_every_route_takes_bad_values_without_a_5xx(service, path):
    with requests.Session() as client:
        for value in BAD_VALUES.values():
            assert_not_a_fault(client.get(service.url + path, params={name: value for name in PARAMETERS}))
            if path in READS_PARAMETERS:
                for parameter in PARAMETERS:
                    assert_not_a_fault(client.get(service.url + path, params={parameter: value}))
        assert_not_a_fault(client.post(service.url + path, data={"query": BAD_VALUES["crlf"], "iri": "\x00"}))


@pytest.mark.parametrize("route", PATH_ROUTES)
def test_every_path_route_takes_bad_segments_without_a_5xx(service, route):
    with requests.Session() as client:
        for value in BAD_VALUES.values():
            segment = requests.utils.quote(value, safe="")
            assert_not_a_fault(client.get(service.url + route + segment))
            assert_not_a_fault(client.get(service.url + route + segment, headers={"Accept": "text/turtle"}))


def test_bad_header_values_get_no_5xx(endpoint):
    for name in ("Accept", "Content-Type", "Host", "Origin", "Access-Control-Request-Headers"):
        for value in ("a b", "x" * 50_000, "*/*;q=abc", "text/html;;;", "\u00e9".encode().decode("latin-1")):
            assert_not_a_fault(requests.post(endpoint, data="ASK {}", headers=DIRECT | {name: value}))


# ---------------------------------------------------------------- the mistakes once answered 500

@pytest.mark.parametrize("query", ["SELECT * { BIND(<urn:x>(1) AS ?x) }",
                                   "PREFIX fn: <http://www.w3.org/2005/xpath-functions#> "
                                   "SELECT * { BIND(fn:concat('a', 'b') AS ?x) }"])
def test_an_unknown_function_is_the_clients_mistake(endpoint, query):
    response = requests.post(endpoint, data=query, headers=DIRECT)
    assert response.status_code == 400 and "SPARQL 1.1" in response.text, response.text


def test_a_neighbourhood_of_a_non_iri_is_404(service):
    assert requests.get(service.url + "/neighbourhood", params={"iri": H2R + "a b"}).status_code == 404


def test_a_page_of_a_value_with_a_line_break_is_404_not_a_header_injection(service):
    response = requests.get(service.url + "/page", params={"iri": H2R + "lapatinib\r\nX-Injected: 1"},
                            allow_redirects=False)
    assert response.status_code == 404 and "X-Injected" not in response.headers
