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
    # NCT00320385 is the trial of its own ClinicalTrials.gov record (the review never names its reference 55's trial)
    assert done.stdout.split("\n")[2:6] == ["NCT00078572", "NCT00320385", "NCT00829166", "NCT01419197"]
    assert "(4 rows)" in done.stdout


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
    # the review's 4 trials and 7 results; NCT00320385's record adds its trial and a result, the
    # TH3RESA record a result, the KADCYLA label EMILIA's two
    assert lines == {"h2g:Trial": "5", "h2g:EndpointResult": "11"}


def test_locate_prints_the_offsets_of_a_phrase(graph):
    from her2graph.errors import SourceTextError
    from her2graph.namespaces import H2R
    from her2graph.provenance import source_of
    try:
        source_of(graph, document=H2R["her2-resistance-review"])
    except SourceTextError as error:
        pytest.skip(f"the review's text is not available here: {error}")
    done = run("locate", "HR 0.65")
    assert done.returncode == 0
    assert done.stdout.split("\t")[0].startswith("h2r:her2-resistance-review-span-")


def test_bad_data_folder_is_a_clean_error(tmp_path):
    done = run("--data", str(tmp_path), "stats")
    assert done.returncode == 2
    assert "named-graphs" in done.stderr and "Traceback" not in done.stderr


def test_an_installed_wheel_finds_its_bundled_competency_queries_by_name(tmp_path):
    from installed_package import installed_environment, installed_package

    with installed_package(tmp_path / "site") as (python, package):
        for how in (["@06"], ["--name", "06-trial-overview"]):
            done = subprocess.run([str(python), "-m", "her2graph", "query", *how, "--format", "csv"], cwd=tmp_path,
                                  capture_output=True, text=True, timeout=120, env=installed_environment(tmp_path / "site"))
            assert done.returncode == 0, done.stderr
            assert done.stdout.startswith("trial,nctId,acronym,phase,enrollment,design")
        located = subprocess.run([str(python), "-c", "import her2graph.locations as l; print(l.data_root())"],
                                 capture_output=True, text=True, env=installed_environment(tmp_path / "site"))
        assert located.stdout.strip() == str((package / "data").resolve())


def test_a_query_that_calls_another_server_is_refused_without_calling_it():
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        done = run("query", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        with pytest.raises(socket.timeout):
            listener.accept()
    assert done.returncode == 2 and "SERVICE" in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.parametrize("query_format, parse_as", [("jsonld", "json-ld"), ("rdfxml", "xml"), ("turtle", "turtle")])
def test_a_construct_query_in_each_graph_format_parses_back(query_format, parse_as):
    done = run("query", "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 5", "--format", query_format)
    assert done.returncode == 0, done.stderr
    assert len(Graph().parse(data=done.stdout, format=parse_as)) == 5


def test_construct_turtle_declares_the_prefixes_it_uses_and_no_other():
    done = run("query", "PREFIX h2g: <https://w3id.org/her2graph/ontology/> "
                        "CONSTRUCT { ?t h2g:nctId ?n } WHERE { ?t h2g:nctId ?n }", "--format", "turtle")
    prefixes = {line.split()[1] for line in done.stdout.splitlines() if line.startswith("@prefix")}
    assert prefixes == {"h2g:", "h2r:"}
    assert "h2r:emilia h2g:nctId" in done.stdout


def test_a_query_argument_that_is_not_utf8_is_a_one_line_error():
    done = subprocess.run([str(SCRIPT).encode(), b"query", b'SELECT * WHERE { ?s ?p "\xff" }'],
                          capture_output=True, timeout=120)
    assert done.returncode == 2
    assert b"not UTF-8" in done.stderr and done.stderr.count(b"\n") == 1


def test_a_turtle_syntax_error_names_file_line_column_and_the_line_only(tmp_path):
    import shutil

    root = Path(__file__).resolve().parent.parent
    for part in ("ontology", "graph", "shapes", "queries", "mappings"):
        shutil.copytree(root / part, tmp_path / part)
    facts = tmp_path / "graph" / "facts" / "her2-resistance-review.ttl"
    lines = facts.read_text().splitlines()
    lines.insert(40, 'h2r:broken rdfs:label "never closed ;')
    facts.write_text("\n".join(lines) + "\n")
    done = run("--data", str(tmp_path), "stats")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and len(done.stderr) < 400
    assert f"{facts}: not valid Turtle, line 41, column" in done.stderr
    assert done.stderr.rstrip().endswith('h2r:broken rdfs:label "never closed ;')


def test_check_owl_says_why_a_file_was_not_loaded(tmp_path):
    broken = tmp_path / "broken.owl"
    broken.write_text("garbage")
    done = run("check-owl", str(broken))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "RDFXMLParser says" in done.stderr and "not loaded" not in done.stderr
