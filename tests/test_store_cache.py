"""The start-up cache: a validated build is reused while its inputs are unchanged, and only then."""
from __future__ import annotations

import os
import shutil

import pyoxigraph
import pytest

from her2graph.dataset import load_dataset, merged_graph, named_graph_specs
from her2graph.locations import data_root
from her2graph.store_cache import KEPT_BUILDS, GraphNotValid, build_damage, built_store, input_digest
from service_process import ServiceProcess, running_service

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
    facts = changed / "graph" / "facts" / "her2-resistance-review.ttl"
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


# ------------------------------------------------------------------ a cached build is checked before use

def _cut_at_a_line_boundary(build: bytes) -> bytes:
    lines = build.splitlines(keepends=True)
    return b"".join(lines[: len(lines) // 2])


def _cut_mid_line(build: bytes) -> bytes:
    middle = len(build) // 2
    while build[middle - 1:middle] == b"\n":
        middle += 1
    return build[:middle]


def _flip_a_byte_of_an_iri(build: bytes) -> bytes:
    at = build.index(b"resource/trastuzumab-emtansine>") + len(b"resource/")
    return build[:at] + bytes([build[at] ^ 1]) + build[at + 1:]  # trastuzumab -> urastuzumab


def _edit_a_number(build: bytes) -> bytes:
    assert b'"0.68"' in build
    return build.replace(b'"0.68"', b'"1.68"', 1)  # same length: only the content's digest tells


TAMPERING = {"cut at a line boundary": _cut_at_a_line_boundary, "cut mid-line": _cut_mid_line,
             "a flipped byte": _flip_a_byte_of_an_iri, "an edited number": _edit_a_number}


def cache_copy(build, folder):
    """A cache folder holding a copy of `build` (its N-Quads, on-disk store, report and manifest)."""
    folder.mkdir()
    for part in build.nquads.parent.glob(f"{build.digest}.*"):
        (shutil.copytree if part.is_dir() else shutil.copy)(part, folder / part.name)
    return folder / build.nquads.name


def _largest_table(store):
    return max(store.glob("*.sst"), key=lambda table: table.stat().st_size)


def _flip_a_byte_of_a_table(store):
    table = _largest_table(store)
    data = bytearray(table.read_bytes())
    data[len(data) // 2] ^= 1
    table.write_bytes(bytes(data))


def _cut_a_table(store):
    table = _largest_table(store)
    table.write_bytes(table.read_bytes()[:-100])


STORE_TAMPERING = {"a flipped byte of a table": _flip_a_byte_of_a_table, "a table cut short": _cut_a_table,
                   "a table removed": lambda store: _largest_table(store).unlink(),
                   "a table added": lambda store: shutil.copy(_largest_table(store), store / "999999.sst"),
                   "the store removed": shutil.rmtree}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_a_damaged_build_is_discarded_and_built_again(first_build, tmp_path, tamper):
    root, _, build = first_build
    damaged = cache_copy(build, tmp_path / "cache")
    damaged.write_bytes(tamper(build.nquads.read_bytes()))
    rebuilt = built_store(root, damaged.parent)
    assert not rebuilt.reused and rebuilt.discarded, rebuilt
    assert build_damage(rebuilt.nquads) is None
    assert rebuilt.quads() == build.quads()


@pytest.mark.parametrize("tamper", STORE_TAMPERING.values(), ids=STORE_TAMPERING.keys())
def test_a_damaged_on_disk_store_is_discarded_and_built_again(first_build, tmp_path, tamper):
    root, _, build = first_build
    nquads = cache_copy(build, tmp_path / "cache")
    tamper(nquads.with_suffix(".store"))
    rebuilt = built_store(root, nquads.parent)
    assert not rebuilt.reused and "store" in rebuilt.discarded, rebuilt
    assert build_damage(rebuilt.nquads) is None
    assert len(pyoxigraph.Store.read_only(str(rebuilt.store))) == build.quads()


def test_the_on_disk_store_holds_what_the_n_quads_hold(first_build):
    _, _, build = first_build
    in_memory = pyoxigraph.Store()
    in_memory.bulk_load(path=str(build.nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    on_disk = pyoxigraph.Store.read_only(str(build.store))
    assert len(on_disk) == len(in_memory) == build.quads()
    assert _without_blank_nodes(on_disk) == _without_blank_nodes(in_memory)  # a load names blank nodes anew


def _without_blank_nodes(store):
    return {quad for quad in store if not any(isinstance(term, pyoxigraph.BlankNode) for term in quad)}


def test_opening_the_on_disk_store_read_only_leaves_the_build_intact(first_build):
    _, _, build = first_build
    store = pyoxigraph.Store.read_only(str(build.store))
    assert len(list(store.query("SELECT * { ?s ?p ?o } LIMIT 10"))) == 10
    del store
    assert build_damage(build.nquads) is None


def test_an_edited_validation_report_is_discarded_with_its_build(first_build, tmp_path):
    root, _, build = first_build
    nquads = cache_copy(build, tmp_path / "cache")
    report = nquads.with_suffix(".report.nt")
    report.write_text(report.read_text().replace("Warning", "Info"))
    rebuilt = built_store(root, nquads.parent)
    assert not rebuilt.reused and "report" in rebuilt.discarded


def test_a_build_without_its_manifest_is_not_trusted(first_build, tmp_path):
    root, _, build = first_build
    nquads = cache_copy(build, tmp_path / "cache")
    nquads.with_suffix(".json").unlink()
    rebuilt = built_store(root, nquads.parent)
    assert not rebuilt.reused and "manifest" in rebuilt.discarded


def test_serve_does_not_answer_from_a_tampered_build(first_build, tmp_path):
    import requests

    _, _, build = first_build
    damaged = cache_copy(build, tmp_path / "cache")
    damaged.write_bytes(_flip_a_byte_of_an_iri(build.nquads.read_bytes()))
    environment = {"HER2GRAPH_CACHE_DIR": str(damaged.parent)}
    with running_service(env=environment, log_path=tmp_path / "serve.log") as running:
        assert "not trusted" in running.log and "reused the validated build" not in running.log
        asked = {"query": "ASK { <https://w3id.org/her2graph/resource/urastuzumab-emtansine> ?p ?o }"}
        answer = requests.get(f"{running.url}/sparql", params=asked, headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200 and answer.json()["boolean"] is False


# ------------------------------------------------------------- a cache folder that cannot be written

def _mount_namespace_or_skip():
    """A command prefix that runs the service in its own user and mount namespaces (to mount a read-only or
    a full folder over the cache, as an unprivileged user can), or a skip when the machine does not allow it."""
    import subprocess

    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a mount namespace here: {probe.stderr.decode().strip()}")


@pytest.mark.parametrize("mount", ["read-only", "full"])
def test_serve_starts_without_the_cache_when_the_cache_folder_cannot_be_written(tmp_path, mount):
    import requests

    _mount_namespace_or_skip()
    cache = tmp_path / "cache"
    cache.mkdir()
    how = f"mount -o bind,ro {cache} {cache}" if mount == "read-only" else f"mount -t tmpfs -o size=64k tmpfs {cache}"
    wrapper = ("unshare", "-rm", "sh", "-c", f'{how} && exec "$@"', "sh")
    environment = {"HER2GRAPH_CACHE_DIR": str(cache)}
    with running_service(env=environment, log_path=tmp_path / "serve.log", wrapper=wrapper) as running:
        warnings = [line for line in running.log.splitlines() if "warning" in line.lower()]
        assert len(warnings) == 1 and str(cache) in warnings[0], running.log
        assert "Traceback" not in running.log
        answer = requests.get(f"{running.url}/sparql", params={"query": "ASK { ?s ?p ?o }"},
                              headers={"Accept": "application/sparql-results+json"})
        assert answer.json()["boolean"] is True
