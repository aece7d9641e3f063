"""Every statement rests on a span of a source, and that span, read from its own source's text (the file
and SHA-256 of evidence/sources.tsv), states every claim of the statement: its numbers (as printed), the
things it names, its citation markers, its significance wording, the arm it says is favoured, its analysis
kind and the certainty of its wording.

The public-domain texts ship in evidence/sources/; the review's text is read from HER2GRAPH_SOURCE (default
../shared/source/) and is never part of the project. Without it, the review's spans are skipped with the
reason and the other sources' spans are still checked.
"""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
from rdflib import Literal
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from her2graph.errors import SourceTextError
from her2graph.namespaces import H2G, H2R, OBO, OBOINOWL
from her2graph.provenance import source_document, source_documents, spans
# The wording rules (citation markers, significance, favour, analysis kind, hedging) are quote_claims', which
# `her2graph curate` applies at compile time: one definition, checked here over the served graph.
from her2graph.quote_claims import (ANALYSIS_KIND_WORDS, CERTAINTY_CUES, FAVOURING_WORDS, HEDGES,
                                    SIGNIFICANCE_WORDS, SUGGESTIONS, arm_names, cited_numbers, interval_printed,
                                    p_value_printed, unit_printed)
from her2graph.source_registry import read_registry
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
# The names of a thing: its label and its synonyms, exact or scoped.
NAME_PROPERTIES = (RDFS.label, SKOS.altLabel, OBOINOWL.hasExactSynonym, OBOINOWL.hasRelatedSynonym,
                   OBOINOWL.hasBroadSynonym, OBOINOWL.hasNarrowSynonym)
UNIT_WORDS = {OBO.UO_0000035: "month", OBO.UO_0000034: "week"}
P_SIGNS = {H2R["p-less-than"]: "<", H2R["p-equals"]: "="}


REVIEW = H2R["her2-resistance-review"]


@pytest.fixture(scope="module")
def sources(graph):
    """document -> its verified text, read as the registry says (shipped, or from HER2GRAPH_SOURCE); the
    documents whose text is not at hand are left out (the review's, without HER2GRAPH_SOURCE)."""
    registry = read_registry()
    found = {}
    for document in source_documents(graph):
        try:
            found[document] = registry[str(document)[len(H2R):]].read_text()
        except SourceTextError:
            assert not registry[str(document)[len(H2R):]].shipped, f"{document}: a shipped text must be at hand"
    if not found:
        pytest.skip("no source text is available here")
    return found


@pytest.fixture(scope="module")
def source(sources):
    if REVIEW not in sources:
        pytest.skip("the review's text is not available here (set HER2GRAPH_SOURCE)")
    return sources[REVIEW]


@pytest.fixture(scope="module")
def span_text(graph, sources):
    """statement -> the normalised text of all its spans (each read from its own document's text), joined;
    statements resting on a text that is not at hand are left out."""
    texts = defaultdict(list)
    for span in spans(graph):
        if span.document in sources:
            texts[span.statement].append(_comparable(sources[span.document].span(span.start, span.end)))
    return {statement: " | ".join(parts) for statement, parts in texts.items()}


@pytest.fixture(scope="module")
def review_statements(graph):
    """The statements resting on the review's spans only (its prose prints numbers in one way)."""
    by_statement = defaultdict(set)
    for span in spans(graph):
        by_statement[span.statement].add(span.document)
    return {statement for statement, documents in by_statement.items() if documents == {REVIEW}}


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


def test_every_registered_source_is_in_the_graph_with_its_registered_file_and_digest(graph):
    registry = read_registry()
    assert {str(document)[len(H2R):] for document in source_documents(graph)} == set(registry)
    for document in source_documents(graph):
        _, file_name, digest = source_document(graph, document)
        registered = registry[str(document)[len(H2R):]]
        assert (file_name, digest) == (registered.file, registered.sha256), document


def test_every_source_text_at_hand_is_the_one_its_statements_were_curated_from(graph, sources):
    for document, text in sources.items():
        assert text.path.name == source_document(graph, document)[1]  # read_text refused any other digest
    assert len(sources) >= 3  # the shipped public-domain texts are always at hand


def test_the_review_is_one_of_the_sources_read(source):
    assert source.path.name == "her2-resistance-review.txt"


def test_every_curated_statement_rests_on_a_span(graph):
    statements = _statements(graph)
    assert len(statements) > 50
    assert [s for s in statements if (s, PROV.wasDerivedFrom, None) not in graph] == []


def test_every_span_lies_inside_its_own_source(graph, sources):
    for span in spans(graph):
        assert span.document is not None, span.iri
        if span.document in sources:
            assert sources[span.document].span(span.start, span.end).strip(), span.iri


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


def test_each_p_value_is_printed_with_its_relation(graph, span_text, review_statements):
    for statement, text in span_text.items():
        for estimate in graph.objects(statement, H2G.hasEffectEstimate):
            sign = P_SIGNS[graph.value(estimate, H2G.pValueRelation)]
            p_value = str(graph.value(estimate, H2G.pValue))
            assert p_value_printed(sign, p_value, text), (estimate, sign, p_value)
            if statement in review_statements:  # the review's prose always prints "P = 0.08", "P < 0.001"
                assert re.search(rf"P {re.escape(sign)} {re.escape(p_value)}\b", text), (estimate, sign, p_value)


def test_each_confidence_interval_is_printed_as_an_interval(graph, span_text, review_statements):
    """"CI 0.57-0.93" in the review, "(0.549, 0.771)" in the label's table."""
    for statement, text in span_text.items():
        for estimate in graph.objects(statement, H2G.hasEffectEstimate):
            lower, upper = graph.value(estimate, H2G.ciLower), graph.value(estimate, H2G.ciUpper)
            assert interval_printed(str(lower), str(upper), text), estimate
            if statement in review_statements:
                assert f"CI {lower}-{upper}" in text, estimate


def test_each_median_is_printed_with_its_unit(graph, span_text, review_statements):
    for statement, text in span_text.items():
        for median in graph.objects(statement, H2G.hasArmMedian):
            value, unit = graph.value(median, H2G.medianValue), graph.value(median, H2G.unit)
            assert str(value) in text and unit_printed([UNIT_WORDS[unit]], text), median
            if statement in review_statements:  # "12.0 vs 8.1 weeks": the unit follows the value
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
                names = _names(graph, target)
                if not any(_comparable(name).lower() in text.lower() for name in names):
                    missing.append((str(statement), str(prop), str(target), names))
    assert missing == []


def _names(graph, node):
    return [str(name) for prop in NAME_PROPERTIES for name in graph.objects(node, prop)]


def test_citation_markers_are_read_as_the_review_prints_them():
    assert cited_numbers("occur at three levels.22 The first") == {22}
    assert cited_numbers("activation of HER3,2731 aberrant") == {27, 28, 29, 30, 31}
    assert cited_numbers("might also occur.23,3538 Resistance") == {23, 35, 36, 37, 38}
    assert cited_numbers("beyond progression.47\u201353 It is") == set(range(47, 54))
    assert cited_numbers("(HR 0.73, 95% CI 0.57-0.93, P = 0.08).55") == {55}
    assert cited_numbers("8.4 months with combination therapy versus 4.4 months") == set()
    assert cited_numbers("full-length HER2 and truncated p95HER2.24,41") == {24, 41}


def test_every_reference_a_statement_cites_is_cited_in_its_span(graph, span_text):
    missing = []
    for statement, text in span_text.items():
        cited = {int(graph.value(reference, H2G.referenceNumber)) for reference in graph.objects(statement, H2G.citesReference)}
        if cited - cited_numbers(text):
            missing.append((str(statement), sorted(cited - cited_numbers(text))))
    assert missing == []


def test_the_significance_wording_of_a_statement_is_in_its_span(graph, span_text):
    missing = []
    for statement, text in span_text.items():
        for wording in graph.objects(statement, H2G.statedSignificance):
            if not SIGNIFICANCE_WORDS[wording].search(text):
                missing.append((str(statement), str(wording)))
    assert missing == []


def test_the_favoured_arm_of_a_statement_is_named_in_its_span_as_favoured(graph, span_text):
    missing = []
    for statement, text in span_text.items():
        for arm in graph.objects(statement, H2G.favoursArm):
            if not FAVOURING_WORDS.search(text) or not any(name.lower() in text.lower() for name in arm_names(graph, arm)):
                missing.append((str(statement), str(arm), arm_names(graph, arm)))
    assert missing == []


def test_the_analysis_kind_of_a_result_is_in_its_span(graph, span_text):
    missing = []
    for statement, text in span_text.items():
        analyses = [statement] if (statement, RDF.type, H2G.Analysis) in graph else \
            list(graph.objects(statement, H2G.fromAnalysis))
        for analysis in analyses:
            for kind in graph.objects(analysis, H2G.analysisKind):
                if ANALYSIS_KIND_WORDS[kind] not in text:
                    missing.append((str(statement), str(kind)))
            for prop, word in ((H2G.isPlanned, "planned"), (H2G.isExploratory, "exploratory")):
                if graph.value(analysis, prop) == Literal(True) and word not in text:
                    missing.append((str(statement), word))
    assert missing == []


def test_the_certainty_of_a_statement_matches_the_hedging_of_its_span(graph, span_text):
    wrong = []
    for statement, text in span_text.items():
        certainty = graph.value(statement, H2G.certainty)
        assert certainty is not None, statement
        if certainty in CERTAINTY_CUES and not CERTAINTY_CUES[certainty].search(text):
            wrong.append((str(statement), str(certainty), "its span has no such wording"))
        if certainty == H2R["certainty-stated"] and (HEDGES.search(text) or SUGGESTIONS.search(text)):
            wrong.append((str(statement), str(certainty), "its span hedges"))
    assert wrong == []


def test_the_hedged_mechanisms_are_recorded_as_hedged(graph):
    hedged = {s for s in graph.subjects(H2G.certainty, H2R["certainty-hedged"])}
    assert {H2R["mechanism-compensatory-crosstalk"], H2R["mechanism-apoptosis-defects"],
            H2R["mechanism-host-factors"], H2R["mechanism-her3-activation"]} <= hedged


def test_every_number_is_printed_in_its_span_exactly_as_the_graph_keeps_it(graph, span_text):
    missing = []
    for statement, text in span_text.items():
        for node in _parts(graph, statement):
            for prop in (H2G.printedMedianValue, H2G.printedEstimate, H2G.printedCiLower, H2G.printedCiUpper,
                         H2G.printedPValue):
                for printed in graph.objects(node, prop):
                    if not re.search(rf"(?<![\d.]){re.escape(str(printed))}(?![\d])", text):
                        missing.append((str(node), str(prop), str(printed)))
    assert missing == []
