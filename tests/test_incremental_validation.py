"""After a change of one data file, the build validates only what the change can affect, and still finds a
defect in the changed part, and one the change makes in a node of another file; its report is the report of
a full validation."""
from __future__ import annotations

import shutil

import pytest

from her2graph.locations import data_root
from her2graph.store_cache import GraphNotValid, built_store
from her2graph.validation import validate_dataset_with_pyshacl
from report_comparison import distinct_results

H2R = "https://w3id.org/her2graph/resource/"


@pytest.fixture
def built(tmp_path):
    """A copy of the bundled data and a cache holding its build."""
    root = tmp_path / "data"
    for part in ("ontology", "graph", "shapes", "queries"):
        shutil.copytree(data_root() / part, root / part)
    cache = tmp_path / "cache"
    first = built_store(root, cache)
    assert first.validated == "the whole graph"
    return root, cache


def append(path, turtle):
    path.write_text(path.read_text(encoding="utf-8") + "\n" + turtle, encoding="utf-8")


PREFIXES = f"@prefix h2g: <https://w3id.org/her2graph/ontology/> .\n@prefix h2r: <{H2R}> .\n"


def test_a_changed_label_is_validated_incrementally_and_gives_the_full_report(built):
    root, cache = built
    trials = root / "graph" / "facts" / "her2-resistance-review.ttl"
    trials.write_text(trials.read_text(encoding="utf-8").replace('"EMILIA: T-DM1 arm"@en', '"EMILIA: the T-DM1 arm"@en', 1))
    build = built_store(root, cache)
    assert build.validated.startswith("incrementally") and "focus nodes" in build.validated, build.validated
    focus_count = int(build.validated.split("the ")[1].split()[0])
    assert 0 < focus_count < 40  # a few nodes around one hazard ratio, of about 300 typed nodes
    from her2graph.dataset import load_dataset
    from her2graph.validation import report_of, findings_of, load_shapes
    from her2graph.namespaces import GRAPH
    from rdflib import Graph

    dataset = load_dataset(root)
    reference = validate_dataset_with_pyshacl(dataset, root)
    kept = Graph().parse(build.nquads.with_suffix(".report.nt"), format="nt")
    from her2graph.dataset import merged_graph

    shapes = load_shapes(dataset.graph(GRAPH.ontology), root)
    incremental = report_of(findings_of(kept), shapes, merged_graph(dataset))
    assert distinct_results(incremental) == distinct_results(reference)


def test_a_defect_in_the_changed_file_is_caught(built):
    root, cache = built
    trials = root / "graph" / "facts" / "her2-resistance-review.ttl"
    trials.write_text(trials.read_text(encoding="utf-8").replace('h2g:nctId "NCT00829166"', 'h2g:nctId "NCT0082916"', 1))
    with pytest.raises(GraphNotValid) as refused:
        built_store(root, cache)
    assert any(result.source_shape.endswith("Trial-nctIdForm") for result in refused.value.report.results)


def test_a_change_that_breaks_a_shape_of_a_node_in_another_file_is_caught(built):
    """A triple added to entities.ttl gives a result of the review's facts the median of another trial: the median
    (unchanged, in the review's file) now has two results."""
    root, cache = built
    append(root / "graph" / "facts" / "entities.ttl", PREFIXES + "h2r:emilia-pfs-result h2g:hasArmMedian "
           "h2r:nct00078572-ttp-median-capecitabine .\n")
    with pytest.raises(GraphNotValid) as refused:
        built_store(root, cache)
    caught = {(str(result.focus_node), str(result.source_shape)) for result in refused.value.report.results}
    assert (H2R + "nct00078572-ttp-median-capecitabine", "https://w3id.org/her2graph/shapes/ArmMedian-result") in caught


def test_a_change_of_the_ontology_is_validated_in_full(built):
    root, cache = built
    append(root / "ontology" / "her2graph.ttl", "# a comment changes the digest\n")
    assert built_store(root, cache).validated == "the whole graph"
