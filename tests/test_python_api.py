"""The Python API as the README shows it, `python -m her2graph`, and the competency queries on rdflib's evaluator."""
from __future__ import annotations

import contextlib
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

import her2graph
from her2graph.competency_queries import competency_queries

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).parent / "expected"


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def _python_blocks(section: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def _printed_and_promised(block: str) -> tuple[list[str], list[str]]:
    """What the block prints, and what its `print(...)  # comment` lines say it prints."""
    promised = [line.split("  # ", 1)[1].strip() for line in block.splitlines()
                if line.startswith("print(") and "  # " in line]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    return out.getvalue().splitlines(), promised


@pytest.mark.parametrize("index", range(2))
def test_the_readme_python_api_examples_print_what_they_say(index):
    blocks = _python_blocks(_readme_section("The Python API"))
    assert len(blocks) == 2
    printed, promised = _printed_and_promised(blocks[index])
    assert promised and printed == promised


def test_load_gives_an_rdflib_dataset_with_the_named_graphs():
    dataset = her2graph.load()
    assert isinstance(dataset, Dataset)
    names = {str(graph.identifier) for graph in dataset.graphs() if len(graph)}
    assert {"https://w3id.org/her2graph/graph/facts", "https://w3id.org/her2graph/graph/ontology"} <= names


def test_query_by_number_name_and_text_agree():
    by_number, by_name = her2graph.query("06"), her2graph.query("06-trial-overview")
    assert by_number == by_name and by_number.columns[:2] == ["trial", "nctId"]
    assert her2graph.query("ASK { ?s ?p ?o }") is True
    assert isinstance(her2graph.query("CONSTRUCT WHERE { ?s a ?c } LIMIT 2"), Graph)


def test_query_over_a_dataset_the_caller_extended():
    dataset = her2graph.load()
    dataset.graph("urn:x-test:mine").parse(data="<urn:x:a> <urn:x:p> 42 .", format="turtle")
    rows = her2graph.query("SELECT ?v WHERE { <urn:x:a> <urn:x:p> ?v }", dataset=dataset)
    assert rows == [{"v": 42}]


def test_a_query_calling_another_server_is_refused_as_the_service_refuses_it():
    with pytest.raises(her2graph.errors.QueryError, match="SERVICE"):
        her2graph.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_an_unknown_query_name_lists_the_bundled_ones():
    with pytest.raises(her2graph.errors.QueryError, match="06-trial-overview"):
        her2graph.query("no-such-query")


def test_python_dash_m_runs_the_command_line():
    done = subprocess.run([sys.executable, "-m", "her2graph", "query", "@06", "--format", "csv"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("trial,nctId,acronym,phase,enrollment,design")


def _normalised(rows):
    """GROUP_CONCAT gives its parts in no fixed order: compare them as sorted lists. rdflib keeps a decimal's
    lexical form (12.0), Oxigraph gives the canonical one (12): compare numbers as numbers."""
    return sorted([[sorted(_number_or_text(part) for part in re.split(r", | or ", cell)) for cell in row]
                   for row in rows])


def _number_or_text(text: str) -> str:
    try:
        return repr(float(text))
    except ValueError:
        return text


@pytest.fixture(scope="module")
def rdflib_dataset():
    return her2graph.load()


@pytest.mark.parametrize("query", competency_queries(), ids=[query.name for query in competency_queries()])
def test_competency_query_gives_its_pinned_answer_on_rdflibs_own_evaluator(rdflib_dataset, query):
    result = rdflib_dataset.query(query.text)
    rows = [["" if value is None else str(value) for value in row] for row in result]
    with (EXPECTED / f"{query.name}.tsv").open(newline="", encoding="utf-8") as handle:
        header, *expected = list(csv.reader(handle, delimiter="\t"))
    assert [str(variable) for variable in result.vars] == header
    assert _normalised(rows) == _normalised(expected)
