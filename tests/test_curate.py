"""`her2graph curate`: evidence files compile to the graph, or fail with one line naming the file and line.

The review's evidence file must compile to what the graph held when it was curated by hand as Turtle: the same
triples (a rights statement from the source registry may be added), the same spans (pinned in
tests/expected/review-spans.tsv). A curator's mistakes (a changed quote, a number its quote does not print, a
quote found twice, an unknown CURIE, a field the schema does not know) each stop the run before anything is
written.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS, PROV

from her2graph.cli import main
from her2graph.curate import compile_evidence, evidence_files, outputs, write_outputs
from her2graph.errors import EvidenceError, SourceTextError
from her2graph.locations import data_root, evidence_dir
from her2graph.namespaces import H2R, OA
from her2graph.source_registry import read_registry
from her2graph.source_text import source_dir

EXPECTED = Path(__file__).parent / "expected"
REVIEW_EVIDENCE = evidence_dir() / "her2-resistance-review.yaml"
SHIPPED_EVIDENCE = sorted(evidence_dir().glob("*.yaml"))
CTGOV_EVIDENCE = "ctgov-nct00320385.yaml"
# graph/facts/{drugs,entities,resistance,trials}.ttl and graph/provenance/{references,source,spans}.ttl as they
# were when the review was curated by hand, before the compiled evidence replaced them.
HAND_WRITTEN_GRAPH = EXPECTED / "hand-written-review-graph.nt"
# What the source registry adds to the hand-written description of the review.
ADDED_BY_THE_REGISTRY = {DCTERMS.rights, DCTERMS.identifier}


@pytest.fixture(scope="module")
def review_text_available():
    try:
        read_registry()["her2-resistance-review"].read_text()
    except SourceTextError as error:
        pytest.skip(f"the review's text is not available here: {error}")


@pytest.fixture(scope="module")
def compiled_review(review_text_available):
    (review,) = compile_evidence([REVIEW_EVIDENCE])
    return review


@pytest.fixture
def project(tmp_path, monkeypatch, review_text_available):
    """A copy of the project's data to break; the review's text is still found where it is."""
    monkeypatch.setenv("HER2GRAPH_SOURCE", str(source_dir()))
    for folder in ("ontology", "evidence", "graph"):
        shutil.copytree(data_root() / folder, tmp_path / folder)
    monkeypatch.setenv("HER2GRAPH_DATA", str(tmp_path))
    return tmp_path


def curate(project: Path, capsys, *files: str) -> tuple[int, str, str]:
    code = main(["curate", *(str(project / "evidence" / name) for name in files), "--out", str(project / "out")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def edit(project: Path, name: str, old: str, new: str) -> int:
    """Replace `old` (which must occur once) in an evidence file; the line it is on."""
    path = project / "evidence" / name
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))
    return text[:text.index(old)].count("\n") + 1


def assert_one_line_error_and_nothing_written(project, code, err, name, line, *phrases):
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"her2graph curate: {project / 'evidence' / name}:{line}: "), err
    for phrase in phrases:
        assert phrase in err, err
    assert not (project / "out").exists()


# ------------------------------------------------------------------ the review, round-tripped


def test_the_review_compiles_to_every_triple_of_the_hand_written_graph(compiled_review):
    """The hand-written Turtle the evidence replaced is pinned as canonical N-Triples (made from those files)."""
    hand_written = Graph().parse(HAND_WRITTEN_GRAPH, format="nt")
    (entities,) = compile_evidence([evidence_dir() / "entities.yaml"])
    compiled = compiled_review.facts + compiled_review.provenance + entities.facts
    assert set(hand_written - compiled) == set()
    assert {p for _, p, _ in compiled - hand_written} <= ADDED_BY_THE_REGISTRY


def test_the_review_compiles_to_the_pinned_spans(compiled_review):
    graph = compiled_review.facts + compiled_review.provenance
    spans = set()
    for statement, span in graph.subject_objects(PROV.wasDerivedFrom):
        selector = graph.value(span, OA.hasSelector)
        spans.add((str(statement).replace(str(H2R), "h2r:"), str(graph.value(selector, OA.start)),
                   str(graph.value(selector, OA.end))))
    with (EXPECTED / "review-spans.tsv").open(newline="") as handle:
        pinned = {tuple(row) for row in list(csv.reader(handle, delimiter="\t"))[1:]}
    assert spans == pinned


def test_every_evidence_file_is_compiled_into_the_shipped_graph(review_text_available, capsys):
    assert main(["curate", "--check"]) == 0, capsys.readouterr().out


def test_curating_into_a_copy_writes_the_bytes_the_graph_holds(project, capsys):
    copies = [project / "evidence" / file.name for file in SHIPPED_EVIDENCE]
    assert main(["curate", *map(str, copies), "--out", str(project / "out")]) == 0
    written = {path.relative_to(project / "out"): path.read_bytes() for path in (project / "out").rglob("*.ttl")}
    shipped = {path.relative_to(data_root() / "graph"): path.read_bytes()
               for part in ("facts", "provenance") for path in (data_root() / "graph" / part).glob("*.ttl")}
    assert written == shipped


def test_curating_twice_writes_the_same_bytes_and_the_second_run_writes_nothing(project, capsys):
    code, first, _ = curate(project, capsys, CTGOV_EVIDENCE)
    assert code == 0 and first.count("wrote") == 2
    written = {path: path.read_bytes() for path in (project / "out").rglob("*.ttl")}
    code, second, _ = curate(project, capsys, CTGOV_EVIDENCE)
    assert code == 0 and second == ""
    assert {path: path.read_bytes() for path in (project / "out").rglob("*.ttl")} == written


def test_every_evidence_file_names_a_registered_source_whose_text_has_the_registered_digest(review_text_available):
    registry = read_registry()
    for file in evidence_files():
        compiled, = compile_evidence([file])
        assert compiled.source is None and not compiled.spans or compiled.source.source_id in registry


# ------------------------------------------------------------------ a curator's mistakes


def test_a_changed_quote_names_the_line_and_the_nearest_text_with_its_offsets(project, capsys):
    line = edit(project, CTGOV_EVIDENCE, '"Unit of Measure: weeks 12.0 (8.1 to 16.0)"', '"Unit of Measure: weeks 12.5 (8.1 to 16.0)"')
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE)
    assert_one_line_error_and_nothing_written(project, code, err, CTGOV_EVIDENCE, line,
                                              "does not occur in blackwell_EGF104900_ctgov_nli4ct.txt",
                                              "nearest: ", "alike)")


def test_a_number_its_quote_does_not_print_names_the_line_of_the_number(project, capsys):
    line = edit(project, CTGOV_EVIDENCE, "value: 8.1\n", "value: 8.2\n")
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE)
    assert_one_line_error_and_nothing_written(project, code, err, CTGOV_EVIDENCE, line,
                                              "h2g:medianValue 8.2", "is not printed in its quote")


def test_a_quote_found_twice_lists_both_places(project, capsys):
    line = edit(project, CTGOV_EVIDENCE, '"Arm/Group Title: Lapatinib"', '"Lapatinib 1500 mg tablets"')
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE)
    assert_one_line_error_and_nothing_written(project, code, err, CTGOV_EVIDENCE, line,
                                              "occurs 2 times", "quote more of its sentence")


def test_an_unknown_curie_is_refused(project, capsys):
    line = edit(project, CTGOV_EVIDENCE, "h2g:onEndpoint: h2r:progression-free-survival",
                "h2g:onEndpoint: h2r:progression-free-survivl")
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE)
    assert_one_line_error_and_nothing_written(project, code, err, CTGOV_EVIDENCE, line,
                                              "unknown CURIE 'h2r:progression-free-survivl'")


def test_an_unknown_prefix_is_refused_with_the_known_ones(project, capsys):
    line = edit(project, CTGOV_EVIDENCE, "h2g:onEndpoint: h2r:progression-free-survival",
                "h2g:onEndpoint: ncit:C94535")
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE)
    assert_one_line_error_and_nothing_written(project, code, err, CTGOV_EVIDENCE, line,
                                              "the prefix 'ncit' is not one of")


def test_a_field_the_schema_does_not_know_is_refused_with_the_fields_it_knows(project, capsys):
    line = edit(project, CTGOV_EVIDENCE, "        unit: weeks\n      - id: h2r:nct00320385-pfs-median-lapatinib",
                "        unit: weeks\n      - id: h2r:nct00320385-pfs-median-lapatinib\n        median: 8.1")
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE)
    assert_one_line_error_and_nothing_written(project, code, err, CTGOV_EVIDENCE, line + 2,
                                              "'median' is not a field of a ArmMedian")


def test_a_source_missing_from_the_registry_is_refused(project, capsys):
    line = edit(project, CTGOV_EVIDENCE, "source: ctgov-nct00320385", "source: ctgov-nct99999999")
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE)
    assert_one_line_error_and_nothing_written(project, code, err, CTGOV_EVIDENCE, line,
                                              "is not in evidence/sources.tsv")


def test_a_shipped_text_changed_after_curation_is_refused(project, capsys):
    text = project / "evidence" / "sources" / "blackwell_EGF104900_ctgov_nli4ct.txt"
    text.write_text(text.read_text().replace("12.0", "12.5"))
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE)
    assert code == 2 and "has SHA-256" in err and not (project / "out").exists()


def test_broken_yaml_names_its_line(project, capsys):
    line = edit(project, CTGOV_EVIDENCE, "    a: h2g:Analysis\n", "    a: [h2g:Analysis\n")
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE)
    assert code == 2 and "not valid YAML" in err and not (project / "out").exists()


def test_an_error_in_one_file_writes_no_file_of_any(project, capsys):
    edit(project, "ctgov-nct01419197.yaml", "value: 3.3\n", "value: 3.4\n")
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE, "ctgov-nct01419197.yaml")
    assert code == 2 and "h2g:medianValue 3.4" in err
    assert not (project / "out").exists()


def test_compile_errors_are_typed_for_callers(project):
    edit(project, CTGOV_EVIDENCE, "value: 8.1\n", "value: 8.2\n")
    with pytest.raises(EvidenceError) as caught:
        compile_evidence([project / "evidence" / CTGOV_EVIDENCE], root=project)
    assert caught.value.line and caught.value.path.name == CTGOV_EVIDENCE


def test_written_files_are_readable_turtle_with_a_header_naming_their_evidence(project, capsys):
    assert curate(project, capsys, CTGOV_EVIDENCE)[0] == 0
    facts = project / "out" / "facts" / "ctgov-nct00320385.ttl"
    assert facts.read_text().startswith("# Compiled by `her2graph curate` from evidence/ctgov-nct00320385.yaml")
    assert len(Graph().parse(facts)) > 20
    assert oct(facts.stat().st_mode & 0o777) == "0o644"


# ------------------------------------------------------------------ the provenance test's wording rules, at compile time

RESULT_FACTS = "      h2g:comparatorArm: h2r:nct00320385-arm-lapatinib\n"
ANALYSIS_FACTS = "      h2g:analysedEndpoint: h2r:progression-free-survival\n    quotes:\n      - \"Outcome Measurement"


@pytest.mark.parametrize("old, new, phrase", [
    (RESULT_FACTS, RESULT_FACTS + "      h2g:statedSignificance: h2r:stated-significant\n",
     "h2g:statedSignificance the wording"),
    (RESULT_FACTS, RESULT_FACTS + "      h2g:favoursArm: h2r:nct00320385-arm-lapatinib\n",
     "h2g:favoursArm a word of favour"),
    (RESULT_FACTS, RESULT_FACTS + "      h2g:certainty: h2r:certainty-hedged\n", "h2g:certainty hedging wording"),
    (ANALYSIS_FACTS, ANALYSIS_FACTS.replace("    quotes:", "      h2g:analysisKind: h2r:interim-analysis\n    quotes:"),
     "h2g:analysisKind the word 'interim'"),
], ids=["significance", "favoured-arm", "hedging", "analysis-kind"])
def test_a_wording_its_quote_does_not_carry_is_refused_with_its_line(project, capsys, old, new, phrase):
    line = edit(project, CTGOV_EVIDENCE, old, new) + 1
    code, _, err = curate(project, capsys, CTGOV_EVIDENCE)
    assert_one_line_error_and_nothing_written(project, code, err, CTGOV_EVIDENCE, line, phrase,
                                              "is not printed in its quote")


def test_a_cited_reference_its_quote_does_not_mark_is_refused(project, capsys):
    path = project / "evidence" / REVIEW_EVIDENCE.name
    lines = path.read_text().splitlines(keepends=True)
    number = next(index for index, text in enumerate(lines) if text == "    cites: [55]\n")
    lines[number] = "    cites: [54]\n"
    path.write_text("".join(lines))
    code, _, err = curate(project, capsys, REVIEW_EVIDENCE.name)
    assert code == 2 and err.count("\n") == 1 and "the citation marker of reference 54" in err, err
    assert f"{REVIEW_EVIDENCE.name}:" in err and not (project / "out").exists()


def test_a_stated_certainty_on_a_hedged_quote_is_refused(project, capsys):
    path = project / "evidence" / REVIEW_EVIDENCE.name
    text = path.read_text()
    assert text.count("      h2g:certainty: h2r:certainty-hedged\n") > 1
    path.write_text(text.replace("      h2g:certainty: h2r:certainty-hedged\n", "", 1))  # the file default: stated
    code, _, err = curate(project, capsys, REVIEW_EVIDENCE.name)
    assert code == 2 and err.count("\n") == 1 and "no hedge, but the quote says" in err, err
    assert not (project / "out").exists()
