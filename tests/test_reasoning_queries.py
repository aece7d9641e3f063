"""The competency questions that need the reasoner (queries 16 and 17) are answered over the inferred graph,
and without the inferences named graph they lose what only reasoning gives: the inferences earn their keep."""
from __future__ import annotations

import pytest
from rdflib import Dataset

from her2graph.competency_queries import competency_queries
from her2graph.local_query import solution_rows
from her2graph.namespaces import GRAPH
from her2graph.oxigraph_store import query_store, store_from_dataset

QUERIES = {query.name: query for query in competency_queries()}
MECHANISM_DRUGS = "16-drugs-a-mechanism-can-blunt"
TRIALS_AFTER_TRASTUZUMAB = "17-trials-of-a-her2-directed-drug-after-trastuzumab"


@pytest.fixture(scope="module")
def with_inferences(dataset):
    return store_from_dataset(dataset)


@pytest.fixture(scope="module")
def without_inferences(dataset):
    asserted = Dataset()
    for graph in dataset.graphs():
        if graph.identifier != GRAPH.inferences:
            asserted.graph(graph.identifier).__iadd__(graph)
    return store_from_dataset(asserted)


def answer(store, name):
    names, rows = solution_rows(query_store(store, QUERIES[name].text))
    return [dict(zip(names, row)) for row in rows]


def test_each_mechanism_can_blunt_the_three_her2_directed_drugs(with_inferences):
    rows = answer(with_inferences, MECHANISM_DRUGS)
    drugs = {row["drugLabel"] for row in rows}
    assert drugs == {"lapatinib", "trastuzumab", "trastuzumab emtansine"}
    assert len(rows) == 8 * 3  # eight mechanisms
    hedged = {row["mechanismLabel"] for row in rows if row["certainty"] == "certainty: hedged as possible"}
    assert "compensatory crosstalk with other pathways" in hedged


def test_without_the_reasoner_no_drug_is_known_to_be_her2_directed(without_inferences):
    assert answer(without_inferences, MECHANISM_DRUGS) == []
    assert answer(without_inferences, TRIALS_AFTER_TRASTUZUMAB) == []


def test_trials_after_trastuzumab_include_t_dm1_known_only_through_its_antibody(with_inferences):
    rows = {(row["trialLabel"], row["drugLabel"]) for row in answer(with_inferences, TRIALS_AFTER_TRASTUZUMAB)}
    assert ("EMILIA (NCT00829166)", "trastuzumab emtansine") in rows
    assert ("TH3RESA (NCT01419197)", "trastuzumab emtansine") in rows
    assert ("phase 3 trial of lapatinib plus capecitabine versus capecitabine (NCT00078572)", "lapatinib") in rows
    # capecitabine is not HER2-directed: never listed
    assert not [row for row in rows if row[1] == "capecitabine"]
