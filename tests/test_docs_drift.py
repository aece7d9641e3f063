"""The documentation says what the code does: the README's command table, --help texts, VoID's title, links."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from her2graph.cli import build_parser
from her2graph.export import EXPORT_PARTS
from her2graph.local_query import RESULT_FORMATS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCRIPT = Path(sys.executable).parent / "her2graph"
DOCUMENTED_IN_THE_TABLE = ("query", "export", "build", "reason", "docs", "check-owl", "validate", "generate",
                           "stats", "locate", "push")


def _table_row(command: str) -> str:
    rows = [line for line in README.splitlines() if line.startswith(f"| `her2graph {command}")]
    assert rows, f"the README's command table needs a row for {command}"
    return "\n".join(rows)


def _subcommand(command: str):
    return build_parser()._subparsers._group_actions[0].choices[command]


@pytest.mark.parametrize("command", DOCUMENTED_IN_THE_TABLE)
def test_the_readme_row_of_each_command_names_every_option(command):
    row = _table_row(command)
    missing = [action.option_strings for action in _subcommand(command)._actions
               if action.option_strings and action.dest != "help"
               and not any(re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", row) for option in action.option_strings)]
    assert missing == []


def test_the_readme_lists_every_export_part_and_every_query_format():
    export_row, query_row = _table_row("export"), _table_row("query")
    assert re.search(r"--part ([a-z\\|]+)", export_row).group(1).split("\\|") == list(EXPORT_PARTS)
    assert set(re.search(r"--format ([a-z\\|]+)", query_row).group(1).split("\\|")) == set(RESULT_FORMATS)


def test_serve_help_names_the_real_default_of_the_cache_folder():
    help_text = " ".join(subprocess.run([str(SCRIPT), "serve", "--help"], capture_output=True, text=True,
                                        timeout=120).stdout.split())
    assert "default None" not in help_text
    assert "--cache-dir DIR folder of validated builds" in help_text
    assert "HER2GRAPH_CACHE_DIR; default $XDG_CACHE_HOME/her2graph, else ~/.cache/her2graph" in help_text


def test_void_titles_the_dataset_not_the_ontology(service):
    response = requests.get(service.url + "/void", headers={"Accept": "text/turtle"}, timeout=30)
    void = Graph().parse(data=response.text, format="turtle")
    title = str(void.value(URIRef(service.url + "/void#her2graph"), DCTERMS.title))
    assert "knowledge graph" in title and "HER2" in title and title != "her2graph ontology"


def test_the_overview_picture_is_linked_from_the_readme_and_the_ontology_page_and_served(service):
    assert "](docs/overview.svg)" in README
    assert 'href="overview.svg"' in (ROOT / "docs" / "ontology.html").read_text(encoding="utf-8")
    page = requests.get(service.url + "/docs/ontology.html", timeout=30)
    picture = requests.get(service.url + "/docs/overview.svg", timeout=30)
    assert 'href="overview.svg"' in page.text
    assert picture.status_code == 200 and picture.headers["Content-Type"].startswith("image/svg+xml")
    assert picture.content.lstrip().startswith((b"<?xml", b"<svg", b"<!DOCTYPE"))
