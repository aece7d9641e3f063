"""The release opens cleanly in the Java OWL API (what Protégé is built on): no parse problem, no unparsed
triple, no guessed declaration, no missing import, no OWL 2 DL profile violation; and the check really fails
on seeded defects."""
from __future__ import annotations

import shutil

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from her2graph.build import built_files
from her2graph.locations import ontology_dir
from her2graph.namespaces import H2G
from her2graph.owlapi_check import OwlApiUnavailable, check_with_owlapi, owlapi_classpath

try:
    owlapi_classpath()
    _MISSING = None if shutil.which("javac") else "needs a JDK (default-jdk-headless) for the single-file launcher"
except OwlApiUnavailable as error:
    _MISSING = str(error)
pytestmark = pytest.mark.skipif(_MISSING is not None, reason=f"OWL API check unavailable: {_MISSING}")

FILES = built_files()


@pytest.mark.parametrize("path", [FILES.release_owl, FILES.release_ttl], ids=["rdfxml", "turtle"])
def test_the_release_loads_cleanly_and_is_owl2_dl(path):
    report = check_with_owlapi(path)
    assert report.clean, report.problems
    assert report.summary["dl_violations"] == "0" and report.summary["unparsed"] == "0"
    assert report.summary["ontologies"] == "1"
    assert "/releases/" in report.summary["version"]
    assert int(report.summary["logical_axioms"]) > 500


def test_the_source_ontology_opens_with_its_import_resolved_by_the_catalog():
    report = check_with_owlapi(ontology_dir() / "her2graph.ttl")
    assert report.clean, report.problems
    assert report.summary["ontologies"] == "2"  # the ontology and its import module


def test_seeded_defects_are_reported(tmp_path):
    graph = Graph().parse(FILES.release_owl, format="xml")
    # DL violation: hasTarget is the super-property of a chain (non-simple), so it cannot be functional
    graph.add((H2G.hasTarget, RDF.type, OWL.FunctionalProperty))
    # a triple no OWL construct accounts for: a misspelt term of the OWL vocabulary
    graph.add((H2G.Drug, URIRef(str(OWL) + "disjointwith"), H2G.Target))
    # an incomplete restriction (no filler) becomes an error class the DL profile rejects
    broken = BNode()
    graph.add((broken, RDF.type, OWL.Restriction))
    graph.add((broken, OWL.onProperty, H2G.hasTarget))
    graph.add((H2G.Target, RDFS.subClassOf, broken))
    path = tmp_path / "seeded.owl"
    path.write_bytes(graph.serialize(format="xml", encoding="utf-8"))
    report = check_with_owlapi(path)
    assert not report.clean
    assert any("hasTarget" in line for line in report.lines("VIOLATION")), report.problems
    assert any("disjointwith" in line for line in report.lines("UNPARSED")), report.problems
    assert any("UseOfUndeclaredClass" in line for line in report.lines("VIOLATION")), report.problems


def test_a_missing_import_is_reported(tmp_path):
    # without the catalog beside it, the import IRI cannot be resolved offline
    copy = tmp_path / "her2graph.ttl"
    copy.write_bytes((ontology_dir() / "her2graph.ttl").read_bytes())
    report = check_with_owlapi(copy)
    assert report.lines("MISSING_IMPORT"), report.problems
