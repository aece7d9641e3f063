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

A build is all or nothing: every artefact is made in a temporary folder and moved into place only when every
step (reasoning gate included) has passed. It is reproducible: the same inputs and date give the same bytes
(her2graph.canonical_rdf). Its outputs go under the data folder of a checkout, or, for an installed package,
under the current folder (or the one named with --output): never into site-packages.
"""
from __future__ import annotations

import datetime
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .canonical_rdf import rdfxml_bytes, turtle_bytes
from .dataset import load_dataset
from .errors import Her2graphError
from .import_module import import_module_graph, read_external_terms
from .locations import data_root, graph_dir, is_installed_data, ontology_dir, release_dir
from .output_files import write_atomically
from .namespaces import GRAPH
from .release import RELEASE_BASENAME, RELEASE_GRAPHS, release_graph
from .sssom import mapping_graph, read_mapping_set


BUILT_ARTEFACTS = ("import_module", "mappings", "release_owl", "release_ttl", "inferences")


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


def build_release(date: datetime.date, root: Path | None = None, imports: Graph | None = None,
                  mappings: Graph | None = None) -> Graph:
    """The release graph at `date`. The import module and the mapping triples are the built files under
    `root`, unless given (a build passes the ones it has just made, before any is written)."""
    dataset = load_dataset(root, only={GRAPH[part] for part in RELEASE_GRAPHS})
    for part, graph in (("imports", imports), ("mappings", mappings)):
        if graph is not None:
            named = dataset.graph(GRAPH[part])
            named.remove((None, None, None))
            named += graph
    return release_graph(dataset, date)


def write_turtle(graph: Graph, path: Path, turtle_format: str = "longturtle") -> None:
    _write(path, turtle_bytes(graph, turtle_format))


def write_rdfxml(graph: Graph, path: Path) -> None:
    _write(path, rdfxml_bytes(graph))


def _write(path: Path, content: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise Her2graphError(f"cannot make {path.parent}: {error.strerror}") from None
    write_atomically(path, content)


def output_root(root: Path | None = None) -> Path:
    """Where built files go by default: the data folder of a checkout (or of --data), but the current folder
    when the data is the copy installed inside the package (never write into site-packages)."""
    root = root or data_root()
    return Path.cwd() if is_installed_data(root) else root


def build_all(date: datetime.date, root: Path | None = None, reason: bool = True, report=print,
              output: Path | None = None) -> None:
    """Build every artefact in dependency order (import module, mappings, release, inferences) into a
    temporary folder, and move them into place under `output` only when every step has passed: a failed
    build changes nothing."""
    root = root or data_root()
    output = Path(output) if output is not None else output_root(root)
    try:
        output.mkdir(parents=True, exist_ok=True)
        staging_folder = tempfile.TemporaryDirectory(dir=output, prefix=".her2graph-build-")
    except OSError as error:
        raise Her2graphError(f"cannot build into {output}: {error.strerror}") from None
    with staging_folder as staging:
        staged = built_files(Path(staging))
        _build_into(staged, date, root, reason, report)
        final = built_files(output)
        for name in BUILT_ARTEFACTS:
            source = getattr(staged, name)
            if source.exists():
                _move_into_place(source, getattr(final, name))
                report(f"built {getattr(final, name)}")


def _build_into(staged: BuiltFiles, date: datetime.date, root: Path, reason: bool, report) -> None:
    imports, mappings = build_import_module(root), build_mappings(root)
    # The import module is read by Protégé through the catalog: "@prefix" Turtle, which every OWL API
    # version parses, rather than longturtle's SPARQL-style "PREFIX".
    write_turtle(imports, staged.import_module, turtle_format="turtle")
    write_turtle(mappings, staged.mappings)
    release = build_release(date, root, imports=imports, mappings=mappings)
    write_rdfxml(release, staged.release_owl)
    write_turtle(release, staged.release_ttl)
    report(f"made the release ({len(release)} triples, release {date})")
    if reason:
        from .reasoning import reason_over_release

        result = reason_over_release(staged.release_owl)
        if not result.passes_gate:
            raise Her2graphError(f"the release fails the reasoning gate; nothing was written:\n{result.report()}")
        write_turtle(result.inferred_graph(), staged.inferences)
        report(f"reasoned over the release ({len(result.inferred)} inferred triples)")


def _move_into_place(source: Path, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    except OSError as error:
        raise Her2graphError(f"cannot write {target}: {error.strerror}") from None
