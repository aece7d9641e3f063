"""Writing the dataset, one of its named graphs, or the ontology, in an RDF syntax or as a network for graph
tools (GraphML, Graphviz DOT: see her2graph.network_export).

Where the result goes (atomically over a regular file, streamed to a FIFO or device, never replacing
anything else) is her2graph.output_files' concern.
"""
from __future__ import annotations

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
EXPORT_PARTS = ("all", "ontology", "imports", "facts", "provenance", "mappings", "inferences", "reconciliation")


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


def _named_graph(dataset: Dataset, part: str) -> Graph:
    source = dataset.graph(GRAPH[part])
    graph = Graph()
    for prefix, namespace in dataset.namespaces():
        graph.bind(prefix, namespace, override=True)
    graph += source
    return graph
