"""HermiT, through owlready2, over the release: the gate (consistency, no unsatisfiable class, no merged
individuals), the inferences we rely on, and the committed inferences graph being current."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from her2graph.build import built_files
from her2graph.namespaces import H2G, H2R

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java (default-jre-headless)")

FILES = built_files()


@pytest.fixture(scope="module")
def release():
    return Graph().parse(FILES.release_owl, format="xml")


@pytest.fixture(scope="module")
def result():
    from her2graph.reasoning import reason_over_release
    return reason_over_release(FILES.release_owl)


def test_the_release_passes_the_reasoning_gate(result):
    assert result.consistent, result.inconsistency
    assert result.passes_gate, result.report()


def test_the_committed_inferences_are_what_the_reasoner_infers_today(result):
    committed = Graph().parse(FILES.inferences, format="turtle")
    assert isomorphic(committed, result.inferred_graph()), "graph/built/inferences.ttl is stale: run `her2graph reason`"


PINNED = [
    # a drug is HER2-directed by what it targets: directly, through an inhibited target, through its antibody
    (H2R.trastuzumab, RDF.type, H2G.HER2DirectedTherapy),
    (H2R.lapatinib, RDF.type, H2G.HER2DirectedTherapy),
    (H2R["trastuzumab-emtansine"], RDF.type, H2G.HER2DirectedTherapy),
    # the property chain hasAntibodyComponent o hasTarget -> hasTarget
    (H2R["trastuzumab-emtansine"], H2G.hasTarget, H2R.her2),
    # super-property of inhibits
    (H2R.lapatinib, H2G.hasTarget, H2R.egfr),
    # the range of hasAntibodyComponent: the antibody of an ADC is a monoclonal antibody
    (H2R.trastuzumab, RDF.type, H2G.MonoclonalAntibody),
    # p95HER2 is a truncated receptor, and lapatinib acts on one
    (H2R.p95her2, RDF.type, H2G.TruncatedReceptor),
    (H2R.lapatinib, RDF.type, H2G.TruncatedReceptorDirectedDrug),
    # regimens: HER2-directed, and dual blockade (lapatinib is a TKI, trastuzumab an antibody: disjoint, so two drugs)
    (H2R["t-dm1-monotherapy"], RDF.type, H2G.HER2DirectedRegimen),
    (H2R["trastuzumab-plus-lapatinib"], RDF.type, H2G.DualHER2BlockadeRegimen),
    # transitivity of subtypeOf
    (H2R["her2-positive-metastatic-breast-cancer"], H2G.subtypeOf, H2R["breast-cancer"]),
]


@pytest.mark.parametrize("triple", PINNED, ids=lambda t: " ".join(str(x).rsplit("/", 1)[-1] for x in t))
def test_the_reasoner_infers_what_the_graph_does_not_state(result, release, triple):
    assert triple not in release, "asserted, so not an inference"
    assert triple in result.inferred


NOT_INFERRED = [
    (H2R.capecitabine, RDF.type, H2G.HER2DirectedTherapy),
    (H2R["capecitabine-monotherapy"], RDF.type, H2G.HER2DirectedRegimen),
    (H2R["lapatinib-plus-capecitabine"], RDF.type, H2G.DualHER2BlockadeRegimen),
    (H2R.trastuzumab, RDF.type, H2G.TruncatedReceptorDirectedDrug),
]


@pytest.mark.parametrize("triple", NOT_INFERRED, ids=lambda t: " ".join(str(x).rsplit("/", 1)[-1] for x in t))
def test_the_reasoner_does_not_overreach(result, triple):
    assert triple not in result.inferred


def test_the_report_names_what_was_inferred_with_labels(result):
    report = result.report()
    assert "consistent" in report
    assert "trastuzumab emtansine <h2r:trastuzumab-emtansine> -> HER2-directed therapy" in report


def test_an_adc_is_recognised_by_its_parts(release):
    from her2graph.reasoning import reason_over_graph

    graph = Graph() + release
    conjugate = H2R["test-conjugate"]
    graph.add((conjugate, RDF.type, OWL.NamedIndividual))
    graph.add((conjugate, RDF.type, H2G.Drug))
    graph.add((conjugate, H2G.hasAntibodyComponent, H2R.trastuzumab))
    graph.add((conjugate, H2G.hasPayload, H2R.dm1))
    result = reason_over_graph(graph)
    assert (conjugate, RDF.type, H2G.AntibodyDrugConjugate) in result.inferred
    assert (conjugate, RDF.type, H2G.HER2DirectedTherapy) in result.inferred


def test_the_gate_catches_merged_individuals_and_unsatisfiable_classes(release):
    from her2graph.reasoning import reason_over_graph

    graph = Graph() + release
    # a second regimen for an arm: receivesRegimen is functional, so the two regimens would become one
    graph.add((H2R["th3resa-arm-physicians-choice"], H2G.receivesRegimen, H2R["capecitabine-monotherapy"]))
    # a class under two disjoint classes can have no member
    impossible = H2G.TestImpossibleDrug
    graph.add((impossible, RDF.type, OWL.Class))
    graph.add((impossible, RDFS.subClassOf, H2G.TyrosineKinaseInhibitor))
    graph.add((impossible, RDFS.subClassOf, H2G.MonoclonalAntibody))
    result = reason_over_graph(graph)
    assert result.consistent
    assert not result.passes_gate
    assert impossible in result.unsatisfiable_classes
    assert (H2G.receivesRegimen, H2R["th3resa-arm-physicians-choice"],
            sorted([H2R["capecitabine-monotherapy"], H2R["physicians-choice"]])) in result.merged_individuals
    assert "MERGED individuals" in result.report() and "UNSATISFIABLE" in result.report()


def test_reason_exits_1_and_writes_nothing_when_the_release_is_inconsistent(release, tmp_path):
    graph = Graph() + release
    # lapatinib is a tyrosine kinase inhibitor; a TKI is disjoint from a monoclonal antibody
    graph.add((H2R.lapatinib, RDF.type, H2G.MonoclonalAntibody))
    broken = tmp_path / "broken.owl"
    broken.write_bytes(graph.serialize(format="xml", encoding="utf-8"))
    output = tmp_path / "inferences.ttl"
    run = subprocess.run([sys.executable, "-m", "her2graph.cli", "reason", "--release", str(broken),
                          "--output", str(output)], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    assert "INCONSISTENT" in run.stdout
    assert not output.exists()
