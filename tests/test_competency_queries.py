"""Each competency question in queries/ gives its pinned answer (tests/expected/NAME.tsv) on the graph.

The answers were checked by hand against the review; a change in the graph that changes an answer must
change the pinned file too, in the same commit, with a reason.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from her2graph.competency_queries import competency_queries
from her2graph.local_query import solution_rows
from her2graph.oxigraph_store import query_store, store_from_dataset

EXPECTED = Path(__file__).parent / "expected"
QUERIES = competency_queries()


@pytest.fixture(scope="module")
def store(dataset):
    return store_from_dataset(dataset)


def _normalised(rows):
    """GROUP_CONCAT gives its parts in no fixed order: compare them as sorted lists."""
    return [[sorted(re.split(r", | or ", cell)) for cell in row] for row in rows]


def _expected(name):
    with (EXPECTED / f"{name}.tsv").open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle, delimiter="\t"))
    return header, rows


def test_there_are_at_least_twelve_documented_competency_questions():
    assert len(QUERIES) >= 12
    assert all(query.title and query.description for query in QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=[query.name for query in QUERIES])
def test_competency_question_gives_its_pinned_answer(store, query):
    names, rows = solution_rows(query_store(store, query.text))
    expected_names, expected_rows = _expected(query.name)
    assert names == expected_names
    assert _normalised(rows) == _normalised(expected_rows)


def test_only_lapatinib_acts_on_the_truncated_receptor(store):
    names, rows = solution_rows(query_store(store, QUERIES[0].text))
    assert {row[names.index("drugLabel")] for row in rows} == {"lapatinib"}


def test_emilia_is_the_adc_versus_tki_trial_with_hr_0_65_for_pfs(store):
    names, rows = solution_rows(query_store(store, QUERIES[1].text))
    assert [(row[names.index("trialLabel")], row[names.index("hr")]) for row in rows] == \
        [("EMILIA (NCT00829166)", "0.65")]
