"""What a statement claims must be printed in its quotes: numbers, p-values with their relation, confidence
intervals, medians with their unit, registry identifiers and acronyms, and the names of what it links to.

These are the rules of the provenance test (tests/test_source_spans.py), applied when an evidence file is
compiled so a curator learns of a number missing from its quote before anything is written. Each problem is
reported with the YAML line of the value that is not printed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .namespaces import H2G, H2R

# Numbers of our own, not stated by the text (the levels are numbered by us).
NOT_IN_TEXT = frozenset({H2G.levelNumber})
# Small numbers a text may spell out, as cardinals or ordinals.
NUMBER_WORDS = {1: ("one", "first"), 2: ("two", "second"), 3: ("three", "third"), 4: ("four", "fourth"),
                5: ("five", "fifth"), 6: ("six", "sixth"), 7: ("seven", "seventh"), 8: ("eight", "eighth"),
                9: ("nine", "ninth"), 10: ("ten", "tenth")}
# Links whose target must be named (by label or alternative label) in the statement's quotes.
NAMED_LINKS = (H2G.onEndpoint, H2G.analysedEndpoint, H2G.aboutDrug, H2G.involvesTarget, H2G.claimSubject,
               H2G.claimObject, H2G.licensedRegimen, H2G.aboutCondition)
PRINTED_IDENTIFIERS = (H2G.nctId, H2G.acronym)
# The names of a thing: its label and its synonyms, exact or scoped.
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
NAME_PROPERTIES = (RDFS.label, SKOS.altLabel, OBOINOWL.hasExactSynonym, OBOINOWL.hasRelatedSynonym,
                   OBOINOWL.hasBroadSynonym, OBOINOWL.hasNarrowSynonym)


# A citation marker follows a word (or a closing parenthesis) and a punctuation mark without a space:
# "levels.22", "HER3,2731", "P = 0.08).55". The review's copy lost the dashes of ranges ("2731" is 27 to 31).
CITATION_MARKER = re.compile(r"(?:[A-Za-z][A-Za-z0-9+\-]*|\))[.;,](\d+(?:[,\u2013-]\d+)*)(?=\s|$|\s*\|)")
SIGNIFICANCE_WORDS = {H2R["stated-significant"]: re.compile(r"(?<!non-)\bsignificant(ly)?\b"),
                      H2R["stated-non-significant-trend"]: re.compile(r"\btrend\b")}
FAVOURING_WORDS = re.compile(r"\bfavou?red\b|\badvantage\b|\bimproved\b|\bdecreased\b")
ANALYSIS_KIND_WORDS = {H2R["interim-analysis"]: "interim", H2R["final-analysis"]: "final"}
HEDGES = re.compile(r"\b(might|may|potential|possibl[ey]|could)\b")
SUGGESTIONS = re.compile(r"\b(suggested|preliminary)\b")
CERTAINTY_CUES = {H2R["certainty-hedged"]: HEDGES, H2R["certainty-suggested"]: SUGGESTIONS}


@dataclass(frozen=True)
class Unprinted:
    """A claim of a statement its quotes do not print."""

    node: URIRef
    prop: URIRef
    expected: str


def comparable(text: str) -> str:
    """The text as the checks compare it: one space for any white space, '-' for dashes, ' for quotes."""
    text = " ".join(text.split())
    return text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'").replace("\u2018", "'")


def unprinted_claims(graph: Graph, statement: URIRef, quoted: str) -> list[Unprinted]:
    """Everything `statement` (and its medians and estimates) claims that `quoted` does not print."""
    problems = []
    for node in _parts(graph, statement):
        problems += _unprinted_numbers(graph, node, quoted)
    for estimate in graph.objects(statement, H2G.hasEffectEstimate):
        problems += _unprinted_estimate(graph, estimate, quoted)
    for median in graph.objects(statement, H2G.hasArmMedian):
        problems += _unprinted_unit(graph, median, quoted)
    for prop in PRINTED_IDENTIFIERS:
        problems += [Unprinted(statement, prop, str(value)) for value in graph.objects(statement, prop)
                     if str(value) not in quoted]
    problems += _unnamed_links(graph, statement, quoted)
    problems += _uncited_references(graph, statement, quoted)
    problems += _unworded(graph, statement, quoted)
    return problems


def cited_numbers(text: str) -> set[int]:
    """The reference numbers the citation markers of `text` cite ("2731" is 27 to 31: a range that lost its dash)."""
    numbers: set[int] = set()
    for marker in CITATION_MARKER.findall(text):
        for part in marker.split(","):
            if "-" in part or "\u2013" in part:
                first, last = re.split("[-\u2013]", part)
                numbers.update(range(int(first), int(last) + 1))
            elif len(part) == 4 and int(part[:2]) < int(part[2:]):
                numbers.update(range(int(part[:2]), int(part[2:]) + 1))
            else:
                numbers.add(int(part))
    return numbers


def _uncited_references(graph: Graph, statement: URIRef, quoted: str) -> list[Unprinted]:
    cited = cited_numbers(quoted)
    problems = []
    for reference in graph.objects(statement, H2G.citesReference):
        number = graph.value(reference, H2G.referenceNumber)
        if number is not None and int(number) not in cited:
            problems.append(Unprinted(statement, H2G.citesReference, f"the citation marker of reference {number}"))
    return problems


def _unworded(graph: Graph, statement: URIRef, quoted: str) -> list[Unprinted]:
    """Significance wording, the favoured arm, the analysis kind and the certainty the quotes must word."""
    problems = []
    for wording in graph.objects(statement, H2G.statedSignificance):
        if wording in SIGNIFICANCE_WORDS and not SIGNIFICANCE_WORDS[wording].search(quoted):
            problems.append(Unprinted(statement, H2G.statedSignificance, f"the wording {SIGNIFICANCE_WORDS[wording].pattern!r}"))
    for arm in graph.objects(statement, H2G.favoursArm):
        names = arm_names(graph, arm)
        if not FAVOURING_WORDS.search(quoted) or not any(name.lower() in quoted.lower() for name in names):
            problems.append(Unprinted(statement, H2G.favoursArm, "a word of favour (favoured, improved, advantage, "
                                      f"decreased) and the arm's name ({' or '.join(repr(n) for n in names[:3])})"))
    analyses = [statement] if (statement, RDF.type, H2G.Analysis) in graph else list(graph.objects(statement, H2G.fromAnalysis))
    for analysis in analyses:
        for kind in graph.objects(analysis, H2G.analysisKind):
            if kind in ANALYSIS_KIND_WORDS and ANALYSIS_KIND_WORDS[kind] not in quoted:
                problems.append(Unprinted(statement, H2G.analysisKind, f"the word {ANALYSIS_KIND_WORDS[kind]!r}"))
        for prop, word in ((H2G.isPlanned, "planned"), (H2G.isExploratory, "exploratory")):
            if graph.value(analysis, prop) == Literal(True) and word not in quoted:
                problems.append(Unprinted(statement, prop, f"the word {word!r}"))
    certainty = graph.value(statement, H2G.certainty)
    if certainty in CERTAINTY_CUES and not CERTAINTY_CUES[certainty].search(quoted):
        problems.append(Unprinted(statement, H2G.certainty, f"hedging wording ({CERTAINTY_CUES[certainty].pattern!r})"))
    if certainty == H2R["certainty-stated"] and (HEDGES.search(quoted) or SUGGESTIONS.search(quoted)):
        found = (HEDGES.search(quoted) or SUGGESTIONS.search(quoted)).group(0)
        problems.append(Unprinted(statement, H2G.certainty, f"no hedge, but the quote says {found!r}: use "
                                  "h2r:certainty-hedged or h2r:certainty-suggested"))
    return problems


def arm_names(graph: Graph, arm: URIRef) -> list[str]:
    """An arm's names, its regimen's, or a drug its regimen gives and no other arm of its trial does."""
    regimen = graph.value(arm, H2G.receivesRegimen)
    names = _names(graph, arm) + _names(graph, regimen)
    others = {drug for other in graph.subjects(H2G.armOf, graph.value(arm, H2G.armOf)) if other != arm
              for drug in graph.objects(graph.value(other, H2G.receivesRegimen), H2G.includesDrug)}
    for drug in set(graph.objects(regimen, H2G.includesDrug)) - others:
        names += _names(graph, drug)
    return [comparable(name) for name in names]


def _names(graph: Graph, node) -> list[str]:
    return [str(name) for prop in NAME_PROPERTIES for name in graph.objects(node, prop)] if node is not None else []


def _parts(graph: Graph, statement: URIRef) -> list[URIRef]:
    return [statement, *graph.objects(statement, H2G.hasArmMedian), *graph.objects(statement, H2G.hasEffectEstimate)]


def _unprinted_numbers(graph: Graph, node: URIRef, quoted: str) -> list[Unprinted]:
    problems = []
    for prop, value in graph.predicate_objects(node):
        number = value.toPython() if isinstance(value, Literal) else None
        if not isinstance(number, (int, float, Decimal)) or isinstance(number, bool) or prop in NOT_IN_TEXT:
            continue
        if prop == H2G.confidenceLevel:
            if f"{round(float(number) * 100)}% CI" not in quoted:
                problems.append(Unprinted(node, prop, f"{round(float(number) * 100)}% CI"))
            continue
        forms = [str(value)] + list(NUMBER_WORDS.get(int(number), ()) if number == int(number) else ())
        if not any(_printed(form, quoted) for form in forms):
            problems.append(Unprinted(node, prop, str(value)))
    return problems


def _printed(form: str, quoted: str) -> bool:
    if form.isalpha():
        return re.search(rf"\b{form}\b", quoted, re.IGNORECASE) is not None
    return re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", quoted) is not None


def p_value_printed(sign: str, value: str, quoted: str) -> bool:
    """"P < 0.001", "P = 0.210", a table's "p-value (log-rank test) 0.0006", a label's "p=<0.0001"."""
    printed_sign = r"=?\s*<" if sign == "<" else r"=?"
    pattern = rf"(\bP\b|\bp-value\b)[^0-9<=>]{{0,40}}?{printed_sign}\s*{re.escape(value)}(?![\d])"
    return re.search(pattern, quoted, re.IGNORECASE) is not None


def interval_printed(lower: str, upper: str, quoted: str) -> bool:
    """"0.34-0.71" (any dash), "8.1 to 16.0", "(0.549, 0.771)"."""
    pattern = rf"(?<![\d.]){re.escape(lower)}\s*(-|–|to|,)\s*{re.escape(upper)}(?![\d])"
    return re.search(pattern, quoted) is not None


def unit_printed(names: list[str], quoted: str) -> bool:
    """A unit's name, singular or plural ("weeks", "Months")."""
    return any(re.search(rf"\b{re.escape(name)}s?\b", quoted, re.IGNORECASE) for name in names)


def _unprinted_estimate(graph: Graph, estimate: URIRef, quoted: str) -> list[Unprinted]:
    problems = []
    p_value, relation = graph.value(estimate, H2G.pValue), graph.value(estimate, H2G.pValueRelation)
    if p_value is not None and relation is not None:
        sign = str(graph.value(relation, SKOS.notation) or "=")
        if not p_value_printed(sign, str(p_value), quoted):
            problems.append(Unprinted(estimate, H2G.pValue, f"P {sign} {p_value}"))
    lower, upper = graph.value(estimate, H2G.ciLower), graph.value(estimate, H2G.ciUpper)
    if lower is not None and upper is not None and not interval_printed(str(lower), str(upper), quoted):
        problems.append(Unprinted(estimate, H2G.ciLower, f"{lower}-{upper}"))
    return problems


def _unprinted_unit(graph: Graph, median: URIRef, quoted: str) -> list[Unprinted]:
    names = [str(label) for label in graph.objects(graph.value(median, H2G.unit), RDFS.label)]
    if names and not unit_printed(names, quoted):
        return [Unprinted(median, H2G.unit, f"{names[0]}s")]
    return []


def _unnamed_links(graph: Graph, statement: URIRef, quoted: str) -> list[Unprinted]:
    problems = []
    lowered = quoted.lower()
    for prop in NAMED_LINKS:
        for target in graph.objects(statement, prop):
            names = [comparable(str(n)).lower() for p in NAME_PROPERTIES for n in graph.objects(target, p)]
            if names and not any(name in lowered for name in names):
                problems.append(Unprinted(statement, prop, " or ".join(repr(n) for n in names)))
    return problems
