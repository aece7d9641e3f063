"""OWL consistency: HermiT finds the shipped graph consistent, and finds seeded contradictions, which the
explanation names."""
from __future__ import annotations

import shutil
from decimal import Decimal

import owlready2
import pytest
from rdflib import Literal, Namespace
from rdflib.namespace import OWL, RDF

from her2graph.consistency import check_consistency, inconsistency_causes
from her2graph.errors import ReasonerError
from her2graph.namespaces import H2G

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest probes it

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java, which is not installed")


def emilia(graph):
    return graph.value(None, H2G.nctId, Literal("NCT00829166"))


@needs_java
def test_the_shipped_graph_is_consistent(graph):
    result = check_consistency(graph)
    assert result.consistent, result.explanation
    assert result.summary() == "OWL consistency (HermiT): consistent."


@needs_java
def test_two_estimates_of_one_hazard_ratio_are_inconsistent_and_the_explanation_names_them(seeded):
    # h2g:estimate stays functional: a hazard ratio node is one source's one number. (h2g:enrollment is not:
    # a study is shared by sources, and two sources may state two enrolments; tests/test_several_sources.py.)
    ratio = seeded.value(None, H2G.estimate, Literal(Decimal("0.65")))
    seeded.add((ratio, H2G.estimate, Literal(Decimal("0.66"))))
    result = check_consistency(seeded)
    assert not result.consistent
    assert {cause.value for cause in result.causes} == {'"0.65"^^xsd:decimal', '"0.66"^^xsd:decimal'}
    assert "h2g:estimate" in result.explanation
    assert "functional data property" in result.explanation


@needs_java
def test_an_individual_of_two_disjoint_classes_is_inconsistent(seeded):
    trial = emilia(seeded)
    seeded.add((H2G.Trial, OWL.disjointWith, H2G.TrialArm))
    seeded.add((trial, RDF.type, H2G.TrialArm))
    result = check_consistency(seeded)
    assert not result.consistent
    assert trial.n3(seeded.namespace_manager) in {cause.subject for cause in result.causes}, result.explanation
    assert "disjoint" in result.explanation


def test_a_count_outside_its_datatype_is_named_as_a_cause(seeded):
    trial = emilia(seeded)
    seeded.remove((trial, H2G.enrollment, None))
    seeded.add((trial, H2G.enrollment, Literal(0)))
    causes = inconsistency_causes(seeded)
    assert [(cause.property, cause.value) for cause in causes] == [("h2g:enrollment", '"0"^^xsd:integer')]


def test_the_shipped_graph_matches_no_known_cause(graph):
    assert inconsistency_causes(graph) == ()


def test_a_missing_java_is_a_reasoner_error_that_says_what_to_do(graph, monkeypatch):
    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java-for-her2graph")
    with pytest.raises(ReasonerError, match="--no-reasoner"):
        check_consistency(graph)
