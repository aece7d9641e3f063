"""`her2graph extract TEXT`: a draft evidence file from a text no curator has read yet.

Rules over sentences, no model: each sentence (or table line run) is searched for registry identifiers
(NCT numbers), trial acronyms ("the EMILIA study"), enrolment ("991 patients"), allocation ("randomly assigned
to receive A or B"), paired medians with their unit ("8.4 months ... versus 4.4 months", "12.0 vs 8.1
weeks", a results table's "Unit of Measure: weeks 12.0"), ratio estimates with their confidence interval and
p-value ("HR 0.49, 95% CI 0.34-0.71, P < 0.001", a label's "Hazard Ratio 0.650 ... (0.549, 0.771) ...
p-value <0.0001"), spelled-out counts ("two interim analyses") and citation markers. A result is attached to
the endpoint named nearest before its numbers (the endpoint names come from the evidence files' h2g:Endpoint
entities). Every proposed statement quotes the sentence it came from, so the draft compiles once the curator
has replaced the placeholders (h2r:TODO-...) with the arms, trials and analyses it is about.

Where it fails is measured by benchmarks/extract_benchmark.py (docs/curation.md has the figures).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Her2graphError
from .evidence_yaml import Mapping, Sequence, load_evidence_yaml
from .locations import evidence_dir

NUMBER = r"(\d+(?:\.\d+)?|\.\d+)"
UNIT = r"(months?|weeks?|days?|years?)"
NCT = re.compile(r"\bNCT\d{8}\b")
ACRONYM = re.compile(r"\b(?:the\s+)?(?:phase[- ]?\d\s+)?([A-Z][A-Z0-9]{2,}(?:-[A-Z0-9]+)?)\s+(?:study|trial)\b")
ENROLMENT = re.compile(r"\b(\d{2,6}|\d{1,3}(?:,\d{3})+)\s+(?:patients|participants|subjects|women)\b")
ANALYSED = re.compile(r"Number of Participants Analy[sz]ed:\s*(\d+)")
ARM_SIZE = re.compile(r"(?<![\w.])[nN]\s?=\s?(\d{2,6}|\d{1,3}(?:,\d{3})+)\b")
# A results table's cell: an estimate, its interval in brackets, its p-value ("0.48† (0.39, 0.59) p=<0.0001").
TABLE_RATIO = re.compile(r"(?<![\d.])(\d*\.\d+)[^\d\s(|]{0,2}\s*\(\s*(\d*\.\d+)\s*(?:,|–|-)\s*(\d*\.\d+)\s*\)"
                         r"\s*p\s*(=?\s*<|<|=)\s*(\d*\.\d+)", re.IGNORECASE)
ALLOCATION = re.compile(r"\brandom(?:ly assigned|i[sz]ed)(?: \(\d:\d\))? to (?:receive )?(?:either )?(.+?) or (.+?)(?=[,.;]|$)")
PAIRED_MEDIANS = re.compile(
    rf"{NUMBER}\s*{UNIT}?(?:\s+with\s+[^;,()]{{1,60}}?)?\s+(?:vs\.?|versus)\s+{NUMBER}\s*{UNIT}", re.IGNORECASE)
TABLE_MEDIAN = re.compile(rf"Unit of Measure:\s*{UNIT}\s+{NUMBER}(?:\s*\({NUMBER}\s*to\s*{NUMBER}\))?", re.IGNORECASE)
TABLE_MEDIAN_PAIR = re.compile(rf"Median [^()]*?\({UNIT}\)\s+{NUMBER}\s+{NUMBER}", re.IGNORECASE)
RATIO = re.compile(
    r"(?:\bHR\b|hazard ratio(?:\s*\[HR\])?|odds ratio|risk ratio)(?:\s*\([^)]*\))?\s*[:=,]?\s*" + NUMBER +
    r"[\s,;]*(?:\(?\s*(\d{2})\s*%\s*(?:CI|confidence interval)[^0-9(]{0,25}\(?\s*" + NUMBER +
    r"\s*(?:–|-|to|,)\s*" + NUMBER + r"\s*\)?)?" +
    r"(?:[\s,;)]*(?:\bP\b|p-value)[^0-9<=>.]{0,40}?(=?\s*<|<|=|≤)?\s*" + NUMBER + r")?",
    re.IGNORECASE)
CI_ONLY = re.compile(r"\(\s*" + NUMBER + r"\s*(?:–|-|,)\s*" + NUMBER + r"\s*\)")
P_VALUE = re.compile(r"(?:\bP\b|p-value)[^0-9<=>.\n]{0,40}?(=?\s*<|<|=)?\s*" + NUMBER, re.IGNORECASE)
COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "second": 2, "third": 3, "fourth": 4}
SPELLED_COUNT = re.compile(r"\b(two|three|four|five|second|third|fourth)\s+(?:\w+\s+){0,2}?"
                           r"(?:interim|prior|analys[ie]s|HER2-directed)", re.IGNORECASE)
CITATION = re.compile(r"(?<=[a-z\)\]%;,.])(\d{1,3}(?:[,–-]\d{1,3})*)(?=\s|$)")
# A sentence ends at . ! or ? after a word (not inside a decimal such as 12.0), optionally followed by its
# citation markers ("therapy.22 The ..."); a blank line or a record's "Field:" line also ends one.
SENTENCE_END = re.compile(r"(?<=[^\d\s][.!?])(?:\d{1,3}(?:[,–-]\d{1,3})*)?\s+(?=[A-Z(])|\n\s*\n|\n(?=[A-Z][A-Za-z /]+:)")


@dataclass
class ProposedResult:
    """One endpoint result the text seems to report."""

    quote: str
    endpoint: str | None
    medians: list[tuple[str, str]] = field(default_factory=list)  # (value, unit)
    estimate: str | None = None
    ci: tuple[str, str] | None = None
    level: str | None = None
    p: tuple[str, str] | None = None  # (relation, value)


@dataclass
class Draft:
    """What `extract` found, before it is written as YAML."""

    source_id: str
    trials: list[tuple[str, str]] = field(default_factory=list)       # (identifier or acronym, quote)
    enrolments: list[tuple[str, str]] = field(default_factory=list)   # (count, quote)
    allocations: list[tuple[str, str, str]] = field(default_factory=list)  # (arm 1, arm 2, quote)
    results: list[ProposedResult] = field(default_factory=list)
    counts: list[tuple[int, str]] = field(default_factory=list)       # spelled-out counts
    citations: list[tuple[str, str]] = field(default_factory=list)

    def numbers(self) -> set[tuple[str, str]]:
        """The numbers found, as (kind, printed value): what the benchmark scores."""
        found = {("nct", name) for name, _ in self.trials if NCT.fullmatch(name)}
        found |= {("count", count.replace(",", "")) for count, _ in self.enrolments}
        found |= {("count", str(count)) for count, _ in self.counts}
        for result in self.results:
            found |= {("median", f"{value} {_singular(unit)}") for value, unit in result.medians}
            if result.estimate:
                found.add(("estimate", result.estimate))
            if result.ci:
                found |= {("ci", bound) for bound in result.ci}
            if result.p:
                found.add(("p", f"{result.p[0]} {result.p[1]}"))
        return found


def extract(text: str, source_id: str, endpoint_names: dict[str, str] | None = None) -> Draft:
    """The draft of a text: every rule applied to every sentence."""
    names = endpoint_names if endpoint_names is not None else known_endpoint_names()
    draft = Draft(source_id)
    previous_endpoint = None
    for sentence in sentences(text):
        flat = " ".join(sentence.split())
        for match in NCT.finditer(flat):
            draft.trials.append((match.group(0), flat))
        for match in ACRONYM.finditer(flat):
            if not NCT.fullmatch(match.group(1)) and match.group(1) not in ("HER2", "CNS", "PFS", "OS", "HR"):
                draft.trials.append((match.group(1), flat))
        draft.enrolments += [(match.group(1), flat) for match in ENROLMENT.finditer(flat)]
        draft.enrolments += [(match.group(1), flat) for match in ANALYSED.finditer(flat)]
        draft.enrolments += [(match.group(1), flat) for match in ARM_SIZE.finditer(flat)]
        draft.allocations += [(match.group(1).strip(), match.group(2).strip(), flat) for match in ALLOCATION.finditer(flat)]
        draft.counts += [(COUNT_WORDS[match.group(1).lower()], flat) for match in SPELLED_COUNT.finditer(flat)]
        draft.citations += [(match.group(1), flat) for match in CITATION.finditer(flat)]
        endpoint = _endpoint_before(flat, len(flat), names) or previous_endpoint
        draft.results += _results(flat, names, endpoint)
        previous_endpoint = _endpoint_before(flat, len(flat), names) or previous_endpoint
    return draft


def sentences(text: str) -> list[str]:
    """The text cut into sentences, or into a record's field blocks; blank pieces dropped."""
    pieces = SENTENCE_END.split(text)
    return [piece.strip() for piece in pieces if piece and piece.strip()]


def _results(flat: str, names: dict[str, str], fallback: str | None) -> list[ProposedResult]:
    results = []
    taken: list[tuple[int, int]] = []
    for match in RATIO.finditer(flat):
        estimate, level, lower, upper, relation, p_value = match.groups()
        result = ProposedResult(flat, _endpoint_before(flat, match.start(), names) or fallback, estimate=estimate)
        if lower and upper:
            result.ci, result.level = (lower, upper), level
        else:
            ci = CI_ONLY.search(flat, match.end())
            if ci:
                result.ci, result.level = (ci.group(1), ci.group(2)), "95" if "95%" in flat else None
        if p_value:
            result.p = (_relation(relation), p_value)
        else:
            p_match = P_VALUE.search(flat, match.end())
            if p_match:
                result.p = (_relation(p_match.group(1)), p_match.group(2))
        results.append(result)
        taken.append(match.span())
    if re.search(r"hazard ratio|\bHR\b|odds ratio|risk ratio", flat, re.IGNORECASE):
        for match in TABLE_RATIO.finditer(flat):
            if any(start <= match.start() < end for start, end in taken):
                continue
            estimate, lower, upper, relation, p_value = match.groups()
            results.append(ProposedResult(flat, _endpoint_before(flat, match.start(), names) or fallback,
                                          estimate=estimate, ci=(lower, upper), p=(_relation(relation), p_value)))
    for pattern in (PAIRED_MEDIANS, TABLE_MEDIAN_PAIR):
        for match in pattern.finditer(flat):
            medians = _paired(pattern, match)
            owner = next((r for r in results if r.endpoint == (_endpoint_before(flat, match.start(), names) or fallback)
                          and not r.medians), None)
            if owner is None:
                owner = ProposedResult(flat, _endpoint_before(flat, match.start(), names) or fallback)
                results.append(owner)
            owner.medians += medians
    for match in TABLE_MEDIAN.finditer(flat):
        unit, value = match.group(1), match.group(2)
        results.append(ProposedResult(flat, fallback, medians=[(value, unit)]))
    return results


def _paired(pattern: re.Pattern, match: re.Match) -> list[tuple[str, str]]:
    if pattern is TABLE_MEDIAN_PAIR:
        unit, first, second = match.groups()
        return [(first, unit), (second, unit)]
    first, first_unit, second, second_unit = match.groups()
    return [(first, first_unit or second_unit), (second, second_unit)]


def _relation(printed: str | None) -> str:
    return "<" if printed and "<" in printed else "="


def _endpoint_before(flat: str, position: int, names: dict[str, str]) -> str | None:
    """The endpoint whose name ends nearest before `position` (a name, then its IRI)."""
    best, best_end = None, -1
    for name, iri in names.items():
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", flat[:position],
                                 0 if name.isupper() else re.IGNORECASE):
            if match.end() > best_end:
                best, best_end = iri, match.end()
    return best


def known_endpoint_names(root: Path | None = None) -> dict[str, str]:
    """Name or alternative label -> CURIE of every h2g:Endpoint entity in the evidence files."""
    names = {}
    for path in sorted(evidence_dir(root).glob("*.yaml")):
        tree = load_evidence_yaml(path)
        for node in [*tree.get("entities", ()), *tree.get("statements", ())]:
            types = node.get("a")
            types = [str(t) for t in types] if isinstance(types, Sequence) else [str(types)]
            if "h2g:Endpoint" not in types:
                continue
            labels = [node.get("label")] + list(node.get("alt_labels") or [])
            names.update({str(label): str(node["id"]) for label in labels if label is not None})
    return names


def draft_evidence(path: Path, source_id: str) -> str:
    """The YAML draft of the text at `path`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Her2graphError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    return render_yaml(extract(text, source_id))


def render_yaml(draft: Draft) -> str:
    """The draft as an evidence file: placeholders (h2r:TODO-...) where only the curator can know."""
    prefix = re.sub(r"[^a-z0-9]+", "-", draft.source_id.lower()).strip("-")
    lines = [f"# Draft by `her2graph extract`: check every statement against its quote, replace each h2r:TODO-",
             "# placeholder, add the source to evidence/sources.tsv, then compile with `her2graph curate`.",
             f"source: {draft.source_id}", "", "statements:"]
    for number, (name, quote) in enumerate(_unique(draft.trials), start=1):
        facts = {"h2g:nctId": name} if NCT.fullmatch(name) else {"h2g:acronym": name}
        lines += _statement(f"h2r:{prefix}-trial-{number}", "h2g:Trial", f"trial {name}", [quote], facts)
    for number, (count, quote) in enumerate(_unique(draft.enrolments), start=1):
        lines += _statement(f"h2r:{prefix}-enrolment-{number}", "h2g:Trial", f"TODO: the trial of {count} patients",
                            [quote], {"h2g:enrollment": count.replace(",", "")})
    for number, (first, second, quote) in enumerate(draft.allocations, start=1):
        lines += [f"  # allocation {number}: arms '{first}' and '{second}' (make them h2g:TrialArm entities)"]
    for number, result in enumerate(draft.results, start=1):
        lines += _result(prefix, number, result)
    return "\n".join(lines) + "\n"


def _statement(iri: str, cls: str, label: str, quotes: list[str], facts: dict[str, str]) -> list[str]:
    lines = ["", f"  - id: {iri}", f"    a: {cls}", f"    label: {json.dumps(label, ensure_ascii=False)}"]
    if facts:
        lines.append("    facts:")
        lines += [f"      {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in facts.items()]
    lines.append("    quotes:")
    lines += [f"      - {json.dumps(quote, ensure_ascii=False)}" for quote in quotes]
    return lines


def _result(prefix: str, number: int, result: ProposedResult) -> list[str]:
    facts = {"h2g:ofTrial": "h2r:TODO-trial", "h2g:fromAnalysis": "h2r:TODO-analysis",
             "h2g:onEndpoint": result.endpoint or "h2r:TODO-endpoint",
             "h2g:experimentalArm": "h2r:TODO-experimental-arm", "h2g:comparatorArm": "h2r:TODO-comparator-arm"}
    lines = _statement(f"h2r:{prefix}-result-{number}", "h2g:EndpointResult", "TODO: name this result",
                       [result.quote], {})
    lines[4:4] = ["    facts:"] + [f"      {key}: {value}" for key, value in facts.items()]
    if result.medians:
        lines.append("    medians:")
        for index, (value, unit) in enumerate(result.medians):
            arm = "h2r:TODO-experimental-arm" if index == 0 else "h2r:TODO-comparator-arm"
            lines += [f"      - arm: {arm}", f"        value: {value}", f"        unit: {unit}"]
    if result.estimate:
        lines += ["    effect_estimate:", f"      estimate: {result.estimate}"]
        if result.ci:
            lines += [f"      ci_lower: {result.ci[0]}", f"      ci_upper: {result.ci[1]}"]
            if result.level:
                lines.append(f"      confidence_level: {result.level}%")
        if result.p:
            lines.append(f'      p: "{result.p[0]} {result.p[1]}"')
    return lines


def _singular(unit: str) -> str:
    return unit.lower().removesuffix("s")


def _unique(items):
    seen, kept = set(), []
    for item in items:
        if item[0] not in seen:
            seen.add(item[0])
            kept.append(item)
    return kept
