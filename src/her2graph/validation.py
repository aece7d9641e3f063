"""Validating the merged graph against the SHACL shapes in shapes/*.ttl (W3C SHACL, section 3.6:
validation reports), and reading pySHACL's report graph into typed results.

Validation runs with inference "none". The shapes check what the curators wrote, closed-world: under
RDFS inference, every object of h2g:ofTrial would be inferred to be a h2g:Trial by the property's
rdfs:range, so "a result tied to something that is not a trial" could never be caught, and a misspelt
class would be papered over by domain inferences. Subclass reasoning is still there, without inference:
SHACL's sh:targetClass and sh:class follow rdfs:subClassOf triples in the data graph, and the ontology
is mixed into it (`ont_graph`). The OWL semantics proper is the reasoner's job (her2graph.consistency).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

import pyshacl
from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, RuleLoadError, ShapeLoadError
from rdflib import Dataset, Graph
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node, URIRef

from .dataset import merged_graph, parse_rdf_file
from .errors import Her2graphError, ShapesError
from .locations import shapes_dir
from .namespaces import GRAPH, H2S, SH
from .provenance import source_of
from .ratio_checks import add_to_report_graph, ratio_findings
from .source_text import SourceText
from .span_evidence import SpanEvidence, supporting_spans

SHAPES_PATTERN = "*.ttl"
DERIVED_SHAPES_FOLDER = "from-ontology"
INFERENCE = "none"


class Severity(Enum):
    """The SHACL severities, in the order a report lists them."""

    VIOLATION = SH.Violation
    WARNING = SH.Warning
    INFO = SH.Info

    @property
    def title(self) -> str:
        return {"VIOLATION": "Violations", "WARNING": "Warnings", "INFO": "Infos"}[self.name]


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult, with the label of its focus node and the source spans that node rests on."""

    severity: Severity
    focus_node: Node
    focus_label: str | None
    message: str
    path: Node | None
    value: Node | None
    source_shape: Node
    source_constraint: Node | None
    constraint_component: Node
    spans: tuple[SpanEvidence, ...]

    @property
    def rule(self) -> Node:
        """The named SPARQL constraint that fired, else the shape: what a curator looks up in shapes/."""
        return self.source_constraint if isinstance(self.source_constraint, URIRef) else self.source_shape


@dataclass(frozen=True)
class ValidationReport:
    """Every result of one validation, and the W3C report graph they were read from."""

    results: tuple[ValidationResult, ...]
    report_graph: Graph

    @property
    def conforms(self) -> bool:
        """True when there is no violation: warnings and infos are reported but do not fail the data."""
        return not self.by_severity(Severity.VIOLATION)

    def by_severity(self, severity: Severity) -> tuple[ValidationResult, ...]:
        return tuple(result for result in self.results if result.severity is severity)


def load_shapes(ontology: Graph, root: Path | None = None) -> Graph:
    """Every hand-written shapes file, plus the shapes the from-ontology/ queries derive from `ontology`."""
    folder = shapes_dir(root)
    files = sorted(folder.glob(SHAPES_PATTERN))
    if not files:
        raise ShapesError(f"no shapes file matches {folder / SHAPES_PATTERN}")
    shapes = Graph()
    for path in files:
        parse_rdf_file(path, into=shapes)
    for path in sorted((folder / DERIVED_SHAPES_FOLDER).glob("*.rq")):
        shapes += _derived_shapes(ontology, path)
    return shapes


def validate_dataset(dataset: Dataset, root: Path | None = None) -> ValidationReport:
    """Validate the dataset's merged graph against the shapes of `root` (default: the bundled data)."""
    ontology = dataset.graph(GRAPH.ontology)
    return validate_graph(merged_graph(dataset), load_shapes(ontology, root), ontology)


def validate_graph(graph: Graph, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
    """Validate `graph` against `shapes`, with `ontology` mixed in for its class hierarchy.

    `graph` itself is left untouched: pySHACL works on a copy, into which it mixes the ontology.
    """
    data = _PreparedQueryGraph()
    data += graph
    try:
        _, report_graph, _ = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=ontology, inference=INFERENCE, inplace=True, abort_on_first=False,
        )
    except (ConstraintLoadError, ShapeLoadError, RuleLoadError, ReportableRuntimeError) as error:
        raise ShapesError(f"the shapes cannot be run: {_one_line(error)}") from None
    if isinstance(report_graph, Exception):  # pySHACL returns, rather than raises, a ValidationFailure
        raise ShapesError(f"the shapes cannot be run: {_one_line(report_graph)}")
    report_graph.bind("h2s", H2S)
    # The ratio statistics check needs logarithms, which SPARQL lacks: its results join the same report.
    add_to_report_graph(report_graph, ratio_findings(graph))
    for prefix, namespace in graph.namespaces():
        report_graph.bind(prefix, namespace, override=False)
    source = _source_or_none(graph)
    results = [_result(graph, shapes, report_graph, node, source)
               for node in report_graph.subjects(RDF.type, SH.ValidationResult)]
    results.sort(key=lambda result: (list(Severity).index(result.severity), str(result.focus_node), result.message))
    return ValidationReport(tuple(results), report_graph)


class _PreparedQueryGraph(Graph):
    """A Graph that parses each SPARQL text once.

    pySHACL runs a SPARQL-based constraint once per focus node, passing the query's text each time, and
    rdflib parses text anew on every call. Parsing one of our constraints takes tens of milliseconds,
    evaluating it on one focus node about one: for the shipped graph, 6 s of validation became 0.6 s.
    (pySHACL can also validate an Oxigraph store, which evaluates faster still; but Oxigraph stores
    xsd:positiveInteger and the other derived integer types as xsd:integer, which would break every
    sh:datatype check of a count.)
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str) and not kwargs.get("initNs"):
            query_object = _prepared_query(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=256)
def _prepared_query(text: str) -> Query:
    return prepareQuery(text)


def _derived_shapes(ontology: Graph, query_file: Path) -> Graph:
    try:
        return ontology.query(query_file.read_text(encoding="utf-8")).graph
    except OSError as error:
        raise ShapesError(f"cannot read {query_file} ({error.strerror})") from None
    except Exception as error:  # rdflib's parser raises pyparsing errors and ValueErrors alike
        raise ShapesError(f"{query_file}: the query cannot be run: {_one_line(error)}") from None


def _result(graph: Graph, shapes: Graph, report: Graph, node: Node, source: SourceText | None) -> ValidationResult:
    focus = report.value(node, SH.focusNode)
    label = graph.value(focus, RDFS.label)
    return ValidationResult(
        severity=Severity(report.value(node, SH.resultSeverity)),
        focus_node=focus,
        focus_label=None if label is None else str(label),
        message=_message(report, shapes, node),
        path=report.value(node, SH.resultPath),
        value=report.value(node, SH.value),
        source_shape=report.value(node, SH.sourceShape),
        source_constraint=report.value(node, SH.sourceConstraint),
        constraint_component=report.value(node, SH.sourceConstraintComponent),
        spans=supporting_spans(graph, focus, source),
    )


def _message(report: Graph, shapes: Graph, node: Node) -> str:
    """The result's message. For a SPARQL-based constraint pySHACL gives both the constraint's message
    (specific: it names the numbers) and its shape's (general): the constraint's is shown."""
    messages = sorted(str(message) for message in report.objects(node, SH.resultMessage))
    general = {str(message) for message in shapes.objects(report.value(node, SH.sourceShape), SH.message)}
    specific = [message for message in messages if message not in general]
    return (specific or messages or ["(no message)"])[0]


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _source_or_none(graph: Graph) -> SourceText | None:
    try:
        return source_of(graph)
    except Her2graphError:  # the text is not redistributed: without it, spans are shown as offsets
        return None
