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

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .namespaces import GRAPH
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
    return {str(path.relative_to(root)): _sha256(path) for _, path in data_files(root)}


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
        old = _triples(copies / _copy_name(old_files[name], name), root / name) if name in old_files else set()
        new = _triples(root / name, root / name)
        if old is None or new is None:
            return None
        added |= new - old
        removed |= old - new
    if any(triple.predicate.value in SCHEMA_PREDICATES or triple.predicate.value.startswith("http://www.w3.org/2002/07/owl#")
           for triple in added | removed):
        return None
    return Change(frozenset(added), frozenset(removed), frozenset(_focus_nodes(added | removed, store)))


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()
