"""SHACL run as SPARQL on Oxigraph (shacl_sparql) gives the report pySHACL, the reference, gives: on the shipped
graph, on randomly damaged copies of it (whatever shapes/ holds), on every seeded case of test_shapes (its
`validate` fixture compares the two), and it hands shapes it cannot run to pySHACL."""
from __future__ import annotations

import random
from decimal import Decimal

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import Namespace
from rdflib.namespace import RDF

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes attributes

from her2graph.namespaces import GRAPH, H2G, H2R, SH
from her2graph.shacl_sparql import CompiledShapes, UnsupportedShapes
from her2graph.validation import load_shapes, validate_dataset, validate_dataset_with_pyshacl, validate_fast, \
    validate_graph
from report_comparison import differences

DAMAGED_COPIES = 6


@pytest.fixture(scope="module")
def ontology(dataset):
    return dataset.graph(GRAPH.ontology)


@pytest.fixture(scope="module")
def shapes(ontology):
    return load_shapes(ontology)


def test_the_shipped_graph_has_the_same_report_from_both_engines(dataset):
    assert not differences(validate_dataset(dataset), validate_dataset_with_pyshacl(dataset))


@pytest.mark.parametrize("seed", range(DAMAGED_COPIES))
def test_a_randomly_damaged_graph_has_the_same_report_from_both_engines(graph, shapes, ontology, seed):
    """Triples removed, objects moved to other subjects, numbers changed: whatever the shapes check, both
    engines must see the same defects. An object moves only where one of its kind was (a literal of the same
    datatype, or a node): a string compared with a number is where the engines are known to differ (below)."""
    damaged = Graph() + graph
    chosen = random.Random(seed)
    triples = sorted(damaged, key=str)
    for triple in chosen.sample(triples, 12):
        damaged.remove(triple)
    for subject, predicate, value in chosen.sample(triples, 8):
        kind = _kind(value)
        damaged.add((subject, predicate, chosen.choice([other for _, _, other in triples if _kind(other) == kind])))
    numbers = [t for t in triples if isinstance(t[2], Literal) and isinstance(t[2].value, (int, Decimal))]
    for subject, predicate, value in chosen.sample(numbers, 4):
        number = value.value
        damaged.set((subject, predicate, Literal(str(-number if chosen.random() < 0.5 else number * 3),
                                                 datatype=value.datatype)))
    report = validate_graph(damaged, shapes, ontology)
    assert not report.conforms  # the damage is seen at all
    difference = differences(validate_fast(damaged, shapes, ontology), report)
    assert not difference, difference


def _kind(term):
    return term.datatype or term.language or "string" if isinstance(term, Literal) else "node"


def test_shapes_the_engine_cannot_run_are_validated_by_pyshacl(graph, shapes, ontology):
    xone = Graph().parse(data=f"""
        @prefix sh: <{SH}> .
        <urn:test:OneKindOfTarget> a sh:NodeShape ; sh:targetClass <{H2G.Trial}> ; sh:message "one kind"@en ;
            sh:xone ( [ sh:class <{H2G.Trial}> ] [ sh:class <{H2G.Trial}> ] ) .""", format="turtle")
    with pytest.raises(UnsupportedShapes):
        CompiledShapes(shapes + xone)
    report = validate_fast(graph, shapes + xone, ontology)
    assert {result.source_shape for result in report.results} >= {URIRef("urn:test:OneKindOfTarget")}


def test_validating_chosen_focus_nodes_gives_their_results_only(graph, shapes, ontology):
    from her2graph.shacl_sparql import DataLoader, oxigraph_term, oxigraph_triple

    damaged = Graph() + graph
    trials = sorted(damaged.subjects(RDF.type, H2G.Trial))
    for trial in trials[:2]:
        damaged.remove((trial, H2G.nctId, None))
    compiled = CompiledShapes(shapes)
    loader = DataLoader(compiled.datatype_predicates)
    loader.add(oxigraph_triple(triple) for triple in damaged + ontology)
    everything = compiled.run(loader.data)
    only_first = compiled.run(loader.data, focus_nodes=[oxigraph_term(trials[0])])
    assert set(only_first) == {finding for finding in everything if finding.focus == trials[0]}
    assert only_first


# ------------------------------------------------------------- where the engines differ, and why (pinned)

def test_oxigraph_cannot_divide_zero_by_a_decimal_that_is_not_whole():
    """Why test_shapes' zero hazard ratio may lack EstimateFarFromIntervalMidpointShape's warning here: in
    Oxigraph 0.5, 0.0 / 0.5 is an error (so FILTER drops the row), not 0. When this test fails, Oxigraph has
    fixed it: remove the engines_differ mark in test_shapes."""
    answer = pyoxigraph.Store().query("SELECT ?zero ?half WHERE { BIND (0.0 / 0.5 AS ?zero) BIND (1.0 / 2.0 AS ?half) }")
    (row,) = list(answer)
    assert row["zero"] is None and row["half"] == pyoxigraph.Literal("0.5", datatype=pyoxigraph.NamedNode(str(XSD.decimal)))


def test_rdflib_compares_a_string_with_a_number_where_sparql_does_not():
    """Why test_shapes' string-typed selector offset gets Span-startBeforeEnd from pySHACL only: SPARQL 1.1
    (17.3) has no ordering of a string and a number, so "3668" >= 3798 is an error and FILTER drops the row;
    rdflib orders them. Oxigraph follows the specification."""
    query = 'SELECT ?compared WHERE { BIND ("3668" >= 3798 AS ?compared) }'
    (oxigraph_row,) = list(pyoxigraph.Store().query(query))
    assert oxigraph_row["compared"] is None
    (rdflib_row,) = list(Graph().query(query))
    assert rdflib_row.compared is not None


def test_the_shipped_warnings_name_the_numbers_as_the_source_writes_them(dataset):
    """Oxigraph stores 0.70 as 0.7; a message names the number as written, as pySHACL's does."""
    graph = Graph() + dataset.graph(GRAPH.facts)
    ratio = next(graph.subjects(H2G.estimate, None))
    graph.set((ratio, H2G.pValue, Literal("0.20", datatype=XSD.decimal)))
    graph.set((ratio, H2G.pValueRelation, H2R["p-equals"]))
    ontology = dataset.graph(GRAPH.ontology)
    shapes = load_shapes(ontology)
    report = validate_fast(graph + dataset.graph(GRAPH.provenance), shapes, ontology)
    assert any("0.20" in result.message for result in report.results)
