"""The ratio statistics check (her2graph.ratio_statistics) run over the graph's hazard ratios, as results of
the validation report.

SPARQL has no logarithm and no normal distribution, so this check cannot be a SHACL-SPARQL constraint; it
runs beside pySHACL and its results join the same report, with the same severities, and are written into
the W3C report graph as sh:ValidationResult nodes like pySHACL's own. Its two rules are documented in
shapes/plausibility.ttl (h2s:PrintedPValueCheck, h2s:PrintedEstimateCheck) so that a curator finds them
where the other rules live.

Numbers are read as printed (h2g:printedEstimate ...), falling back to the typed value's lexical form.
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF
from rdflib.term import Node, URIRef

from .namespaces import H2G, H2R, H2S, SH
from .ratio_statistics import PrintedNumberError, RatioCheck, Verdict, check_ratio

P_VALUE_RULE = H2S.PrintedPValueCheck
ESTIMATE_RULE = H2S.PrintedEstimateCheck
COMPONENT = H2S.RatioStatisticsComponent
RELATIONS = {H2R["p-equals"]: "=", H2R["p-less-than"]: "<"}
SEVERITY_OF = {Verdict.NOT_EXPLAINED: SH.Warning, Verdict.NEAR: SH.Info, Verdict.EXPLAINED_IF_ONE_SIDED: SH.Info}


@dataclass(frozen=True)
class RatioFinding:
    """One verdict that is worth reporting: the estimate node, the rule, the severity IRI and the message."""

    focus: Node
    rule: URIRef
    path: URIRef
    severity: URIRef
    message: str
    check: RatioCheck


def ratio_check_of(graph: Graph, estimate: Node) -> RatioCheck | None:
    """The check of one effect estimate, or None when its numbers are missing or malformed (the shapes
    report that)."""
    numbers = [_printed(graph, estimate, typed, printed) for typed, printed in (
        (H2G.estimate, H2G.printedEstimate), (H2G.ciLower, H2G.printedCiLower), (H2G.ciUpper, H2G.printedCiUpper))]
    level = graph.value(estimate, H2G.confidenceLevel)
    if None in numbers or level is None:
        return None
    p_value = _printed(graph, estimate, H2G.pValue, H2G.printedPValue)
    relation = RELATIONS.get(graph.value(estimate, H2G.pValueRelation))
    try:
        return check_ratio(*numbers, level=str(level), p_value=p_value if relation else None, p_relation=relation)
    except (PrintedNumberError, ValueError):
        return None


def ratio_findings(graph: Graph) -> list[RatioFinding]:
    """A finding per hazard ratio whose p-value or estimate its interval does not explain by rounding."""
    findings = []
    for estimate in sorted(set(graph.subjects(RDF.type, H2G.HazardRatio))):
        check = ratio_check_of(graph, estimate)
        if check is None:
            continue
        if check.p_verdict in SEVERITY_OF:
            findings.append(RatioFinding(estimate, P_VALUE_RULE, H2G.pValue, SEVERITY_OF[check.p_verdict],
                                         check.p_message() + _advice(check.p_verdict), check))
        if check.estimate_verdict in SEVERITY_OF:
            findings.append(RatioFinding(estimate, ESTIMATE_RULE, H2G.estimate, SEVERITY_OF[check.estimate_verdict],
                                         check.estimate_message() + _advice(check.estimate_verdict), check))
    return findings


def add_to_report_graph(report: Graph, findings: list[RatioFinding]) -> list[Node]:
    """Write each finding as an sh:ValidationResult of the report's sh:ValidationReport; return the nodes."""
    nodes = []
    validation_report = report.value(None, RDF.type, SH.ValidationReport, any=True)
    for finding in findings:
        node = BNode()
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, finding.focus))
        report.add((node, SH.resultPath, finding.path))
        report.add((node, SH.resultSeverity, finding.severity))
        report.add((node, SH.resultMessage, Literal(finding.message)))
        report.add((node, SH.sourceShape, finding.rule))
        report.add((node, SH.sourceConstraintComponent, COMPONENT))
        if validation_report is not None:
            report.add((validation_report, SH.result, node))
            # pySHACL's default: any result, of any severity, means the data does not conform
            report.set((validation_report, SH.conforms, Literal(False)))
        nodes.append(node)
    return nodes


def _printed(graph: Graph, node: Node, typed: URIRef, printed: URIRef) -> str | None:
    text = graph.value(node, printed)
    if text is not None:
        return str(text)
    value = graph.value(node, typed)
    return None if value is None else str(value)


def _advice(verdict: Verdict) -> str:
    if verdict is Verdict.NOT_EXPLAINED:
        return (" Re-read the source: if it prints these numbers, keep them and record the inconsistency in a "
                "skos:editorialNote.")
    if verdict is Verdict.NEAR:
        return " The gap is small: the source may report another test's p-value (log-rank, stratified)."
    return " The source may report a one-sided p-value."
