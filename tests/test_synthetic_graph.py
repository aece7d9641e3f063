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
    source_folder = write_synthetic_data(tmp_path, 5000)
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


def test_a_synthetic_folder_conforms_to_the_shapes_and_feeds_the_competency_queries(tmp_path, monkeypatch):
    from her2graph.competency_queries import competency_queries
    from her2graph.locations import queries_dir
    from her2graph.oxigraph_store import query_store, store_from_dataset
    from her2graph.validation import validate_dataset

    source_folder = write_synthetic_data(tmp_path, 6000)
    monkeypatch.setenv("HER2GRAPH_SOURCE", str(source_folder))
    dataset = load_dataset(tmp_path)
    report = validate_dataset(dataset, tmp_path)
    assert report.conforms, [result.message for result in report.results][:3]
    store = store_from_dataset(dataset)
    answered = {query.name for query in competency_queries(queries_dir(tmp_path))
                if list(query_store(store, query.text))}
    # trials, arms, results, mechanisms by level, findings, drug targets and ADC parts
    assert {"03-mechanisms-by-level", "06-trial-overview", "07-medians-per-arm", "08-hazard-ratios",
            "12-antibody-drug-conjugate-parts", "14-qualitative-findings", "15-drug-targets"} <= answered
