"""CONSTRUCT and DESCRIBE answers written for people: each subject once, in order, and only the prefixes used."""
from __future__ import annotations

import re

import pyoxigraph
import requests
from rdflib import Graph

from her2graph.web.graph_serialisation import ordered_graph

SHUFFLED = b"""<https://w3id.org/her2graph/resource/b> <http://www.w3.org/2000/01/rdf-schema#label> "b" .
<https://w3id.org/her2graph/resource/a> <https://w3id.org/her2graph/ontology/value> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<https://w3id.org/her2graph/resource/b> <https://w3id.org/her2graph/ontology/value> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
<https://w3id.org/her2graph/resource/a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .
<https://w3id.org/her2graph/resource/a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .
"""


def _declared(turtle: str) -> set[str]:
    return set(re.findall(r"^@prefix ([\w-]*):", turtle, re.MULTILINE))


def _subjects(turtle: str) -> list[str]:
    return [line.split()[0] for line in turtle.splitlines() if line and not line[0].isspace() and not line.startswith("@")]


def test_triples_are_grouped_by_subject_in_order_and_only_used_prefixes_declared():
    turtle = ordered_graph(SHUFFLED, pyoxigraph.RdfFormat.TURTLE).decode()
    assert _subjects(turtle) == ["h2r:a", "h2r:b"]
    assert _declared(turtle) == {"h2r", "h2g", "rdfs"}  # not xsd: the numbers are written bare
    assert len(Graph().parse(data=turtle, format="turtle")) == 4


def test_a_described_resource_in_turtle_lists_each_subject_once_sorted_with_used_prefixes(endpoint):
    query = "DESCRIBE <https://w3id.org/her2graph/resource/lapatinib>"
    turtle = requests.get(endpoint, params={"query": query}, headers={"Accept": "text/turtle"}).text
    subjects = _subjects(turtle)
    assert subjects == sorted(set(subjects)) and len(subjects) >= 1
    body = re.sub(r"^@prefix.*\n", "", turtle, flags=re.MULTILINE)
    assert all(f"{prefix}:" in body for prefix in _declared(turtle))
    assert "sh" not in _declared(turtle) and "oa" not in _declared(turtle)


def test_a_construct_answer_in_turtle_is_sorted_by_subject(endpoint):
    query = ("CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/her2graph/ontology/Drug> ; ?p ?o "
             "FILTER(isLiteral(?o)) }")
    turtle = requests.get(endpoint, params={"query": query}, headers={"Accept": "text/turtle"}).text
    subjects = _subjects(turtle)
    assert len(subjects) > 3 and subjects == sorted(set(subjects))
