"""Reconciliation: one trial result as two sources report it, each quantity with its verdict.

The shipped sources agree (the review and the ClinicalTrials.gov records on medians, the review and the
KADCYLA label on EMILIA's medians, hazard ratios, intervals and p-values, within rounding). A second source
that printed the ref-55 study's p-value as .008 against the review's 0.08 (seeded here, as a hypothetical:
no stored copy of such a source was found) is flagged with both numbers, by the comparison, the query and a
SHACL warning.
"""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from her2graph.namespaces import H2G, H2R, OA
from her2graph.reconcile import comparisons, p_values_agree, printed_numbers_agree, reconciliation_graph
from her2graph.sssom import read_mapping_set

REF55 = H2R["trastuzumab-lapatinib-phase3-pfs-result"]


@pytest.mark.parametrize("first, second, agree", [
    ("12.0", "12.0", True), ("12.0", "12", True), ("0.65", "0.650", True), ("0.68", "0.682", True),
    ("0.55", "0.548", True), ("0.08", "0.008", False), ("8.1", "8.4", False), ("0.73", "0.74", False),
])
def test_two_printed_numbers_agree_when_rounding_can_explain_their_difference(first, second, agree):
    assert printed_numbers_agree(first, second) is agree


@pytest.mark.parametrize("first, second, agree", [
    (("<", "0.001"), ("=", "0.0006"), True), (("<", "0.001"), ("<", "0.0001"), True),
    (("<", "0.001"), ("=", "0.003"), False), (("=", "0.08"), ("=", "0.008"), False),
    (("=", "0.210"), ("=", "0.21"), True),
])
def test_p_values_agree_as_values_or_bounds(first, second, agree):
    assert p_values_agree(first, second) is agree


@pytest.fixture(scope="module")
def mapping_set():
    return read_mapping_set()


def _seed_second_source(graph: Graph, p_value: str) -> URIRef:
    """A hypothetical second source reporting the ref-55 study's PFS result with its own p-value."""
    source, span, selector = H2R["seeded-publication"], H2R["seeded-publication-span-0-10"], H2R["seeded-selector"]
    result, estimate = H2R["seeded-ref55-pfs-result"], H2R["seeded-ref55-pfs-hazard-ratio"]
    graph.add((source, RDF.type, H2G.SourceDocument))
    graph.add((source, H2G.fileName, Literal("seeded.txt")))
    graph.add((span, OA.hasSource, source))
    graph.add((span, OA.hasSelector, selector))
    graph.add((selector, OA.start, Literal(0, datatype=XSD.nonNegativeInteger)))
    graph.add((selector, OA.end, Literal(10, datatype=XSD.nonNegativeInteger)))
    graph.add((result, RDF.type, H2G.EndpointResult))
    graph.add((result, RDFS.label, Literal("seeded: PFS of the ref-55 study as a second source prints it", lang="en")))
    graph.add((result, PROV.wasDerivedFrom, span))
    for prop in (H2G.ofTrial, H2G.onEndpoint):
        graph.add((result, prop, graph.value(REF55, prop)))
    graph.add((result, H2G.hasEffectEstimate, estimate))
    for prop, value in ((H2G.estimate, "0.73"), (H2G.ciLower, "0.57"), (H2G.ciUpper, "0.93"), (H2G.pValue, p_value)):
        graph.add((estimate, prop, Literal(value, datatype=XSD.decimal)))
    graph.add((estimate, H2G.pValueRelation, H2R["p-equals"]))
    return result


def test_a_second_source_printing_p_008_is_flagged_against_the_reviews_0_08_with_both_numbers(seeded, mapping_set):
    second = _seed_second_source(seeded, "0.008")
    found = {c.quantity: c for c in comparisons(seeded, mapping_set) if second in (c.first, c.second)}
    assert {quantity: c.agree for quantity, c in found.items()} == {
        "ratio estimate": True, "confidence interval": True, "p-value": False}
    values = {found["p-value"].first_value, found["p-value"].second_value}
    assert values == {"P = 0.08", "P = 0.008"}


def test_every_comparison_is_between_two_sources_of_one_trial_and_endpoint(graph, mapping_set):
    for comparison in comparisons(graph, mapping_set):
        assert comparison.first != comparison.second
        assert graph.value(comparison.first, H2G.onEndpoint) == graph.value(comparison.second, H2G.onEndpoint)


def test_agreeing_results_are_linked_both_ways(seeded, mapping_set):
    built = reconciliation_graph(seeded, mapping_set)
    for first, second in built.subject_objects(H2G.agreesWith):
        assert (second, H2G.agreesWith, first) in built


def test_a_disagreement_is_a_shacl_warning_naming_both_numbers(seeded, mapping_set, dataset):
    from her2graph.namespaces import GRAPH, H2S
    from her2graph.validation import Severity, load_shapes, validate_graph

    _seed_second_source(seeded, "0.008")
    seeded += reconciliation_graph(seeded, mapping_set)
    report = validate_graph(seeded, load_shapes(dataset.graph(GRAPH.ontology)), dataset.graph(GRAPH.ontology))
    flagged = [result for result in report.results if result.source_shape == H2S["SourcesDisagreeShape"]]
    assert [result.severity for result in flagged] == [Severity.WARNING]
    assert "P = 0.08" in flagged[0].message and "P = 0.008" in flagged[0].message


def test_the_shipped_sources_agree_on_every_shared_quantity_and_the_served_graph_holds_the_comparisons(
        graph, mapping_set):
    from her2graph.dataset import load_dataset
    from her2graph.namespaces import GRAPH
    from her2graph.source_registry import read_registry

    found = comparisons(graph, mapping_set, [H2R[source_id] for source_id in read_registry()])
    assert len(found) == 14 and all(comparison.agree for comparison in found)
    served = load_dataset().graph(GRAPH.reconciliation)
    assert set(served.subjects(RDF.type, H2G.ResultComparison)) == {comparison.iri for comparison in found}
    assert (H2R["emilia-pfs-result"], H2G.agreesWith, H2R["emilia-pfs-result-label"]) in served
