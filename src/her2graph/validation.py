"""Validating the merged graph against the SHACL shapes in shapes/*.ttl (W3C SHACL, §3.6 validation reports).

A minimal check for `her2graph serve` (which refuses to start on violations): pySHACL with no inference,
the ontology mixed in for its class hierarchy. Warnings and infos do not fail the data.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph
from rdflib.namespace import SH

from .dataset import merged_graph, parse_rdf_file
from .locations import shapes_dir
from .namespaces import GRAPH


@dataclass(frozen=True)
class ValidationReport:
    """pySHACL's report: its graph and its text."""

    report_graph: Graph
    report_text: str

    @property
    def conforms(self) -> bool:
        """True when no result has severity sh:Violation."""
        return not any(self.report_graph.subjects(SH.resultSeverity, SH.Violation))

    def text(self) -> str:
        return self.report_text


def validate_dataset(dataset: Dataset, root: Path | None = None) -> ValidationReport:
    """The dataset's merged graph checked against every shapes file of `root` (default: the bundled data)."""
    shapes = Graph()
    for path in sorted(shapes_dir(root).glob("*.ttl")):
        parse_rdf_file(path, into=shapes)
    if len(shapes) == 0:
        return ValidationReport(Graph(), "Validation Report\nConforms: True (no shapes)\n")
    _, report_graph, report_text = pyshacl.validate(merged_graph(dataset), shacl_graph=shapes,
                                                    ont_graph=dataset.graph(GRAPH.ontology), inference="none")
    return ValidationReport(report_graph, report_text)
