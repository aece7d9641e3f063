"""A second source in the graph: its spans and references never share an IRI with the review's, a second
enrolment it states for a trial is a warning to reconcile and not an OWL inconsistency, and the review
names what a reader needs to cite it."""
from __future__ import annotations

import shutil

import pytest
from rdflib import Literal, Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from her2graph.consistency import check_consistency
from her2graph.namespaces import GRAPH, H2G, H2R, H2S, OA
from her2graph.validation import Severity, load_shapes, validate_graph

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SECOND = H2R["ctgov-nct00078572-record"]
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java, which is not installed")


def span_of(document, start, end):
    return H2R[f"{document.rsplit('/', 1)[-1]}-span-{start}-{end}"]


def add_second_source(graph, start=39, end=123, span_name=None):
    """A second document with one span at `start`-`end` and one statement: NCT00078572 enrolled 399."""
    graph.add((SECOND, RDF.type, H2G.SourceDocument))
    graph.add((SECOND, RDF.type, OWL.NamedIndividual))
    graph.add((SECOND, RDFS.label, Literal("ClinicalTrials.gov results record of NCT00078572", lang="en")))
    graph.add((SECOND, H2G.fileName, Literal("nct00078572.txt")))
    graph.add((SECOND, H2G.sha256, Literal("0" * 64)))
    span = span_name or span_of(str(SECOND), start, end)
    selector = H2R[str(span).rsplit("/", 1)[-1] + "-selector"]
    for node, kinds in ((span, (H2G.SourceSpan, OA.SpecificResource)), (selector, (H2G.SpanSelector, OA.TextPositionSelector))):
        for kind in kinds + (OWL.NamedIndividual,):
            graph.add((node, RDF.type, kind))
        graph.add((node, RDFS.label, Literal(f"record {node.rsplit('/', 1)[-1]}", lang="en")))
    graph.add((span, OA.hasSource, SECOND))
    graph.add((span, OA.hasSelector, selector))
    graph.add((selector, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    graph.add((selector, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    graph.add((H2R.nct00078572, H2G.enrollment, Literal("399", datatype=XSD.positiveInteger)))
    return span


@pytest.fixture(scope="module")
def shapes(dataset):
    return load_shapes(dataset.graph(GRAPH.ontology))


def test_spans_of_two_documents_at_the_same_offsets_are_two_nodes(seeded):
    ours = next(span for span in seeded.subjects(OA.hasSource, H2R["her2-resistance-review"])
                if (seeded.value(span, OA.hasSelector), OA.start, Literal(39, datatype=XSD.nonNegativeInteger)) in seeded)
    theirs = add_second_source(seeded, 39, 123)
    assert ours != theirs
    assert set(seeded.objects(ours, OA.hasSource)) == {H2R["her2-resistance-review"]}
    assert set(seeded.objects(theirs, OA.hasSource)) == {SECOND}


def test_every_span_and_reference_iri_starts_with_its_document_s(graph):
    for span, document in graph.subject_objects(OA.hasSource):
        assert str(span).startswith(f"{document}-span-"), span
    for reference, document in graph.subject_objects(H2G.inDocument):
        assert str(reference).startswith(f"{document}-ref-"), reference


def test_a_span_named_for_another_document_is_a_violation(seeded, shapes, dataset):
    borrowed = span_of(str(H2R["her2-resistance-review"]), 39, 124)  # the review's naming, the record's text
    add_second_source(seeded, 39, 124, span_name=borrowed)
    report = validate_graph(seeded, shapes, dataset.graph(GRAPH.ontology))
    assert [r for r in report.results if r.focus_node == borrowed and r.rule == H2S["Span-nameMatchesOffsets"]
            and r.severity is Severity.VIOLATION]


def test_a_second_enrolment_from_a_second_source_is_a_warning_not_a_violation(seeded, shapes, dataset):
    add_second_source(seeded)
    report = validate_graph(seeded, shapes, dataset.graph(GRAPH.ontology))
    flagged = [r for r in report.results if r.focus_node == H2R.nct00078572 and r.source_shape == H2S["Study-oneEnrollment"]]
    assert [r.severity for r in flagged] == [Severity.WARNING]
    assert report.conforms, [r.message for r in report.by_severity(Severity.VIOLATION)]


@needs_java
def test_a_second_enrolment_from_a_second_source_keeps_the_graph_consistent(seeded):
    add_second_source(seeded)
    result = check_consistency(seeded)
    assert result.consistent, result.explanation


def test_the_review_says_why_it_has_no_doi_or_pmid_rather_than_guessing_one(graph):
    review = H2R["her2-resistance-review"]
    assert (review, DCTERMS.identifier, None) not in graph
    notes = " ".join(str(note) for note in graph.objects(review, SKOS.editorialNote))
    assert "DOI" in notes and "PMID" in notes and "not verified" in notes
