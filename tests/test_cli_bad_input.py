"""Every subcommand, given bad input, says what is wrong in one line on standard error, never with a traceback,
and exits with the documented code (2: usage error or bad input; see her2graph.cli).

The table must name every subcommand the parser knows: a new subcommand needs its rows here.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from her2graph.cli import EXIT_USAGE, build_parser

SCRIPT = Path(sys.executable).parent / "her2graph"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    """Bad things to point commands at: a file where a folder is wanted, a folder that is not empty, data with
    a Turtle syntax error, an ontology file that is not RDF."""
    base = tmp_path_factory.mktemp("bad-input")
    (base / "a-file").write_text("not a folder")
    (base / "full-folder").mkdir()
    (base / "full-folder" / "mine.txt").write_text("keep")
    broken = base / "broken-data"
    for part in ("ontology", "graph", "shapes", "queries", "mappings"):
        shutil.copytree(ROOT / part, broken / part)
    facts = broken / "graph" / "facts" / "her2-resistance-review.ttl"
    facts.write_text(facts.read_text() + '\nh2r:oops rdfs:label "never closed .\n')
    (base / "garbage.owl").write_text("garbage")
    return base


# (name, arguments with {base} for the fixture's folder, a phrase the message must contain)
BAD_INPUTS = [
    ("no command", [], "required"),
    ("unknown command", ["frobnicate"], "invalid choice"),
    ("data folder missing", ["--data", "/nonexistent", "stats"], "no such folder"),
    ("query malformed", ["query", "SELECT WHERE {"], "not valid SPARQL"),
    ("query missing", ["query"], "give either"),
    ("query file missing", ["query", "@/nonexistent/q.rq"], "cannot read the query file"),
    ("query name unknown", ["query", "@no-such-query"], "no competency query"),
    ("query federated", ["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], "SERVICE"),
    ("query graph as csv", ["query", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv"], "use --format turtle"),
    ("query format unknown", ["query", "ASK {}", "--format", "yaml"], "invalid choice"),
    ("export into a folder", ["export", "-o", "{base}"], "is a folder"),
    ("export into a missing folder", ["export", "-o", "{base}/missing/out.ttl"], "does not exist"),
    ("export to a full device", ["export", "-o", "/dev/full"], "No space left"),
    ("export quads of one graph", ["export", "--format", "trig", "--part", "facts"], "--part all"),
    ("export broken data", ["--data", "{base}/broken-data", "export"], "line"),
    ("build bad date", ["build", "--date", "2026-13-01"], "YYYY-MM-DD"),
    ("build broken data", ["--data", "{base}/broken-data", "build", "--no-reason"], "not valid Turtle"),
    ("build into a file", ["build", "--no-reason", "-o", "{base}/a-file"], "a-file"),
    ("reason missing release", ["reason", "--release", "{base}/none.owl"], "no release"),
    ("reason unreadable release", ["reason", "--release", "{base}/garbage.owl"], "not valid RDF/XML"),
    ("docs into a file", ["docs", "-o", "{base}/a-file"], "a-file"),
    ("check-owl missing file", ["check-owl", "{base}/none.owl"], "no such file"),
    ("check-owl unreadable file", ["check-owl", "{base}/garbage.owl"], "could not load"),
    ("stats broken data", ["--data", "{base}/broken-data", "stats"], "column"),
    ("locate absent phrase", ["locate", "zz-no-such-phrase-zz"], ""),
    ("serve port out of range", ["serve", "--port", "70000"], "port"),
    ("serve data missing", ["--data", "/nonexistent", "serve"], "no such folder"),
    ("serve broken data", ["--data", "{base}/broken-data", "serve", "--cache-dir", "{base}/cache"], "not valid Turtle"),
    ("serve cache dir is a file", ["serve", "--cache-dir", "{base}/a-file"], "not a folder"),
    ("serve cache dir cannot be made", ["serve", "--cache-dir", "{base}/a-file/cache"], "cannot make"),
    ("serve zero rows", ["serve", "--max-rows", "0"], "at least 1"),
    ("validate broken data", ["--data", "{base}/broken-data", "validate", "--no-reasoner"], "not valid Turtle"),
    ("push not a url", ["push", "not-a-url"], "not an http"),
    ("push nobody listening", ["push", "http://127.0.0.1:9/store"], "cannot reach"),
    ("benchmark unknown size", ["benchmark", "--sizes", "huge"], "huge"),
    ("benchmark work dir is a file", ["benchmark", "--quick", "--work-dir", "{base}/a-file"], "a-file"),
    ("curate missing evidence file", ["curate", "{base}/none.yaml"], "cannot read the evidence file"),
    ("curate not yaml", ["curate", "{base}/a-file"], "YAML"),
    ("extract missing text", ["extract", "{base}/none.txt"], "cannot read"),
    ("generate no triples", ["generate", "--triples", "0", "-o", "{base}/g"], "positive"),
    ("generate into a full folder", ["generate", "--triples", "1000", "-o", "{base}/full-folder"], "--force"),
    ("generate into a file", ["generate", "--triples", "1000", "-o", "{base}/a-file"], "not a folder"),
]


def test_the_table_covers_every_subcommand():
    commands = set(build_parser()._subparsers._group_actions[0].choices)
    covered = {arguments[arguments.index(word)] for _, arguments, _ in BAD_INPUTS for word in arguments
               if word in commands}
    assert commands - covered == set(), "add rows for these subcommands"


@pytest.mark.parametrize("name, arguments, phrase", BAD_INPUTS, ids=[row[0] for row in BAD_INPUTS])
def test_bad_input_gives_one_line_and_exit_2(places, name, arguments, phrase):
    argv = [argument.replace("{base}", str(places)) for argument in arguments]
    environment = os.environ | {"HER2GRAPH_CACHE_DIR": str(places / "cache")}
    done = subprocess.run([str(SCRIPT), *argv], capture_output=True, text=True, timeout=300, env=environment,
                          stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr
    assert done.returncode == EXIT_USAGE, done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("her2graph"), done.stderr
    assert phrase in done.stderr
