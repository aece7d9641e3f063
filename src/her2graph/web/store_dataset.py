"""The dataset a remote store is asked with, so that it answers over the dataset SPARQL says (SPARQL 1.1
Query §13.2, SPARQL 1.1 Protocol §2.1.4), whatever its own habits.

- The request's default-graph-uri / named-graph-uri win over the query's FROM / FROM NAMED (Protocol §2.1.4).
  Virtuoso adds them together instead, so the query goes without its dataset clause when the request has
  one (blanked out, so that the store's error positions stay true); for any other store this changes nothing.
- A store with no default graph of its own (Virtuoso: the union of every graph it holds, its system graphs
  included; and every graph is a named graph, whatever FROM NAMED says) is given the merge as a named graph
  (`her2graph push --merge-graph IRI`), and then every query goes with a whole dataset: with no dataset in
  the request or the query, that graph as default graph and ours (graph/named-graphs.tsv) as named graphs;
  where only default graphs are named, NO_NAMED_GRAPH stands for the empty set of named graphs.
"""
from __future__ import annotations

import re

from ..errors import QueryError
from .query_guard import unescape_codepoints

NO_NAMED_GRAPH = "urn:x-her2graph:no-named-graph"
"""Sent as the only named graph where the dataset has none: a store that fills an empty half with every graph
it holds (Virtuoso) then finds nothing in GRAPH, as SPARQL says."""

_FROM_WORD = re.compile(r"\bFROM\b", re.I)
# What is skipped while looking for FROM at the top level (outside every { }): comments, strings, IRIs.
_SKIPPED = (r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|' r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
            r'"(?:[^"\\\n]|\\.)*"|' r"'(?:[^'\\\n]|\\.)*'|" r'<[^<>"{}|^`\\\x00-\x20]*>')
_TOKEN = re.compile(rf"(?P<skip>{_SKIPPED})|(?P<open>\{{)|(?P<close>\}})|"
                    r"(?P<clause>(?<![\w?$:@.\-])FROM\s+(?:NAMED\s+)?"
                    r"(?:<[^<>\"{}|^`\\\x00-\x20]*>|(?:[A-Za-z][\w.\-]*)?:[^\s{}()\[\]<>\"'#,;]*))",
                    re.I)


class DatasetNotOverridable(QueryError):
    """The query's FROM clauses cannot be told apart here, so the request's dataset cannot replace them."""


def dataset_clause(text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The IRIs of the query's FROM and FROM NAMED clauses, or None when it has none (or cannot be read here:
    the store then reads it, and says what is wrong with it)."""
    if not _FROM_WORD.search(unescape_codepoints(text)):
        return None
    from rdflib.plugins.sparql import prepareQuery

    try:
        clauses = prepareQuery(text).algebra.get("datasetClause") or []
    except Exception:  # rdflib's parser raises many unrelated kinds; any means "leave it to the store"
        return None
    if not clauses:
        return None
    # membership, not get(): rdflib's CompValue.get() answers a missing key with the key's name
    return (tuple(str(c["default"]) for c in clauses if "default" in c),
            tuple(str(c["named"]) for c in clauses if "named" in c))


def without_dataset_clause(text: str) -> str:
    """The query with its FROM and FROM NAMED clauses blanked out (same length, same lines)."""
    kept, depth, start = [], 0, 0
    for token in _TOKEN.finditer(text):
        if token.lastgroup == "open":
            depth += 1
        elif token.lastgroup == "close":
            depth = max(depth - 1, 0)
        elif token.lastgroup == "clause" and depth == 0:
            kept += [text[start:token.start()], re.sub(r"[^\n]", " ", token.group())]
            start = token.end()
    stripped = "".join(kept) + text[start:]
    if dataset_clause(stripped) is not None:
        raise DatasetNotOverridable("the request names a dataset, which replaces the query's FROM and FROM NAMED, "
                                    "but they cannot be taken out of this query here: write the IRIs plainly "
                                    "(<…>) or drop either the clauses or the parameters")
    return stripped


def dataset_to_send(text: str, default: tuple[str, ...], named: tuple[str, ...], merge_graph: str | None,
                    our_graphs: tuple[str, ...]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The query text and the default and named graphs to send the store (see the module's docstring)."""
    if (default or named) and dataset_clause(text) is not None:
        text = without_dataset_clause(text)
    if merge_graph is None:
        return text, default, named
    if not default and not named:
        default, named = dataset_clause(text) or ((merge_graph,), our_graphs)
    if default and not named:
        named = (NO_NAMED_GRAPH,)
    return text, default, named
