"""`her2graph extract`: a draft evidence file from a text, and the review's numbers all found in it.

Precision and recall on texts the rules were not written against are measured by
benchmarks/extract_benchmark.py (docs/curation.md), not here.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from her2graph.cli import main
from her2graph.errors import SourceTextError
from her2graph.evidence_schema import check_evidence_tree
from her2graph.evidence_yaml import load_evidence_yaml
from her2graph.extract import extract, sentences
from her2graph.locations import data_root
from her2graph.source_registry import read_registry

sys.path.insert(0, str(data_root() / "benchmarks"))


@pytest.fixture(scope="module")
def review_text():
    try:
        return read_registry()["her2-resistance-review"].read_text()
    except SourceTextError as error:
        pytest.skip(f"the review's text is not available here: {error}")


def test_extract_recovers_every_number_the_curated_graph_holds_for_the_review(review_text):
    from extract_benchmark import found_numbers, review_gold

    text, gold = review_gold()
    missing = gold - found_numbers(text)
    assert gold and missing == Counter()


def test_a_decimal_does_not_end_a_sentence():
    assert sentences("Unit of Measure: weeks  12.0        (8.1 to 16.0)\nNext: 1") == [
        "Unit of Measure: weeks  12.0        (8.1 to 16.0)", "Next: 1"]


def test_a_sentence_keeps_its_numbers_and_loses_its_citation_marker():
    assert sentences("It occurs at three levels.22 The first includes one.") == [
        "It occurs at three levels.", "The first includes one."]


def test_a_ratio_with_interval_and_p_value_is_one_result_on_the_endpoint_named_before_it():
    draft = extract("The median PFS was 9.6 months with T-DM1 versus 6.4 months with lapatinib plus capecitabine "
                    "(HR 0.65, 95% CI 0.55–0.77, P < 0.001).", "example",
                    {"PFS": "h2r:progression-free-survival"})
    (result,) = draft.results
    assert result.endpoint == "h2r:progression-free-survival"
    assert (result.estimate, result.ci, result.level, result.p) == ("0.65", ("0.55", "0.77"), "95", ("<", "0.001"))
    assert result.medians == [("9.6", "months"), ("6.4", "months")]


def test_the_draft_is_an_evidence_file_the_schema_accepts(tmp_path, capsys, review_text):
    text = tmp_path / "review.txt"
    text.write_text(review_text.text, encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    assert main(["extract", str(text), "--source-id", "her2-resistance-review", "-o", str(draft)]) == 0
    tree = load_evidence_yaml(draft)
    check_evidence_tree(tree, draft)
    assert str(tree["source"]) == "her2-resistance-review"
    assert len(tree["statements"]) >= 10


def test_extract_of_a_missing_file_exits_2_with_one_line(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "absent.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("her2graph extract: cannot read") and err.count("\n") == 1


def test_every_benchmark_text_has_a_gold_list_and_a_recorded_origin():
    gold = data_root() / "benchmarks" / "extract-gold"
    texts = [data_root() / "benchmarks" / "extract-texts", data_root() / "evidence" / "sources"]
    for path in gold.glob("*.tsv"):
        (text,) = [folder / f"{path.stem}.txt" for folder in texts if (folder / f"{path.stem}.txt").exists()]
        assert text.read_text(encoding="utf-8").startswith("SOURCE: ")
