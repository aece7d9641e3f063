"""Regressions of the HermiT wrapper (issue 12): a Java process that fails is a ReasonerError with HermiT's
message, never a traceback, for `reason` as for `validate`'s consistency check; and no temporary file is
left behind, whether Java fails or HermiT finds the ontology inconsistent, without the process's
`tempfile.tempdir` being changed.

Java is made to fail for real: owlready2.JAVA_EXE points at a script that prints a message and exits 3, which
owlready2 runs as it would run Java."""
from __future__ import annotations

import shutil
import tempfile

import owlready2
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF

from her2graph import cli
from her2graph.consistency import check_consistency
from her2graph.errors import ReasonerError, ReasonerUnavailable
from her2graph.reasoning import reason_over_graph

EX = "https://example.org/her2graph-test/"
JAVA_MESSAGE = "Error occurred during initialization of VM: too small initial heap"
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java, which is not installed")


@pytest.fixture
def failing_java(tmp_path, monkeypatch):
    script = tmp_path / "bin" / "java"
    script.parent.mkdir()
    script.write_text(f"#!/bin/sh\necho '{JAVA_MESSAGE}' >&2\nexit 3\n")
    script.chmod(0o755)
    monkeypatch.setattr(owlready2, "JAVA_EXE", str(script))
    return script


@pytest.fixture
def watched_tempdir(tmp_path, monkeypatch):
    """The test process's temporary folder, empty, to see what a call leaves in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def small_ontology(*, contradictory: bool) -> Graph:
    graph = Graph()
    first, second, thing = URIRef(EX + "First"), URIRef(EX + "Second"), URIRef(EX + "thing")
    for cls in (first, second):
        graph.add((cls, RDF.type, OWL.Class))
    graph.add((first, OWL.disjointWith, second))
    graph.add((thing, RDF.type, OWL.NamedIndividual))
    graph.add((thing, RDF.type, first))
    if contradictory:
        graph.add((thing, RDF.type, second))
    graph.add((BNode(), RDF.type, OWL.Ontology))
    return graph


def test_reason_reports_a_failing_java_as_a_reasoner_error(failing_java):
    with pytest.raises(ReasonerError, match="too small initial heap"):
        reason_over_graph(small_ontology(contradictory=False))


def test_the_consistency_check_reports_a_failing_java_as_a_reasoner_error(failing_java):
    with pytest.raises(ReasonerError, match="too small initial heap"):
        check_consistency(small_ontology(contradictory=False))


def test_the_reason_command_exits_with_one_line_and_no_traceback_when_java_fails(failing_java, tmp_path, capsys):
    release = tmp_path / "release.owl"
    release.write_bytes(small_ontology(contradictory=False).serialize(format="xml", encoding="utf-8"))
    code = cli.main(["reason", "--release", str(release), "--output", str(tmp_path / "inferences.ttl")])
    err = capsys.readouterr().err
    assert code not in (0, 1) and "too small initial heap" in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert not (tmp_path / "inferences.ttl").exists()


def test_a_missing_java_names_the_package_to_install(monkeypatch):
    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java-for-her2graph")
    with pytest.raises(ReasonerUnavailable, match="default-jre-headless"):
        reason_over_graph(small_ontology(contradictory=False))


def test_a_failing_java_leaves_no_temporary_file(failing_java, watched_tempdir):
    with pytest.raises(ReasonerError):
        reason_over_graph(small_ontology(contradictory=False))
    with pytest.raises(ReasonerError):
        check_consistency(small_ontology(contradictory=False))
    assert list(watched_tempdir.iterdir()) == []
    assert tempfile.tempdir == str(watched_tempdir)


@needs_java
def test_an_inconsistency_leaves_no_temporary_file(watched_tempdir):
    assert not reason_over_graph(small_ontology(contradictory=True)).consistent
    assert not check_consistency(small_ontology(contradictory=True)).consistent
    assert list(watched_tempdir.iterdir()) == []
    assert tempfile.tempdir == str(watched_tempdir)


@needs_java
def test_a_consistent_ontology_is_classified_through_the_wrapper():
    result = reason_over_graph(small_ontology(contradictory=False))
    assert result.consistent and result.passes_gate
