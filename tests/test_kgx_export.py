"""`her2graph export --format kgx` writes Biolink nodes and edges that the kgx package loads and validates.

kgx builds a Biolink Model toolkit when it is imported, and by default downloads the model and its JSON-LD
context from GitHub. Tests have no network: `offline_kgx` points both at the copies the biolink-model and
prefixcommons packages ship (they are kgx's own dependencies), before kgx is imported. Importing kgx and
parsing the Biolink model takes several seconds, hence one module-scoped load.
"""
from __future__ import annotations

import importlib.resources
import json
import subprocess
import sys
import tarfile

import pytest

from her2graph.kgx_export import EDGE_COLUMNS, NODE_COLUMNS, kgx_graph

pytest.importorskip("kgx", reason="the kgx package is in the test extras (pyproject.toml)")


def offline_kgx():
    """Import kgx with the Biolink model and contexts read from installed packages, not downloaded."""
    import bmt.toolkit

    schema = str(importlib.resources.files("biolink_model") / "schema" / "biolink_model.yaml")
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})
    import kgx.config

    prefixes = importlib.resources.files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json"
    registry = importlib.resources.files("prefixcommons") / "registry"
    kgx.config.jsonld_context_map.update({
        "biolink": json.loads(prefixes.read_text()),
        "monarch_context": json.loads((registry / "monarch_context.jsonld").read_text())["@context"],
        "obo_context": json.loads((registry / "obo_context.jsonld").read_text())["@context"],
    })
    import kgx.transformer
    import kgx.validator

    return kgx


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("kgx") / "her2graph.tar.gz"
    done = subprocess.run([sys.executable, "-m", "her2graph.cli", "export", "--format", "kgx", "-o", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def loaded(archive):
    kgx = offline_kgx()
    transformer = kgx.transformer.Transformer()
    transformer.transform({"filename": [str(archive)], "format": "tsv", "compression": "tar.gz"})
    return kgx, transformer.store.graph


def test_the_archive_holds_a_nodes_and_an_edges_file_with_kgx_columns(archive):
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == ["her2graph_edges.tsv", "her2graph_nodes.tsv"]
        nodes = tar.extractfile("her2graph_nodes.tsv").read().decode().splitlines()
        edges = tar.extractfile("her2graph_edges.tsv").read().decode().splitlines()
    assert nodes[0].split("\t") == list(NODE_COLUMNS) and edges[0].split("\t") == list(EDGE_COLUMNS)


def test_kgx_loads_every_node_and_edge(loaded, dataset):
    _, graph = loaded
    expected = kgx_graph(dataset)
    assert graph.number_of_nodes() == len(expected.nodes) > 40
    assert graph.number_of_edges() == len(expected.edges) > 40


def test_nodes_joinable_with_other_biolink_graphs_take_their_external_ids(loaded):
    _, graph = loaded
    nodes = dict(graph.nodes(data=True))
    assert nodes["CHEBI:49603"]["name"] == "lapatinib" and nodes["CHEBI:49603"]["category"] == ["biolink:Drug"]
    assert nodes["UniProtKB:P04626"]["category"] == ["biolink:Protein"]
    assert nodes["MONDO:0007254"]["category"] == ["biolink:Disease"]
    assert "DRUGBANK:DB01259" in nodes["CHEBI:49603"]["xref"]


def test_every_category_and_predicate_is_a_biolink_one(loaded):
    kgx, graph = loaded
    toolkit = kgx.utils.kgx_utils.get_toolkit()
    for _, node in graph.nodes(data=True):
        for category in node["category"]:
            assert toolkit.is_category(category), category
    for _, _, edge in graph.edges(data=True):
        assert toolkit.is_predicate(edge["predicate"]), edge["predicate"]


def test_the_kgx_validator_finds_no_error(loaded):
    kgx, graph = loaded
    validator = kgx.validator.Validator()
    for node, data in graph.nodes(data=True):
        validator.validate_node_property_types(node, data)
        validator.validate_node_property_values(node, data)
        validator.validate_categories(node, data)
    for subject, obj, data in graph.edges(data=True):
        validator.validate_edge_property_types(subject, obj, data)
        validator.validate_edge_predicate(subject, obj, data)
    errors = {level: report for level, report in validator.get_errors().items() if level == "Error"}
    assert errors == {}


def test_edges_say_how_they_are_known(loaded):
    _, graph = loaded
    edges = [data for _, _, data in graph.edges(data=True)]
    by_level = {(e["knowledge_level"], e["agent_type"]) for e in edges}
    assert by_level == {("knowledge_assertion", "manual_agent"), ("logical_entailment", "automated_agent")}
    inhibits = [e for e in edges if e["original_predicate"] == "h2g:inhibits"
                and (e["subject"], e["object"]) == ("CHEBI:49603", "UniProtKB:P04626")]
    assert [(e["predicate"], e["object_aspect_qualifier"], e["object_direction_qualifier"], e["has_evidence"])
            for e in inhibits] == [("biolink:affects", "activity", "decreased", ["ECO:0000304"])]
    # T-DM1 targets HER2 only through its antibody: the reasoner's property chain, so an entailment
    (chain,) = [e for e in edges if e["original_predicate"] == "h2g:hasTarget" and e["subject"] == "NCIT:C82492"]
    assert chain["knowledge_level"] == "logical_entailment"


def test_kgx_of_one_named_graph_is_refused_with_a_clear_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "her2graph.cli", "export", "--format", "kgx", "--part", "facts",
                           "-o", str(tmp_path / "x.tar.gz")], capture_output=True, text=True)
    assert done.returncode != 0 and "--part all" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.tar.gz").exists()
