"""The store the command line and the query workers share: named graphs, and their set merge as default graph."""
from __future__ import annotations

from rdflib import Dataset, Literal, URIRef

from her2graph.oxigraph_store import query_store, store_from_dataset


def test_a_triple_in_two_graphs_is_one_triple_of_the_default_graph_and_from_is_honoured():
    dataset = Dataset()
    shared = (URIRef("http://e/s"), URIRef("http://e/p"), Literal("shared"))
    dataset.graph(URIRef("http://e/g1")).add(shared)
    dataset.graph(URIRef("http://e/g2")).add(shared)
    dataset.graph(URIRef("http://e/g2")).add((URIRef("http://e/s"), URIRef("http://e/p"), Literal("only in g2")))
    store = store_from_dataset(dataset)
    [count] = query_store(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert count["n"].value == "2"
    [count] = query_store(store, "SELECT (COUNT(*) AS ?n) FROM <http://e/g1> { ?s ?p ?o }")
    assert count["n"].value == "1"
