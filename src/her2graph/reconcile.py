"""Reconciling results that two sources report for one trial: every shared quantity, with its verdict.

Two endpoint results are compared when they come from different sources, are of one trial and of one
endpoint. They are of one trial when they name the same trial IRI, trials with the same registry number
(h2g:nctId), or a trial whose SSSOM mapping (mappings/her2graph.sssom.tsv) links it to the registry record
the other prints; the comparison then says so, with the mapping's confidence, because the review never names
the trial its reference 55 reports.

Compared are the arms' medians (arms matched by the regimen they receive; only in one unit), the ratio
estimate, its confidence interval and its p-value. Two printed numbers agree when they differ by no more
than rounding explains (ratio_statistics.agree_within_rounding: 12.0 and 12 agree; 0.08 and 0.008 do not). A p-value
printed as a bound ("< 0.001") agrees with a value below it. Agreeing pairs are also linked by
h2g:agreesWith; a disagreement is a SHACL warning (shapes/reconciliation.ttl) and a row of the competency
query queries/18-cross-source-comparisons.rq.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from .namespaces import H2G, H2R, OA
from .ratio_statistics import PrintedNumber, agree_within_rounding, printed_range
from .sssom import MappingSet

REGISTRY_PREFIX = "clinicaltrials:"
VERDICTS = {True: H2R["values-agree"], False: H2R["values-disagree"]}


@dataclass(frozen=True)
class Comparison:
    """One quantity of two sources' results for one trial."""

    first: URIRef
    second: URIRef
    quantity: str
    key: str
    first_value: str
    second_value: str
    agree: bool
    identity: str

    @property
    def iri(self) -> URIRef:
        return H2R[f"comparison-{_local(self.first)}-vs-{_local(self.second)}-{self.key}"]


def comparisons(graph: Graph, mapping_set: MappingSet | None = None,
                source_order: list[URIRef] | None = None) -> list[Comparison]:
    """Every comparison of every pair of results of one trial and endpoint from two sources; the first
    result is of the source that comes first in `source_order` (the registry's order), else by IRI."""
    registry_links = _registry_links(mapping_set)
    rank = {source: index for index, source in enumerate(source_order or [])}
    results = sorted(graph.subjects(RDF.type, H2G.EndpointResult))
    found = []
    for first, second in combinations(results, 2):
        first_source, second_source = _source(graph, first), _source(graph, second)
        if first_source is None or second_source is None or first_source == second_source:
            continue
        if (rank.get(first_source, len(rank)), str(first_source), str(first)) > \
                (rank.get(second_source, len(rank)), str(second_source), str(second)):
            first, second = second, first
        identity = _same_trial(graph, first, second, registry_links)
        if identity is None or graph.value(first, H2G.onEndpoint) != graph.value(second, H2G.onEndpoint):
            continue
        found += _compare_medians(graph, first, second, identity)
        found += _compare_estimates(graph, first, second, identity)
    return sorted(found, key=lambda comparison: str(comparison.iri))


def reconciliation_graph(graph: Graph, mapping_set: MappingSet | None = None,
                         source_order: list[URIRef] | None = None) -> Graph:
    """The comparisons as RDF, and h2g:agreesWith between results all of whose quantities agree."""
    built = Graph()
    by_pair: dict[tuple[URIRef, URIRef], list[bool]] = {}
    for comparison in comparisons(graph, mapping_set, source_order):
        node = comparison.iri
        first_label, second_label = _label(graph, comparison.first), _label(graph, comparison.second)
        built.add((node, RDF.type, H2G.ResultComparison))
        built.add((node, RDF.type, OWL.NamedIndividual))
        built.add((node, RDFS.label, Literal(
            f"{comparison.quantity}: {comparison.first_value} ({first_label}) vs {comparison.second_value} "
            f"({second_label})", lang="en")))
        built.add((node, H2G.firstResult, comparison.first))
        built.add((node, H2G.secondResult, comparison.second))
        built.add((node, H2G.comparedQuantity, Literal(comparison.quantity)))
        built.add((node, H2G.firstValue, Literal(comparison.first_value)))
        built.add((node, H2G.secondValue, Literal(comparison.second_value)))
        built.add((node, H2G.comparisonVerdict, VERDICTS[comparison.agree]))
        built.add((node, H2G.trialIdentity, Literal(comparison.identity)))
        by_pair.setdefault((comparison.first, comparison.second), []).append(comparison.agree)
    for (first, second), verdicts in by_pair.items():
        if all(verdicts):
            built.add((first, H2G.agreesWith, second))
            built.add((second, H2G.agreesWith, first))
    return built


def printed_numbers_agree(first: str, second: str) -> bool:
    """Whether two printed decimals can be roundings of one number (ratio_statistics.agree_within_rounding)."""
    return agree_within_rounding(first, second)


def p_values_agree(first: tuple[str, str], second: tuple[str, str]) -> bool:
    """(relation, value) pairs, relation '<' or '='."""
    (first_relation, first_value), (second_relation, second_value) = first, second
    if first_relation == "=" and second_relation == "=":
        return agree_within_rounding(first_value, second_value)
    if first_relation == "<" and second_relation == "<":
        return True  # two bounds never contradict each other
    bound, value = (first_value, second_value) if first_relation == "<" else (second_value, first_value)
    low, _ = printed_range(value)
    return low < float(PrintedNumber.parse(bound).value)


# --- the pairs -----------------------------------------------------------------------------------------


def _source(graph: Graph, result: URIRef) -> URIRef | None:
    stated_in = graph.value(result, H2G.statedIn)
    if stated_in is not None:
        return stated_in
    sources = {graph.value(span, OA.hasSource) for span in graph.objects(result, PROV.wasDerivedFrom)}
    sources.discard(None)
    return min(sources) if sources else None


def _registry_links(mapping_set: MappingSet | None) -> dict[URIRef, tuple[str, str]]:
    """trial IRI -> (registry number, confidence) from the SSSOM rows that link a trial to ClinicalTrials.gov."""
    links = {}
    for row in (mapping_set.rows if mapping_set else ()):
        if row.get("predicate_id") != "skos:exactMatch":
            continue
        target = row["object_id"]
        if target.startswith(REGISTRY_PREFIX):
            links[mapping_set.expand(row["subject_id"])] = (target[len(REGISTRY_PREFIX):], row.get("confidence", ""))
    return links


def _same_trial(graph: Graph, first: URIRef, second: URIRef, links) -> str | None:
    first_trial, second_trial = graph.value(first, H2G.ofTrial), graph.value(second, H2G.ofTrial)
    if first_trial is None or second_trial is None:
        return None
    if first_trial == second_trial:
        return f"one trial: {_local(first_trial)}"
    first_number, second_number = graph.value(first_trial, H2G.nctId), graph.value(second_trial, H2G.nctId)
    if first_number is not None and first_number == second_number:
        return f"one registry number: {first_number}"
    for trial, other_number in ((first_trial, second_number), (second_trial, first_number)):
        if trial in links and other_number is not None and links[trial][0] == str(other_number):
            number, confidence = links[trial]
            return (f"{_local(trial)} is mapped to {number} (skos:exactMatch, confidence {confidence}, "
                    f"mappings/her2graph.sssom.tsv); the source does not name it")
    return None


# --- the quantities ------------------------------------------------------------------------------------


def _compare_medians(graph: Graph, first: URIRef, second: URIRef, identity: str) -> list[Comparison]:
    first_medians, second_medians = _medians_by_regimen(graph, first), _medians_by_regimen(graph, second)
    found = []
    for regimen in sorted(set(first_medians) & set(second_medians)):
        (first_value, first_unit), (second_value, second_unit) = first_medians[regimen], second_medians[regimen]
        if first_unit != second_unit:
            continue  # medians in different units are not compared (no conversion is exact)
        unit = _label(graph, first_unit)
        found.append(Comparison(first, second, f"median, {_label(graph, regimen)} arm",
                                f"median-{_local(regimen)}", f"{first_value} {unit}s", f"{second_value} {unit}s",
                                printed_numbers_agree(first_value, second_value), identity))
    return found


def _medians_by_regimen(graph: Graph, result: URIRef) -> dict[URIRef, tuple[str, URIRef]]:
    medians = {}
    for median in graph.objects(result, H2G.hasArmMedian):
        regimen = graph.value(graph.value(median, H2G.ofArm), H2G.receivesRegimen)
        value, unit = graph.value(median, H2G.medianValue), graph.value(median, H2G.unit)
        if regimen is not None and value is not None and unit is not None:
            medians[regimen] = (_printed(graph, median, H2G.medianValue), unit)
    return medians


def _compare_estimates(graph: Graph, first: URIRef, second: URIRef, identity: str) -> list[Comparison]:
    first_estimate, second_estimate = graph.value(first, H2G.hasEffectEstimate), graph.value(second, H2G.hasEffectEstimate)
    if first_estimate is None or second_estimate is None:
        return []
    found = []
    if (graph.value(first_estimate, H2G.estimate), graph.value(second_estimate, H2G.estimate)) != (None, None):
        values = [_printed(graph, estimate, H2G.estimate) for estimate in (first_estimate, second_estimate)]
        if None not in values:
            found.append(Comparison(first, second, "ratio estimate", "estimate", *values,
                                    printed_numbers_agree(*values), identity))
    bounds = [(_printed(graph, e, H2G.ciLower), _printed(graph, e, H2G.ciUpper)) for e in (first_estimate, second_estimate)]
    if all(None not in pair for pair in bounds):
        agree = all(printed_numbers_agree(a, b) for a, b in zip(*bounds))
        found.append(Comparison(first, second, "confidence interval", "interval", "-".join(bounds[0]),
                                "-".join(bounds[1]), agree, identity))
    p_values = [_p_value(graph, estimate) for estimate in (first_estimate, second_estimate)]
    if None not in p_values:
        found.append(Comparison(first, second, "p-value", "p-value", f"P {' '.join(p_values[0])}",
                                f"P {' '.join(p_values[1])}", p_values_agree(*p_values), identity))
    return found


def _p_value(graph: Graph, estimate: URIRef) -> tuple[str, str] | None:
    value, relation = _printed(graph, estimate, H2G.pValue), graph.value(estimate, H2G.pValueRelation)
    if value is None or relation is None:
        return None
    return ("<" if relation == H2R["p-less-than"] else "="), value


def _printed(graph: Graph, node: URIRef, prop: URIRef) -> str | None:
    """A number as its source prints it: the lexical form of the typed literal keeps the printed digits."""
    value = graph.value(node, prop)
    return None if value is None else str(value)


def _label(graph: Graph, node: URIRef) -> str:
    label = graph.value(node, RDFS.label)
    return str(label) if label is not None else _local(node)


def _local(iri: URIRef) -> str:
    return re.split(r"[/#]", str(iri))[-1]
