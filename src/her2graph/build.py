"""`her2graph build`: every built artefact, made from its sources by one command, never edited by hand.

| artefact                                  | made from                                   |
| ----------------------------------------- | ------------------------------------------- |
| ontology/imports/external-terms.ttl       | mappings/external_terms.tsv (+ curie_map)   |
| graph/built/mappings.ttl                  | mappings/her2graph.sssom.tsv                |
| release/her2graph.owl, release/her2graph.ttl | the asserted named graphs, merged, dated |
| graph/built/inferences.ttl                | the release, reasoned over by HermiT        |

The built files are committed, OBO style, so that a fresh clone serves the mappings and the inferences at
once without Java or a build step at start-up; tests/test_build.py rebuilds each from its sources and fails
when a committed copy is stale.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .dataset import load_dataset
from .errors import Her2graphError
from .output_files import write_atomically
from .import_module import import_module_graph, read_external_terms
from .locations import data_root, graph_dir, ontology_dir, release_dir
from .namespaces import GRAPH
from .release import RELEASE_BASENAME, RELEASE_GRAPHS, release_graph
from .sssom import mapping_graph, read_mapping_set


@dataclass(frozen=True)
class BuiltFiles:
    """Where the built artefacts live under a data root."""

    root: Path

    @property
    def import_module(self) -> Path:
        return ontology_dir(self.root) / "imports" / "external-terms.ttl"

    @property
    def mappings(self) -> Path:
        return graph_dir(self.root) / "built" / "mappings.ttl"

    @property
    def inferences(self) -> Path:
        return graph_dir(self.root) / "built" / "inferences.ttl"

    @property
    def release_owl(self) -> Path:
        return release_dir(self.root) / f"{RELEASE_BASENAME}.owl"

    @property
    def release_ttl(self) -> Path:
        return release_dir(self.root) / f"{RELEASE_BASENAME}.ttl"


def built_files(root: Path | None = None) -> BuiltFiles:
    return BuiltFiles(root or data_root())


def build_import_module(root: Path | None = None) -> Graph:
    mapping_set = read_mapping_set(built_files(root).root / "mappings" / "her2graph.sssom.tsv")
    terms = read_external_terms(built_files(root).root / "mappings" / "external_terms.tsv")
    return import_module_graph(terms, mapping_set)


def build_mappings(root: Path | None = None) -> Graph:
    return mapping_graph(read_mapping_set(built_files(root).root / "mappings" / "her2graph.sssom.tsv"))


def build_release(date: datetime.date, root: Path | None = None) -> Graph:
    """The release graph; the import module and mappings must be built first (they are named graphs)."""
    dataset = load_dataset(root, only={GRAPH[part] for part in RELEASE_GRAPHS})
    return release_graph(dataset, date)


def write_turtle(graph: Graph, path: Path, turtle_format: str = "longturtle") -> None:
    _write(path, graph.serialize(format=turtle_format, encoding="utf-8"))


def write_rdfxml(graph: Graph, path: Path) -> None:
    # rdflib's "pretty-xml" silently drops statements about list nodes (owl:AllDisjointClasses members):
    # the plain writer keeps every triple.
    _write(path, graph.serialize(format="xml", encoding="utf-8"))


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, content)
    path.chmod(0o644)


def build_all(date: datetime.date, root: Path | None = None, reason: bool = True, report=print) -> None:
    """Build every artefact in dependency order: import module, mappings, release, inferences."""
    files = built_files(root)
    # The import module is read by Protégé through the catalog: "@prefix" Turtle, which every OWL API
    # version parses, rather than longturtle's SPARQL-style "PREFIX".
    write_turtle(build_import_module(root), files.import_module, turtle_format="turtle")
    report(f"built {files.import_module}")
    write_turtle(build_mappings(root), files.mappings)
    report(f"built {files.mappings}")
    release = build_release(date, root)
    write_rdfxml(release, files.release_owl)
    write_turtle(release, files.release_ttl)
    report(f"built {files.release_owl} and {files.release_ttl} ({len(release)} triples, release {date})")
    if reason:
        from .reasoning import reason_over_release

        result = reason_over_release(files.release_owl)
        if not result.passes_gate:
            raise Her2graphError(f"the release fails the reasoning gate:\n{result.report()}")
        write_turtle(result.inferred_graph(), files.inferences)
        report(f"built {files.inferences} ({len(result.inferred_graph())} inferred triples)")
