"""The dataset sent to a store (web/store_dataset.py), case by case, without a store: the request's dataset
replaces the query's FROM clauses, and a store with no default graph of its own always gets a whole dataset."""
from __future__ import annotations

import pytest

from her2graph.web.store_dataset import NO_NAMED_GRAPH, DatasetNotOverridable, dataset_clause, dataset_to_send, \
    without_dataset_clause

MERGE = "https://w3id.org/her2graph/graph/merge"
OURS = ("https://w3id.org/her2graph/graph/facts", "https://w3id.org/her2graph/graph/ontology")


def test_a_query_without_from_has_no_dataset_clause():
    assert dataset_clause("SELECT * { ?s ?p ?o }") is None
    assert dataset_clause('SELECT * { ?s ?p "FROM <x:y>" }') is None


def test_the_dataset_clause_resolves_prefixed_names():
    query = "PREFIX g: <http://ex/> SELECT * FROM g:a FROM NAMED <http://ex/b> FROM NAMED g:c { ?s ?p ?o }"
    assert dataset_clause(query) == (("http://ex/a",), ("http://ex/b", "http://ex/c"))


def test_from_clauses_are_blanked_out_keeping_every_position():
    query = "SELECT *\nFROM <http://ex/a>\nFROM NAMED <http://ex/b> WHERE { ?s ?p ?o }"
    stripped = without_dataset_clause(query)
    assert len(stripped) == len(query) and stripped.count("\n") == 2
    assert "FROM" not in stripped and stripped.endswith("WHERE { ?s ?p ?o }")


def test_only_the_top_level_from_is_taken_out():
    query = ('PREFIX from: <http://ex/from#> CONSTRUCT { ?from from:x "FROM <http://ex/s>" } '
             "FROM from:g WHERE { ?from from:x ?o # FROM <http://ex/c>\n FILTER(?o != <http://ex/FROM>) }")
    assert without_dataset_clause(query) == query.replace("FROM from:g ", " " * len("FROM from:g "))


def test_the_requests_dataset_replaces_the_querys():
    text, default, named = dataset_to_send("SELECT * FROM <http://ex/a> { ?s ?p ?o }", ("http://ex/b",), (),
                                           None, ())
    assert "http://ex/a" not in text and default == ("http://ex/b",) and named == ()


def test_without_a_merge_graph_a_dataset_less_query_goes_as_it_is():
    assert dataset_to_send("ASK { ?s ?p ?o }", (), (), None, OURS) == ("ASK { ?s ?p ?o }", (), ())


def test_with_a_merge_graph_a_dataset_less_query_gets_the_merge_and_our_named_graphs():
    assert dataset_to_send("ASK { ?s ?p ?o }", (), (), MERGE, OURS) == ("ASK { ?s ?p ?o }", (MERGE,), OURS)


def test_with_a_merge_graph_the_querys_from_is_sent_as_a_whole_dataset():
    query = "ASK FROM <http://ex/a> { GRAPH ?g { ?s ?p ?o } }"
    assert dataset_to_send(query, (), (), MERGE, OURS) == (query, ("http://ex/a",), (NO_NAMED_GRAPH,))


def test_with_a_merge_graph_named_graphs_alone_leave_the_default_graph_empty():
    assert dataset_to_send("ASK {}", (), OURS, MERGE, OURS) == ("ASK {}", (), OURS)


def test_a_from_that_cannot_be_taken_out_is_refused_rather_than_added_to():
    query = "SELECT * FROM <http://ex/a> { ?s ?p ?o }".replace("FROM", r"FR\u004FM")
    with pytest.raises(DatasetNotOverridable, match="cannot be taken out"):
        dataset_to_send(query, ("http://ex/b",), (), None, ())
