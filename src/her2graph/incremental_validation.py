"""Validating again only what a change of the curated files can affect.

A build of store_cache records the SHA-256 of every file it was made from and keeps a copy of each (by
content, so an unchanged file is kept once), with the results it passed with. When files change and nothing
else does (not the shapes, the ontology, the named-graphs table, the code), the triples each changed file
gained or lost are found by parsing its two versions, and only the focus nodes those triples can reach are
validated again: the subjects and objects of the changed triples, and the nodes one link (either way) from
a changed triple's subject, in the new graph. That is the reach of every shape in shapes/: SHACL core
constraints read a focus node's own values (and their types); the SPARQL-based ones read the triples of a
node one link from the focus node (the arms of the result's trial, the selector of a span, the triple a
claim states, the arms the median's result compares), so a node further away reads no changed triple. A
shape that reads further would need a wider reach here: tests/test_incremental_validation.py compares the
incremental report with a full validation after each of its changes. The new report is the old
one without the results of those nodes, plus their new results: a defect in the changed part is found, and so
is one the change makes elsewhere (a second result linking a median, in another file).

A change is validated in full instead when it touches what every shape reads: the ontology and its imports
(class and property hierarchy, domains, ranges, concept schemes), a triple about classes or properties
(rdfs:subClassOf ...), or a file with blank nodes (whose labels differ between two parses, so the triples
that changed cannot be told from those that did not).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .namespaces import GRAPH
from .store_cache import file_sha256
from .store_loading import data_files, parsed_triples

FULL_REVALIDATION_GRAPHS = {str(GRAPH.ontology), str(GRAPH.imports)}
"""Named graphs whose change can affect any focus node: their files are never validated incrementally."""
SCHEMA_PREDICATES = {"http://www.w3.org/2000/01/rdf-schema#subClassOf",
                     "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
                     "http://www.w3.org/2000/01/rdf-schema#domain", "http://www.w3.org/2000/01/rdf-schema#range"}
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class Change:
    """The triples that changed files gained and lost, and the focus nodes to validate again."""

    added: frozenset
    removed: frozenset
    focus_nodes: frozenset


def file_digests(root: Path) -> dict[str, str]:
    """SHA-256 of every data file of the named-graphs table, by its path relative to `root`."""
    return {str(path.relative_to(root)): file_sha256(path) for _, path in data_files(root)}


def graphs_of_files(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): graph.value for graph, path in data_files(root)}


def change_between(root: Path, old_files: dict[str, str], copies: Path, store: ox.Store) -> Change | None:
    """The change from the files recorded in `old_files` (kept in `copies` by digest) to those at `root`, with
    the focus nodes it can affect in `store` (the new data); None when it must be validated in full."""
    new_files = file_digests(root)
    graphs = graphs_of_files(root)
    changed = [name for name in set(old_files) | set(new_files) if old_files.get(name) != new_files.get(name)]
    added, removed = set(), set()
    for name in changed:
        if graphs.get(name) in FULL_REVALIDATION_GRAPHS or name not in graphs:
            return None
        old_copy = copies / _copy_name(old_files[name], name) if name in old_files else None
        difference = _region_difference(old_copy, root / name) if old_copy else None
        if difference is None:  # not a local edit of a Turtle file: both versions are read whole
            old = _triples(old_copy, root / name) if old_copy else set()
            new = _triples(root / name, root / name)
            if old is None or new is None:
                return None
            difference = (new - old, old - new)
        added |= difference[0]
        removed |= difference[1]
    if any(triple.predicate.value in SCHEMA_PREDICATES or triple.predicate.value.startswith("http://www.w3.org/2002/07/owl#")
           for triple in added | removed):
        return None
    focus = _focus_nodes(added | removed, store)
    if any(isinstance(node, ox.BlankNode) for node in focus):  # a query cannot name a blank node: validate all
        return None
    return Change(frozenset(added), frozenset(removed), frozenset(focus))


def _region_difference(old_path: Path, new_path: Path) -> tuple[set, set] | None:
    """(gained, lost) triples of a Turtle or N-Triples file edited in one place, read from the statements
    around the bytes that differ only (with the file's prefixes): a one-line edit of a file of a million
    triples costs a comparison of its bytes, not two parses. A triple of the edited statements may also be
    stated elsewhere in the file: it is then counted as changed though it is not, which only validates a
    few more nodes. None when the edit is not local to statements this reading can delimit."""
    if new_path.suffix not in (".ttl", ".nt") or not old_path.exists():
        return None
    old, new = old_path.read_bytes(), new_path.read_bytes()
    head = _common_prefix_length(old, new)
    tail = _common_prefix_length(old[head:][::-1], new[head:][::-1])
    start = old.rfind(STATEMENT_END, 0, head) + len(STATEMENT_END) if old.rfind(STATEMENT_END, 0, head) >= 0 else 0
    regions = []
    for text in (old, new):
        end = text.find(STATEMENT_END, max(start, len(text) - tail - len(STATEMENT_END)))
        region = text[start:len(text) if end < 0 else end + len(STATEMENT_END)]
        if b'"""' in region or b"\'\'\'" in region:
            return None
        regions.append(region)
    prefixes = b"".join(line.group(0) for line in PREFIX_LINE.finditer(old, 0, start))
    triples = []
    for region in regions:
        try:
            parsed = set(ox.parse(input=prefixes + region, format=ox.RdfFormat.TURTLE, lenient=True,
                                  base_iri=new_path.resolve().as_uri()))
        except SyntaxError:
            return None
        if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in parsed):
            return None
        triples.append(parsed)
    return triples[1] - triples[0], triples[0] - triples[1]


STATEMENT_END = b" .\n"
"""How the statements of our Turtle end (longturtle's, the synthetic graph's, the curators')."""
PREFIX_LINE = re.compile(rb"^[ \t]*(@prefix|@base|PREFIX|BASE)\b[^\n]*\n", re.MULTILINE)


def _common_prefix_length(first: bytes, second: bytes) -> int:
    """How many leading bytes `first` and `second` share (compared a megabyte at a time)."""
    low, high, step = 0, min(len(first), len(second)), 1 << 20
    one, other = memoryview(first), memoryview(second)
    while low + step <= high and one[low:low + step] == other[low:low + step]:
        low += step
    high = min(high, low + step)
    while low < high:  # the first differing byte lies in [low, high]
        middle = (low + high + 1) // 2
        if one[low:middle] == other[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def keep_copies(root: Path, files: dict[str, str], copies: Path) -> None:
    """Keep a copy of each file under its digest (once per content)."""
    copies.mkdir(parents=True, exist_ok=True)
    for name, digest in files.items():
        kept = copies / _copy_name(digest, name)
        if not kept.exists():
            temporary = copies / f".{kept.name}.partial"
            temporary.write_bytes((root / name).read_bytes())
            temporary.replace(kept)


def _copy_name(digest: str, name: str) -> str:
    return digest + Path(name).suffix  # the suffix tells the parser the format


def _triples(path: Path, named_as: Path) -> set | None:
    """The triples of a file (with the base IRI of `named_as`, the file it is a copy of), None when it holds a
    blank node (or is gone)."""
    if not path.exists():
        return None
    triples = set()
    for triple in parsed_triples(path, lenient=True, base_iri=named_as.resolve().as_uri()):
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            return None
        triples.add(triple)
    return triples


def _focus_nodes(triples: set, store: ox.Store) -> set:
    """The subjects and objects of `triples`, and every node one link from a subject (either way)."""
    subjects = {triple.subject for triple in triples}
    found = set(subjects) | {triple.object for triple in triples if not isinstance(triple.object, ox.Literal)}
    for node in subjects:
        for quad in store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            if quad.predicate != _RDF_TYPE and not isinstance(quad.object, ox.Literal):
                found.add(quad.object)
        for quad in store.quads_for_pattern(None, None, node, ox.DefaultGraph()):
            found.add(quad.subject)
    return found
