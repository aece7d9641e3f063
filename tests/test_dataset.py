"""The loader: every curated file parses into its named graph, and bad files give a clear error."""
from __future__ import annotations

import shutil

import pytest

from her2graph.dataset import load_dataset, named_graph_specs
from her2graph.errors import DataFileError
from her2graph.locations import data_root
from her2graph.namespaces import GRAPH


def test_each_named_graph_of_the_table_is_loaded_and_not_empty(dataset):
    for spec in named_graph_specs():
        assert len(dataset.graph(spec.iri)) > 0, spec.iri


def test_the_default_graph_is_the_union_of_the_named_graphs(dataset):
    total = sum(len(dataset.graph(spec.iri)) for spec in named_graph_specs())
    assert len(set(dataset.triples((None, None, None)))) <= total
    assert len(set(dataset.triples((None, None, None)))) > len(dataset.graph(GRAPH.ontology))


@pytest.fixture
def data_copy(tmp_path):
    root = tmp_path / "data"
    for part in ("ontology", "graph", "shapes", "queries"):
        if (data_root() / part).exists():
            shutil.copytree(data_root() / part, root / part)
    return root


def test_a_turtle_syntax_error_names_the_file_and_the_line(data_copy):
    broken = data_copy / "graph" / "facts" / "broken.ttl"
    broken.write_text("@prefix h2r: <https://w3id.org/her2graph/resource/> .\n\nh2r:a h2r:b \"unclosed .\n")
    with pytest.raises(DataFileError) as caught:
        load_dataset(data_copy)
    assert "broken.ttl" in str(caught.value)
    assert "not valid Turtle, line 3, column 24: newline found in string literal: h2r:a h2r:b \"unclosed ." \
        in str(caught.value)


def test_a_named_graph_with_no_file_is_an_error(data_copy):
    for path in (data_copy / "graph" / "provenance").glob("*.ttl"):
        path.unlink()
    with pytest.raises(DataFileError, match="no file matches"):
        load_dataset(data_copy)
