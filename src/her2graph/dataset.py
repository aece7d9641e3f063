"""Loading the curated files into one rdflib Dataset, one named graph per part.

Which files go into which named graph is data: `graph/named-graphs.tsv` (graph IRI, a glob relative to the
data root, a description). The default graph of the returned Dataset is the union of the named graphs.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from .errors import DataFileError
from .locations import data_root, graph_dir
from .namespaces import PREFIXES
from .rdf_syntax_errors import describe_syntax_error

NAMED_GRAPHS_TABLE = "named-graphs.tsv"
_SYNTAX_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "xml": "RDF/XML", "json-ld": "JSON-LD"}
_FORMAT_BY_SUFFIX = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".owl": "xml", ".jsonld": "json-ld"}


@dataclass(frozen=True)
class NamedGraphSpec:
    """One row of the named-graphs table: which files make up which named graph."""

    iri: URIRef
    pattern: str
    description: str

    def files(self, root: Path) -> list[Path]:
        return sorted(root.glob(self.pattern))


def named_graph_specs(root: Path | None = None) -> list[NamedGraphSpec]:
    """The rows of graph/named-graphs.tsv."""
    table = graph_dir(root) / NAMED_GRAPHS_TABLE
    try:
        with table.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except OSError as error:
        raise DataFileError(table, f"cannot read the named-graphs table ({error.strerror})") from None
    try:
        return [NamedGraphSpec(URIRef(row["graph_iri"]), row["files"], row["description"]) for row in rows]
    except KeyError as missing:
        raise DataFileError(table, f"the column {missing} is missing") from None


def parse_rdf_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file by its suffix, raising DataFileError with the parser's message on bad syntax."""
    graph = into if into is not None else Graph()
    rdf_format = _FORMAT_BY_SUFFIX.get(path.suffix)
    if rdf_format is None:
        raise DataFileError(path, f"unknown RDF file suffix {path.suffix!r}; use one of {sorted(_FORMAT_BY_SUFFIX)}")
    try:
        graph.parse(path, format=rdf_format)
    except OSError as error:
        raise DataFileError(path, f"cannot read ({error.strerror})") from None
    except Exception as error:  # rdflib's parsers raise many unrelated kinds; all mean "bad syntax" here
        raise DataFileError(path, f"not valid {_SYNTAX_NAMES[rdf_format]}, {describe_syntax_error(error, _text_of(path))}") from None
    return graph


def load_dataset(root: Path | None = None, only: set[URIRef] | None = None) -> Dataset:
    """Every curated file, parsed into its named graph; the default graph is their union.

    `only` limits the load to those named graphs (the build loads the asserted ones before it has made the
    inferences).
    """
    root = root or data_root()
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    for spec in named_graph_specs(root):
        if only is not None and spec.iri not in only:
            continue
        files = spec.files(root)
        if not files:
            raise DataFileError(root / spec.pattern, "no file matches this pattern of the named-graphs table")
        named = dataset.graph(spec.iri)
        for path in files:
            parse_rdf_file(path, into=named)
    return dataset


def merged_graph(dataset: Dataset) -> Graph:
    """All triples of all named graphs in one plain Graph (for validation and export)."""
    merged = Graph()
    for prefix, namespace in dataset.namespaces():
        merged.bind(prefix, namespace, override=True)
    for named in dataset.graphs():
        if named.identifier != dataset.default_graph.identifier:
            merged += named
    return merged


def _text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
