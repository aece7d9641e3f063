"""The plain-text form of a validation report: results grouped by severity, each with its evidence.

Terms are written as prefixed names where the graph binds a prefix, so a curator can search the Turtle
files for them; literals are written as Turtle writes them.
"""
from __future__ import annotations

from rdflib.namespace import NamespaceManager
from rdflib.term import Literal, Node, URIRef

from .span_evidence import SpanEvidence
from .validation import Severity, ValidationReport, ValidationResult

ALWAYS_LISTED = (Severity.VIOLATION, Severity.WARNING)


def format_text(report: ValidationReport) -> str:
    """The report as text: a summary line, then one section per severity."""
    names = report.report_graph.namespace_manager
    lines = [_summary(report)]
    for severity in Severity:
        results = report.by_severity(severity)
        if not results and severity not in ALWAYS_LISTED:
            continue
        lines += ["", f"{severity.title} ({len(results)})" if results else f"{severity.title}: none"]
        for result in results:
            lines += [""] + _result_lines(result, names)
    return "\n".join(lines)


def _summary(report: ValidationReport) -> str:
    counts = ", ".join(_count(len(report.by_severity(severity)), severity.title.lower()) for severity in ALWAYS_LISTED)
    verdict = "the graph conforms" if report.conforms else "the graph does not conform"
    return f"SHACL validation: {counts}; {verdict}."


def _result_lines(result: ValidationResult, names: NamespaceManager) -> list[str]:
    heading = _term(result.focus_node, names)
    if result.focus_label:
        heading += f' "{result.focus_label}"'
    details = [f"rule {_term(result.rule, names)}"]
    if result.path is not None:
        details.append(f"path {_term(result.path, names)}")
    if result.value is not None and result.value != result.focus_node:
        details.append(f"value {_term(result.value, names)}")
    lines = [f"  {heading}", f"    {result.message}", f"    {'; '.join(details)}"]
    lines += [f"    {_span_line(span, names)}" for span in result.spans]
    if not result.spans:
        lines.append("    source: no span (the node is shared by several statements, or has none)")
    return lines


def _span_line(span: SpanEvidence, names: NamespaceManager) -> str:
    offsets = "?" if span.start is None or span.end is None else f"{span.start}-{span.end}"
    text = "" if span.text is None else f': "{span.text}"'
    return f"source {_term(span.iri, names)} [{offsets}]{text}"


def _term(node: Node, names: NamespaceManager) -> str:
    if isinstance(node, URIRef):
        return names.normalizeUri(node)
    if isinstance(node, Literal):
        return node.n3(names)
    return "[...]"  # a blank node: a path expression, or an unnamed node


def _count(number: int, noun: str) -> str:
    return f"{number} {noun if number != 1 else noun[:-1]}"
