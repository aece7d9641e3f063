"""The `her2graph` console script as a user runs it: output, exit codes, and clean errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

SCRIPT = Path(sys.executable).parent / "her2graph"


def run(*args, **kwargs):
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=120, **kwargs)


def test_query_prints_a_table_by_default():
    done = run("query", "PREFIX h2g: <https://w3id.org/her2graph/ontology/> "
                        "SELECT ?nct WHERE { ?t h2g:nctId ?nct } ORDER BY ?nct")
    assert done.returncode == 0
    assert done.stdout.split("\n")[2:5] == ["NCT00078572", "NCT00829166", "NCT01419197"]
    assert "(3 rows)" in done.stdout


def test_query_as_sparql_json():
    done = run("query", "ASK { ?s ?p ?o }", "--format", "json")
    assert json.loads(done.stdout) == {"head": {}, "boolean": True}


def test_query_reads_a_file_with_an_at_sign():
    done = run("query", "@queries/01-drugs-acting-on-truncated-receptor.rq", "--format", "csv")
    assert done.returncode == 0 and "lapatinib" in done.stdout


def test_a_construct_query_gives_turtle():
    done = run("query", "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3", "--format", "turtle")
    assert done.returncode == 0
    assert len(Graph().parse(data=done.stdout, format="turtle")) == 3


def test_a_malformed_query_exits_2_with_the_parser_message_and_no_traceback():
    done = run("query", "SELECT WHERE {")
    assert done.returncode == 2
    assert done.stderr.startswith("her2graph query: the query is not valid SPARQL")
    assert "Traceback" not in done.stderr


def test_a_graph_query_asked_for_as_csv_is_a_usage_error():
    done = run("query", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv")
    assert done.returncode == 2 and "use --format turtle" in done.stderr


@pytest.mark.parametrize("export_format, rdf_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                                       ("owl", "xml")])
def test_export_writes_a_graph_that_parses_back_whole(tmp_path, graph, export_format, rdf_format):
    target = tmp_path / f"out.{export_format}"
    assert run("export", "--format", export_format, "-o", str(target)).returncode == 0
    assert len(Graph().parse(target, format=rdf_format)) == len(graph)


def test_export_of_the_ontology_alone(tmp_path, dataset):
    target = tmp_path / "ontology.owl"
    assert run("export", "--part", "ontology", "--format", "owl", "-o", str(target)).returncode == 0
    assert len(Graph().parse(target, format="xml")) == len(dataset.graph("https://w3id.org/her2graph/graph/ontology"))


def test_export_as_trig_keeps_the_named_graphs(tmp_path):
    target = tmp_path / "all.trig"
    assert run("export", "--format", "trig", "-o", str(target)).returncode == 0
    names = {str(g.identifier) for g in Dataset().parse(target, format="trig").graphs() if len(g)}
    assert {"https://w3id.org/her2graph/graph/facts", "https://w3id.org/her2graph/graph/provenance"} <= names


def test_a_failed_export_leaves_no_file_behind(tmp_path):
    target = tmp_path / "missing-folder" / "out.ttl"
    done = run("export", "-o", str(target))
    assert done.returncode == 2 and "cannot write" in done.stderr
    assert not target.parent.exists()


def test_stats_counts_instances_per_class_and_triples_per_property():
    done = run("stats")
    assert done.returncode == 0
    lines = dict(line.split() for line in done.stdout.splitlines() if line.startswith("  h2g:Trial ")
                 or line.startswith("  h2g:EndpointResult "))
    assert lines == {"h2g:Trial": "4", "h2g:EndpointResult": "7"}


def test_locate_prints_the_offsets_of_a_phrase(graph):
    from her2graph.errors import SourceTextError
    from her2graph.provenance import source_of
    try:
        source_of(graph)
    except SourceTextError as error:
        pytest.skip(f"the review's text is not available here: {error}")
    done = run("locate", "HR 0.65")
    assert done.returncode == 0
    assert done.stdout.split("\t")[0].startswith("h2r:her2-resistance-review-span-")


def test_bad_data_folder_is_a_clean_error(tmp_path):
    done = run("--data", str(tmp_path), "stats")
    assert done.returncode == 2
    assert "named-graphs" in done.stderr and "Traceback" not in done.stderr
