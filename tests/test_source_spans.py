"""Every statement rests on a span of the review, and that span states the statement's numbers and names.

Runs whenever the review's text is available (HER2GRAPH_SOURCE, default ../shared/source/); without it
the tests are skipped with the reason. The text itself is never part of the project.
"""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
from rdflib import Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from her2graph.errors import SourceTextError
from her2graph.namespaces import H2G, H2R, OBO
from her2graph.provenance import source_document, source_of, spans
from her2graph.source_text import normalise_space

# Numbers the review spells as words, by the property that holds them.
NUMBER_WORDS = {
    H2G.analysisNumber: {2: "second"},
    H2G.completedInterimAnalyses: {2: "two"},
    H2G.minimumPriorHER2Therapies: {2: "two"},
}
# Numbers that are ordinals of our own, not stated as such in the text.
NOT_IN_TEXT = {H2G.levelNumber}
# Links whose target's name must appear in the statement's span.
NAMED_LINKS = (H2G.onEndpoint, H2G.analysedEndpoint, H2G.aboutDrug, H2G.involvesTarget, H2G.claimSubject,
               H2G.claimObject, H2G.licensedRegimen, H2G.aboutCondition)
UNIT_WORDS = {OBO.UO_0000035: "month", OBO.UO_0000034: "week"}
P_SIGNS = {H2R["p-less-than"]: "<", H2R["p-equals"]: "="}


@pytest.fixture(scope="module")
def source(graph):
    try:
        return source_of(graph)
    except SourceTextError as error:
        pytest.skip(f"the review's text is not available here: {error}")


@pytest.fixture(scope="module")
def span_text(graph, source):
    """statement -> the normalised text of all its spans, joined."""
    texts = defaultdict(list)
    for span in spans(graph):
        texts[span.statement].append(_comparable(source.span(span.start, span.end)))
    return {statement: " | ".join(parts) for statement, parts in texts.items()}


def _comparable(text: str) -> str:
    return normalise_space(text).replace("\u2013", "-").replace("\u2019", "'")


def _statements(graph):
    classes = _statement_classes(graph)
    return sorted({s for s, cls in graph.subject_objects(RDF.type) if cls in classes})


def _statement_classes(graph):
    return set(graph.transitive_subjects(RDFS.subClassOf, H2G.CuratedStatement))


def _parts(graph, statement):
    """The statement and the nodes that hold its numbers (arm medians, effect estimates)."""
    return [statement, *graph.objects(statement, H2G.hasArmMedian), *graph.objects(statement, H2G.hasEffectEstimate)]


def test_the_source_file_is_the_one_the_graph_was_curated_from(graph, source):
    _, file_name, digest = source_document(graph)
    assert source.path.name == file_name  # read_source_text already refused any other digest


def test_every_curated_statement_rests_on_a_span(graph):
    statements = _statements(graph)
    assert len(statements) > 50
    assert [s for s in statements if (s, PROV.wasDerivedFrom, None) not in graph] == []


def test_every_span_lies_inside_the_source(graph, source):
    for span in spans(graph):
        assert source.span(span.start, span.end).strip(), span.iri


def test_every_number_of_a_statement_is_printed_in_its_span(graph, span_text):
    missing = []
    for statement, text in span_text.items():
        for node in _parts(graph, statement):
            for prop, value in graph.predicate_objects(node):
                if not isinstance(value, Literal) or not isinstance(value.toPython(), (int, float)) \
                        or isinstance(value.toPython(), bool) or prop in NOT_IN_TEXT:
                    continue
                if prop == H2G.confidenceLevel:
                    expected = f"{round(float(value) * 100)}% CI"
                elif prop in NUMBER_WORDS:
                    expected = NUMBER_WORDS[prop][int(value)]
                else:
                    expected = str(value)
                if not re.search(rf"(?<![\d.]){re.escape(expected)}(?![\d])", text):
                    missing.append((str(node), str(prop), expected))
    assert missing == []


def test_each_p_value_is_printed_with_its_relation(graph, span_text):
    for statement, text in span_text.items():
        for estimate in graph.objects(statement, H2G.hasEffectEstimate):
            sign = P_SIGNS[graph.value(estimate, H2G.pValueRelation)]
            p_value = str(graph.value(estimate, H2G.pValue))
            assert re.search(rf"P {re.escape(sign)} {re.escape(p_value)}\b", text), (estimate, sign, p_value)


def test_each_confidence_interval_is_printed_as_lower_dash_upper(graph, span_text):
    for statement, text in span_text.items():
        for estimate in graph.objects(statement, H2G.hasEffectEstimate):
            lower, upper = graph.value(estimate, H2G.ciLower), graph.value(estimate, H2G.ciUpper)
            assert f"CI {lower}-{upper}" in text, estimate


def test_each_median_is_printed_with_its_unit(graph, span_text):
    for statement, text in span_text.items():
        for median in graph.objects(statement, H2G.hasArmMedian):
            value, unit = graph.value(median, H2G.medianValue), graph.value(median, H2G.unit)
            after = text[text.index(str(value)):]
            assert re.match(rf"{re.escape(str(value))}\s+(vs|versus)?.*?{UNIT_WORDS[unit]}s", after), median


def test_registry_identifiers_and_acronyms_are_printed_in_the_span(graph, span_text):
    for statement, text in span_text.items():
        for prop in (H2G.nctId, H2G.acronym):
            for value in graph.objects(statement, prop):
                assert str(value) in text, (statement, value)


def test_the_things_a_statement_names_are_named_in_its_span(graph, span_text):
    missing = []
    for statement, text in span_text.items():
        for prop in NAMED_LINKS:
            for target in graph.objects(statement, prop):
                names = [str(n) for p in (RDFS.label, SKOS.altLabel) for n in graph.objects(target, p)]
                if not any(_comparable(name).lower() in text.lower() for name in names):
                    missing.append((str(statement), str(prop), str(target), names))
    assert missing == []
