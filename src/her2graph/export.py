"""Writing the dataset, one of its named graphs, or the ontology, in an RDF syntax or as a network for graph
tools (GraphML, Graphviz DOT: see her2graph.network_export).

Files are written atomically (a temporary file renamed into place), so a failed export never leaves a
half-written file behind.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from . import kgx_export, network_export
from .dataset import merged_graph
from .errors import Her2graphError
from .namespaces import GRAPH

# CLI format name -> (rdflib serializer, whether it keeps named graphs)
EXPORT_FORMATS = {
    "ttl": ("longturtle", False),
    "nt": ("nt", False),
    "jsonld": ("json-ld", False),
    "owl": ("xml", False),  # not "pretty-xml": it drops statements about list nodes (owl:AllDisjointClasses)
    "trig": ("trig", True),
    "nq": ("nquads", True),
}
# CLI format name -> function writing a network (nodes and labelled edges) for graph tools
NETWORK_FORMATS = {"graphml": network_export.graphml, "dot": network_export.dot}
# CLI format name -> function writing the dataset as tables for another graph model (KGX: Biolink TSV)
TABLE_FORMATS = {"kgx": kgx_export.kgx_archive}
EXPORT_PARTS = ("all", "ontology", "imports", "facts", "provenance", "mappings", "inferences")


def serialise(dataset: Dataset, part: str, export_format: str) -> bytes:
    """The chosen part of the dataset in the chosen format."""
    if export_format in TABLE_FORMATS:
        return TABLE_FORMATS[export_format](dataset, part)
    if export_format in NETWORK_FORMATS:
        return NETWORK_FORMATS[export_format](network_export.network_of(dataset, part))
    serializer, keeps_graphs = EXPORT_FORMATS[export_format]
    if keeps_graphs:
        if part != "all":
            raise Her2graphError(f"--format {export_format} writes named graphs; use it with --part all")
        return dataset.serialize(format=serializer, encoding="utf-8")
    graph = merged_graph(dataset) if part == "all" else _named_graph(dataset, part)
    return graph.serialize(format=serializer, encoding="utf-8")


def write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` so that readers see the old file or the whole new one, never a part."""
    path = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise Her2graphError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _named_graph(dataset: Dataset, part: str) -> Graph:
    source = dataset.graph(GRAPH[part])
    graph = Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace, override=True)
    graph += source
    return graph
