"""The benchmark graphs: the curated graph's shape at a chosen size, with spans that hold their numbers."""
from __future__ import annotations

import re

from her2graph.dataset import load_dataset, merged_graph
from her2graph.namespaces import H2G
from her2graph.provenance import source_of, spans
from her2graph.synthetic_graph import write_synthetic_data


def test_a_synthetic_folder_loads_at_about_the_size_asked_for(tmp_path):
    write_synthetic_data(tmp_path, 5000)
    graph = merged_graph(load_dataset(tmp_path))
    synthetic = [s for s in graph.subjects() if "/resource/synthetic/" in str(s)]
    assert 4000 < len(graph) < 7500
    assert len(set(synthetic)) > 100


def test_each_synthetic_result_span_states_its_hazard_ratio(tmp_path):
    source_folder = write_synthetic_data(tmp_path, 2000)
    graph = merged_graph(load_dataset(tmp_path))
    source = source_of(graph, source_folder)
    checked = 0
    for span in spans(graph):
        for estimate in graph.objects(span.statement, H2G.hasEffectEstimate):
            text = source.span(span.start, span.end)
            assert re.search(rf"HR {graph.value(estimate, H2G.estimate)}\b", text)
            checked += 1
    assert checked > 10


def test_the_same_seed_gives_the_same_graph(tmp_path):
    write_synthetic_data(tmp_path / "a", 1000, seed=3)
    write_synthetic_data(tmp_path / "b", 1000, seed=3)
    facts = "graph/facts/synthetic.ttl"
    assert (tmp_path / "a" / facts).read_text() == (tmp_path / "b" / facts).read_text()
