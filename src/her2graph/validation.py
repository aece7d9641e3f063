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

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

import pyoxigraph
import pyshacl
from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, RuleLoadError, ShapeLoadError
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node, URIRef

from .dataset import merged_graph, parse_rdf_file
from .errors import Her2graphError, ShapesError, one_line
from .locations import shapes_dir
from .namespaces import GRAPH, H2S, PREFIXES, SH, SPARQL_PROLOGUE
from .provenance import source_of
from .ratio_checks import add_to_report_graph, ratio_findings
from .shacl_sparql import CompiledShapes, DataLoader, Finding, UnsupportedShapes, oxigraph_triple
from .shacl_sparql import rdflib_term as _rdflib_term
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
    queries = sorted((folder / DERIVED_SHAPES_FOLDER).glob("*.rq"))
    if queries:
        store = pyoxigraph.Store()
        store.bulk_extend(pyoxigraph.Quad(*oxigraph_triple(triple)) for triple in ontology)
        for path in queries:
            shapes += _derived_shapes(store, path)
    return shapes


def validate_dataset(dataset: Dataset, root: Path | None = None) -> ValidationReport:
    """Validate the dataset's merged graph against the shapes of `root` (default: the bundled data), with the
    SPARQL engine (pySHACL where the shapes use what that engine does not run)."""
    ontology = dataset.graph(GRAPH.ontology)
    return validate_fast(merged_graph(dataset), load_shapes(ontology, root), ontology)


def validate_fast(graph: Graph, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
    """The report of validate_graph, computed by SHACL run as SPARQL on an Oxigraph store (shacl_sparql):
    the same results, in a fraction of the time. Falls back to pySHACL for shapes that engine cannot run."""
    try:
        compiled = compile_shapes(shapes)
    except UnsupportedShapes:
        return validate_graph(graph, shapes, ontology)
    loader = DataLoader(compiled.datatype_predicates)
    loader.add(oxigraph_triple(triple) for triple in graph)
    if ontology is not None:
        loader.add(oxigraph_triple(triple) for triple in ontology)
    return report_of(compiled.run(loader.data), shapes, graph)


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """The shapes as SPARQL queries; raises UnsupportedShapes or ShapesError."""
    try:
        return CompiledShapes(shapes)
    except (ValueError, TypeError, AttributeError) as error:  # malformed shapes: a list that is not one ...
        raise ShapesError(f"the shapes cannot be run: {one_line(error)}") from None


def report_of(findings: Iterable[Finding], shapes: Graph, graph: Graph) -> ValidationReport:
    """The ValidationReport of the SPARQL engine's findings; `graph` gives labels and source spans."""
    return _read_report(graph, shapes, report_graph_of(findings, shapes))


def report_graph_of(findings: Iterable[Finding], shapes: Graph) -> Graph:
    """The W3C SHACL validation report graph (section 3.6) of `findings`, as pySHACL writes one."""
    report = Graph()
    node = BNode()
    findings = sorted(set(findings), key=lambda f: tuple(map(str, (f.severity, f.focus, f.shape, f.value, f.component))))
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(not findings)))  # as SHACL defines it: warnings count too
    for finding in findings:
        result = BNode()
        report.add((node, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        for prop, value in ((SH.focusNode, finding.focus), (SH.resultSeverity, finding.severity),
                            (SH.sourceShape, finding.shape), (SH.sourceConstraintComponent, finding.component),
                            (SH.value, finding.value), (SH.resultPath, finding.path),
                            (SH.sourceConstraint, finding.constraint)):
            if value is not None:
                report.add((result, prop, value))
                if isinstance(value, BNode) and prop in (SH.resultPath, SH.sourceConstraint):
                    report += shapes.cbd(value)
        for message in finding.messages:
            report.add((result, SH.resultMessage, message))
    return report


def validate_dataset_with_pyshacl(dataset: Dataset, root: Path | None = None) -> ValidationReport:
    """validate_dataset with pySHACL, the reference."""
    ontology = dataset.graph(GRAPH.ontology)
    return validate_graph(merged_graph(dataset), load_shapes(ontology, root), ontology)


def store_report(findings: Iterable[Finding], shapes: Graph, store) -> ValidationReport:
    """The ValidationReport of findings on a store's default graph: labels and source spans are read from
    the part of the store around the focus nodes (a store of a million triples is not copied into rdflib)."""
    findings = list(findings)
    return report_of(findings, shapes, _context_graph(store, {finding.focus for finding in findings}))


def findings_of(report_graph: Graph) -> list[Finding]:
    """The results of a W3C validation report graph, as the SPARQL engine's findings."""
    findings = []
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        value = lambda prop: report_graph.value(node, prop)  # noqa: E731
        findings.append(Finding(value(SH.focusNode), value(SH.sourceShape), value(SH.sourceConstraintComponent),
                                value(SH.resultSeverity), value(SH.resultPath), value(SH.value),
                                value(SH.sourceConstraint),
                                tuple(sorted(report_graph.objects(node, SH.resultMessage)))))
    return findings


_CONTEXT = """CONSTRUCT { ?s ?p ?o } WHERE {
    { VALUES ?node { NODES } ?node ?p ?o . BIND (?node AS ?s) }
    UNION { VALUES ?node { NODES } ?s ?p ?node . BIND (?node AS ?o) }
    UNION { VALUES ?node { NODES } { ?node prov:wasDerivedFrom ?span } UNION { ?owner ?link ?node ; prov:wasDerivedFrom ?span }
            { ?span ?p ?o . BIND (?span AS ?s) } UNION { ?span oa:hasSelector ?s . ?s ?p ?o } }
    UNION { ?s a h2g:SourceDocument ; ?p ?o }
}"""


def _context_graph(store, nodes) -> Graph:
    """The triples of `store`'s default graph that labels and spans of `nodes` are read from."""
    from .shacl_sparql import oxigraph_term

    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    terms = " ".join(str(oxigraph_term(node)) for node in nodes if isinstance(node, URIRef))
    if not terms:
        return graph
    try:
        triples = list(store.query(SPARQL_PROLOGUE + _CONTEXT.replace("NODES", terms)))
    except (SyntaxError, OSError):  # labels and spans are a courtesy: the results are reported without them
        return graph
    for triple in triples:
        graph.add(tuple(_rdflib_term(term) for term in (triple.subject, triple.predicate, triple.object)))
    return graph


def validate_graph(graph: Graph, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
    """Validate `graph` against `shapes` with pySHACL (the reference), with `ontology` mixed in for its
    class hierarchy.

    `graph` itself is left untouched: pySHACL works on a copy, into which it mixes the ontology.
    """
    data = _PreparedQueryGraph()
    data += graph
    try:
        _, report_graph, _ = pyshacl.validate(
            data, shacl_graph=shapes, ont_graph=ontology, inference=INFERENCE, inplace=True, abort_on_first=False,
        )
    except (ConstraintLoadError, ShapeLoadError, RuleLoadError, ReportableRuntimeError) as error:
        raise ShapesError(f"the shapes cannot be run: {one_line(error)}") from None
    if isinstance(report_graph, Exception):  # pySHACL returns, rather than raises, a ValidationFailure
        raise ShapesError(f"the shapes cannot be run: {one_line(report_graph)}")
    return _read_report(graph, shapes, report_graph)


def _read_report(graph: Graph, shapes: Graph, report_graph: Graph) -> ValidationReport:
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


def _derived_shapes(ontology, query_file: Path) -> Graph:
    """The shapes a from-ontology/ CONSTRUCT query derives, run by Oxigraph on `ontology` (an Oxigraph
    store of it: rdflib took seconds to parse and run these four queries)."""
    try:
        text = query_file.read_text(encoding="utf-8")
    except OSError as error:
        raise ShapesError(f"cannot read {query_file} ({error.strerror})") from None
    try:
        triples = ontology.query(text)
    except (SyntaxError, OSError, ValueError) as error:
        raise ShapesError(f"{query_file}: the query cannot be run: {one_line(error)}") from None
    derived = Graph()
    for triple in triples:
        derived.add(tuple(_rdflib_term(term) for term in (triple.subject, triple.predicate, triple.object)))
    return derived


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



def _source_or_none(graph: Graph) -> SourceText | None:
    try:
        return source_of(graph)
    except Her2graphError:  # the text is not redistributed: without it, spans are shown as offsets
        return None
