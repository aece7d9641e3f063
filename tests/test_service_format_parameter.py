"""format= and output= on /sparql (Fuseki's and Virtuoso's habit): the answer's format named in the URL or form,
for tools that cannot set Accept; and the README's pandas example, run against the real service."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import requests
from rdflib import Graph

README = Path(__file__).resolve().parent.parent / "README.md"
SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/her2graph/ontology/Drug> } ORDER BY ?s LIMIT 3"
CONSTRUCT = "CONSTRUCT WHERE { <https://w3id.org/her2graph/resource/lapatinib> ?p ?o }"


@pytest.mark.parametrize("name, media_type", [
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"), ("json", "application/sparql-results+json"),
    ("xml", "application/sparql-results+xml"), ("text/csv", "text/csv"), ("CSV", "text/csv")])
@pytest.mark.parametrize("parameter", ["format", "output"])
def test_a_format_parameter_chooses_the_results_format_over_accept(endpoint, parameter, name, media_type):
    response = requests.get(endpoint, params={"query": SELECT, parameter: name},
                            headers={"Accept": "application/sparql-results+json;q=0.1, */*;q=0.01"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type)


@pytest.mark.parametrize("name, rdflib_format", [("turtle", "turtle"), ("ttl", "turtle"), ("ntriples", "nt"),
                                                 ("rdfxml", "xml"), ("jsonld", "json-ld"), ("json", "json-ld"),
                                                 ("xml", "xml"), ("json-ld", "json-ld"), ("rdf+xml", "xml")])
def test_a_format_parameter_chooses_the_graph_syntax(endpoint, name, rdflib_format):
    response = requests.get(endpoint, params={"query": CONSTRUCT, "format": name})
    assert response.status_code == 200
    assert len(Graph().parse(data=response.text, format=rdflib_format)) > 5


def test_a_format_parameter_works_in_a_posted_form(endpoint):
    response = requests.post(endpoint, data={"query": SELECT, "output": "tsv"})
    assert response.headers["Content-Type"].startswith("text/tab-separated-values")
    assert response.text.startswith("?s\n")


def test_a_format_the_answer_cannot_take_is_406_naming_the_choices(endpoint):
    response = requests.get(endpoint, params={"query": CONSTRUCT, "format": "csv"})
    assert response.status_code == 406
    assert "turtle" in response.text and "csv" in response.text.split(";")[0]
    assert requests.get(endpoint, params={"query": SELECT, "format": "yaml"}).status_code == 406


@pytest.mark.parametrize("params", [{"format": ["csv", "tsv"]}, {"format": "csv", "output": "json"}])
def test_formats_that_disagree_are_400(endpoint, params):
    response = requests.get(endpoint, params={"query": SELECT, **params})
    assert response.status_code == 400 and "format" in response.text


def test_formats_that_agree_are_one_format_as_sparqlwrapper_sends_them(endpoint):
    tsv = ["tsv", "text/tab-separated-values"]
    response = requests.get(endpoint, params={"query": SELECT, "format": tsv, "output": tsv, "results": tsv})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/tab-separated-values")
    response = requests.get(endpoint, params={"query": SELECT, "format": "csv", "output": ["csv", ""]})
    assert response.status_code == 200 and list(csv.reader(io.StringIO(response.text)))[0] == ["s"]


def test_the_readme_pandas_example_runs_against_the_service(service):
    pytest.importorskip("pandas")
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    example = next(block for block in blocks if "read_csv" in block)
    namespace: dict = {"print": lambda *args: None}
    exec(example.replace("http://127.0.0.1:8000", service.url), namespace)
    trials = namespace["trials"]
    assert list(trials.columns) == ["trial", "nct"] and len(trials) >= 3
    assert all(nct.startswith("NCT") for nct in trials["nct"])
