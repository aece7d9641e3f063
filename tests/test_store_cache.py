"""The start-up cache: a validated build is reused while its inputs are unchanged, and only then."""
from __future__ import annotations

import os
import shutil

import pyoxigraph
import pytest

from her2graph.dataset import load_dataset, merged_graph, named_graph_specs
from her2graph.locations import data_root
from her2graph.store_cache import KEPT_BUILDS, GraphNotValid, built_store, input_digest
from service_process import ServiceProcess

VIOLATING_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix h2g: <https://w3id.org/her2graph/ontology/> .
<urn:test:DrugHasAComment> a sh:NodeShape ; sh:targetClass h2g:Drug ;
    sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#comment> ; sh:minCount 1 ] .
"""


def data_copy(folder):
    """A copy of the bundled data that a test may change."""
    for part in ("ontology", "graph", "shapes", "queries"):
        shutil.copytree(data_root() / part, folder / part)
    return folder


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    root = data_copy(tmp_path_factory.mktemp("data"))
    cache = tmp_path_factory.mktemp("cache")
    return root, cache, built_store(root, cache)


def test_the_first_build_validates_and_the_second_reuses_it(first_build):
    root, cache, build = first_build
    assert not build.reused and build.nquads.parent == cache
    again = built_store(root, cache)
    assert again.reused and again.nquads == build.nquads and again.digest == build.digest


def test_a_build_holds_the_named_graphs_and_their_merge_as_default_graph(first_build):
    root, _, build = first_build
    store = pyoxigraph.Store()
    store.bulk_load(path=str(build.nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    dataset = load_dataset(root)
    assert {graph.value for graph in store.named_graphs()} == {str(spec.iri) for spec in named_graph_specs(root)}
    default = list(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    assert len(default) == len(merged_graph(dataset))
    assert build.quads() == len(store)


def test_a_changed_data_file_is_validated_and_built_again(first_build, tmp_path):
    root, cache, build = first_build
    changed = data_copy(tmp_path / "changed")
    facts = changed / "graph" / "facts" / "drugs.ttl"
    facts.write_text(facts.read_text() + "\n# a comment changes the bytes, hence the digest\n")
    rebuilt = built_store(changed, cache)
    assert not rebuilt.reused and rebuilt.digest != build.digest


def test_a_changed_shape_or_named_graphs_table_changes_the_digest(tmp_path):
    root = data_copy(tmp_path)
    before = input_digest(root)
    (root / "shapes" / "extra.ttl").write_text("# nothing yet\n")
    with_shape = input_digest(root)
    table = root / "graph" / "named-graphs.tsv"
    table.write_text(table.read_text() + "\n")
    assert len({before, with_shape, input_digest(root)}) == 3


def test_a_graph_with_violations_is_neither_built_nor_cached(tmp_path):
    root = data_copy(tmp_path / "data")
    (root / "shapes" / "every-drug-has-a-comment.ttl").write_text(VIOLATING_SHAPE)
    with pytest.raises(GraphNotValid) as refused:
        built_store(root, tmp_path / "cache")
    assert not refused.value.report.conforms
    assert not list((tmp_path / "cache").glob("*.nq"))


def test_only_the_most_recently_used_builds_are_kept(first_build, tmp_path):
    root, _, _ = first_build
    cache = tmp_path / "cache"
    cache.mkdir()
    for number in range(KEPT_BUILDS + 2):
        old = cache / f"old-{number}.nq"
        old.write_text("")
        os.utime(old, (1_000_000 + number, 1_000_000 + number))
    build = built_store(root, cache)
    kept = set(cache.glob("*.nq"))
    assert len(kept) == KEPT_BUILDS and build.nquads in kept and cache / "old-0.nq" not in kept


def test_serve_reuses_the_build_on_its_second_start(tmp_path):
    environment = {"HER2GRAPH_CACHE_DIR": str(tmp_path / "cache")}
    for start, expected in (("first", "validated the graph and built"), ("second", "reused the validated build")):
        running = ServiceProcess(env=environment, log_path=tmp_path / f"{start}.log")
        try:
            assert running.url and expected in running.log
        finally:
            running.stop()
