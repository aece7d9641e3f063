"""`her2graph validate` as a user runs it: the report grouped by severity, and the exit-code contract
(0 no violation, warnings allowed; 1 a violation or an OWL inconsistency; 2 a usage or data error)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from her2graph.locations import data_root
from her2graph.namespaces import SH
from her2graph.source_text import SOURCE_DIR_VARIABLE, source_dir

SCRIPT = Path(sys.executable).parent / "her2graph"
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java, which is not installed")


def run(*args, env=None):
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, **(env or {})))


@pytest.fixture
def data_copy(tmp_path):
    """A copy of the data folders to seed defects into; the source text stays where it is."""
    root = tmp_path / "data"
    for part in ("ontology", "graph", "shapes", "queries"):
        shutil.copytree(data_root() / part, root / part)
    return root


def in_copy(root, *args, env=None):
    return run("--data", str(root), *args, env={SOURCE_DIR_VARIABLE: str(source_dir()), **(env or {})})


def append(path: Path, turtle: str):
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + turtle)


PREFIXES = """@prefix h2g: <https://w3id.org/her2graph/ontology/> .
@prefix h2r: <https://w3id.org/her2graph/resource/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@needs_java
def test_the_shipped_graph_validates_with_warnings_only_and_is_consistent():
    done = run("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("SHACL validation: 0 violations, ")
    assert "Violations: none" in done.stdout
    warnings = done.stdout.index("Warnings (")
    assert done.stdout.index("Violations: none") < warnings
    assert "P = 0.08 is not below 0.05" in done.stdout[warnings:]
    assert done.stdout.rstrip().endswith("OWL consistency (HermiT): consistent.")


def test_without_the_reasoner_there_is_no_consistency_line():
    done = run("validate", "--no-reasoner")
    assert done.returncode == 0
    assert "OWL consistency" not in done.stdout


def test_turtle_gives_the_w3c_validation_report_graph():
    done = run("validate", "--no-reasoner", "--format", "turtle")
    assert done.returncode == 0
    report = Graph().parse(data=done.stdout, format="turtle")
    assert len(set(report.subjects(RDF.type, SH.ValidationReport))) == 1
    severities = set(report.objects(None, SH.resultSeverity))
    assert severities == {SH.Warning, SH.Info}  # info: TH3RESA's interim OS p, near what its interval implies
    # As SHACL defines it, any result, even a warning, makes sh:conforms false; the exit code counts violations.
    assert (None, SH.conforms, None) in report


def test_a_violation_exits_1_and_is_listed_first_with_its_rule_and_source_span(data_copy):
    trials = data_copy / "graph" / "facts" / "her2-resistance-review.ttl"
    trials.write_text(trials.read_text(encoding="utf-8").replace(
        '"991"^^xsd:positiveInteger', '"0"^^xsd:positiveInteger'), encoding="utf-8")
    done = in_copy(data_copy, "validate", "--no-reasoner")
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("SHACL validation: 1 violation, ")
    violations = done.stdout[done.stdout.index("Violations (1)"):done.stdout.index("Warnings (")]
    assert "h2r:emilia" in violations
    assert "rule h2s:Study-enrollment; path h2g:enrollment" in violations
    assert "source h2r:her2-resistance-review-span-3251-3497 [3251-3497]" in violations


@needs_java
def test_an_inconsistency_alone_exits_1_and_the_explanation_is_printed(data_copy):
    append(data_copy / "ontology" / "her2graph.ttl", PREFIXES + "h2g:Drug owl:disjointWith h2g:Target .\n")
    append(data_copy / "graph" / "facts" / "entities.ttl", PREFIXES + "h2r:her2 a h2g:Drug .\n")
    done = in_copy(data_copy, "validate")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "SHACL validation: 0 violations" in done.stdout
    assert "OWL consistency (HermiT): inconsistent." in done.stdout
    assert "h2r:her2" in done.stdout.split("OWL consistency")[1]


def test_a_missing_java_exits_2_and_names_the_way_out():
    done = run("validate", env={"PATH": ""})
    assert done.returncode == 2
    assert "--no-reasoner" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unknown_format_is_a_usage_error():
    done = run("validate", "--format", "xml")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr


def test_a_data_folder_without_shapes_exits_2(data_copy):
    shutil.rmtree(data_copy / "shapes")
    done = in_copy(data_copy, "validate", "--no-reasoner")
    assert done.returncode == 2
    assert "no shapes file matches" in done.stderr


def test_a_shapes_file_with_a_syntax_error_exits_2_and_names_the_file(data_copy):
    (data_copy / "shapes" / "broken.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n[] sh:path (")
    done = in_copy(data_copy, "validate", "--no-reasoner")
    assert done.returncode == 2
    assert "broken.ttl" in done.stderr and "Traceback" not in done.stderr


def test_without_the_source_text_spans_are_shown_as_offsets(tmp_path):
    done = run("validate", "--no-reasoner", env={SOURCE_DIR_VARIABLE: str(tmp_path)})
    assert done.returncode == 0
    assert "source h2r:her2-resistance-review-span-5815-6080 [5815-6080]\n" in done.stdout
    assert "P = 0.08)" not in done.stdout
