"""Synthetic graphs of the same shape as the curated one, for benchmarks at 10k to 1M triples.

`write_synthetic_data(folder, triples)` writes a complete data folder (ontology, shapes, queries copied
from the bundled data; synthetic facts, spans and a synthetic source text whose spans really state
each result's numbers). Per trial: the trial, its population, two arms and regimens, two analysed
endpoint results with arm medians and a hazard ratio, a qualitative finding, a resistance mechanism (at
one of three synthetic levels, with the claim behind its target), the reference they cite, and a
synthetic drug (a kinase inhibitor of a target, or an antibody-drug conjugate with its parts, each fact
with its claim); so most competency queries have work to do at every size, and `her2graph --data FOLDER serve` and `validate` work on it unchanged. The
Turtle is written as text, not built with rdflib: a million triples would take minutes otherwise.
Everything synthetic lives under h2r:synthetic/ and is labelled as synthetic; NCT identifiers start
with NCT9 to stay visibly apart from the curated trials.
"""
from __future__ import annotations

import hashlib
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Her2graphError
from .locations import data_root
from .ratio_statistics import standard_error, two_sided_p

SOURCE_FILE_NAME = "synthetic-review.txt"
TRIPLES_PER_TRIAL = 305  # facts, evidence, printed numbers and provenance of one synthetic trial, counted on the output
SCAFFOLDING_TRIPLES = 2590  # the copied ontology, imports, entities and mappings (SSSOM/RDF), about
DRUGS = ("lapatinib", "trastuzumab", "capecitabine", "trastuzumab-emtansine")
ENDPOINTS = ("progression-free-survival", "overall-survival")
ENDPOINT_WORDS = {"progression-free-survival": "PFS", "overall-survival": "OS"}
TARGETS = ("her2", "her3", "p95her2", "egfr")
PROCESSES = ("her2-signaling", "her3-signaling", "downstream-signaling", "signaling-crosstalk", "apoptosis")
LEVELS = 3
MONTH = "obo:UO_0000035"
CI_FACTOR = 1.25  # bounds estimate / 1.25 and estimate * 1.25: a log-symmetric interval, as a Wald interval is


def _evidence(cites: bool) -> str:
    """The evidence lines every curated statement carries (source, ECO type, direction, certainty, level)."""
    eco = "obo:ECO_0000304" if cites else "obo:ECO_0000303"
    return (f"    h2g:statedIn h2r:synthetic-review ;\n    h2g:evidenceType {eco} ;\n"
            "    h2g:evidenceDirection h2r:supports ;\n    h2g:certainty h2r:certainty-stated ;\n"
            "    h2g:knowledgeLevel h2r:stated-in-text ;\n")
PREFIXES = """@prefix h2g: <https://w3id.org/her2graph/ontology/> .
@prefix h2r: <https://w3id.org/her2graph/resource/> .
@prefix s: <https://w3id.org/her2graph/resource/synthetic/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
"""


@dataclass
class _SourceBuilder:
    """The synthetic source text, and the spans of it that statements cite."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    spans: list[tuple[int, int]] = field(default_factory=list)

    def add_sentence(self, sentence: str) -> str:
        start = self.length
        self.parts.append(sentence + " ")
        self.length += len(sentence) + 1
        self.spans.append((start, start + len(sentence)))
        return f"h2r:synthetic-review-span-{start}-{start + len(sentence)}"

    @property
    def text(self) -> str:
        return "".join(self.parts)


def write_synthetic_data(folder: Path, triples: int, seed: int = 7, force: bool = False) -> Path:
    """Write a data folder of about `triples` triples; returns the folder of the synthetic source text.

    A folder that exists and holds anything is refused unless `force`; even then only the files this
    function writes are replaced, and nothing else in the folder is touched.
    """
    folder = Path(folder)
    _check_output_folder(folder, force)
    _copy_curated_scaffolding(folder)
    source = _SourceBuilder()
    rng = random.Random(seed)
    trials = max(1, round((triples - SCAFFOLDING_TRIPLES) / TRIPLES_PER_TRIAL))
    with (folder / "graph" / "facts" / "synthetic.ttl").open("w", encoding="utf-8") as facts:
        facts.write(PREFIXES)
        facts.write(_levels_turtle(source))
        for number in range(1, trials + 1):
            facts.write(_trial_turtle(number, rng, source))
            facts.write(_mechanism_turtle(number, rng, source))
            facts.write(_drug_turtle(number, rng, source))
    (folder / "source").mkdir(exist_ok=True)
    text_path = folder / "source" / SOURCE_FILE_NAME
    text_path.write_text(source.text, encoding="utf-8")
    _write_provenance(folder, source, hashlib.sha256(text_path.read_bytes()).hexdigest(), references=trials)
    return folder / "source"


def _check_output_folder(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise Her2graphError(f"{folder} is not a folder: name a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise Her2graphError(f"{folder} is not empty: name a new or empty folder, or add --force to write into it "
                             "(files of the same names are replaced; nothing else is deleted)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise Her2graphError(f"cannot make {folder}: {error.strerror}") from None


def _copy_curated_scaffolding(folder: Path) -> None:
    """Ontology (with its import module), shapes, queries, the named-graphs table and the mappings from the
    bundled data; empty fact folders."""
    root = data_root()
    for part in ("ontology", "shapes", "queries"):
        if (root / part).is_dir():
            shutil.copytree(root / part, folder / part, dirs_exist_ok=True)
    for part in ("facts", "provenance"):
        # Never emptied: with --force a folder may hold a curator's own files, which are not ours to delete.
        (folder / "graph" / part).mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "graph" / "named-graphs.tsv", folder / "graph" / "named-graphs.tsv")
    shutil.copy(root / "graph" / "facts" / "entities.ttl", folder / "graph" / "facts" / "entities.ttl")
    # The built graphs of the named-graphs table: the curated mappings (mostly about the shared entities);
    # no inferences, since the reasoner is not run over synthetic data.
    built = folder / "graph" / "built"
    built.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "graph" / "built" / "mappings.ttl", built / "mappings.ttl")
    (built / "inferences.ttl").write_text("# No inferences: the reasoner is not run over synthetic data.\n")
    (built / "reconciliation.ttl").write_text("# No cross-source comparisons: the synthetic data has one source.\n")


def _trial_turtle(number: int, rng: random.Random, source: _SourceBuilder) -> str:
    trial = f"s:trial-{number}"
    nct = f"NCT9{number:07d}"
    experimental, comparator = rng.sample(DRUGS, 2)
    enrollment = rng.randint(80, 1200)
    design_span = source.add_sentence(
        f"The synthetic phase 3 trial {nct} randomized {enrollment} patients to {experimental} "
        f"or {comparator}.")
    out = [f"""
{trial} a h2g:Trial , owl:NamedIndividual ;
    rdfs:label "synthetic trial {number} ({nct})"@en ;
    h2g:nctId "{nct}" ;
    h2g:hasPhase h2r:phase-3 ;
    h2g:hasDesignFeature h2r:randomised-allocation ;
    h2g:enrollment "{enrollment}"^^xsd:positiveInteger ;
    h2g:hasPopulation {trial}-population ;
    h2g:hasArm {trial}-arm-1 , {trial}-arm-2 ;
    h2g:hasPrimaryEndpoint h2r:{ENDPOINTS[0]} ;
{_evidence(False)}    prov:wasDerivedFrom {design_span} .

{trial}-population a h2g:Population , owl:NamedIndividual ;
    rdfs:label "synthetic trial {number}: population"@en ;
    h2g:hasCondition h2r:her2-positive-metastatic-breast-cancer ;
    h2g:hadPriorTherapy h2r:trastuzumab .
"""]
    for arm, drug in ((1, experimental), (2, comparator)):
        out.append(f"""
{trial}-arm-{arm} a h2g:TrialArm , owl:NamedIndividual ;
    rdfs:label "synthetic trial {number}: {drug} arm"@en ;
    h2g:armOf {trial} ;
    h2g:receivesRegimen s:regimen-{drug} .

s:regimen-{drug} a h2g:TherapyRegimen , owl:NamedIndividual ;
    rdfs:label "synthetic {drug} regimen"@en ;
    h2g:includesDrug h2r:{drug} .
""")
    for endpoint in ENDPOINTS:
        out.append(_result_turtle(trial, number, nct, endpoint, rng, source))
    finding_span = source.add_sentence(
        f"In {nct}, a non-significant trend towards longer overall survival favoured {experimental}.")
    out.append(f"""
{trial}-finding a h2g:Finding , owl:NamedIndividual ;
    rdfs:label "synthetic trial {number}: non-significant trend in overall survival"@en ;
    h2g:findingKind h2r:trend ;
    h2g:aboutStudy {trial} ;
    h2g:aboutDrug h2r:{experimental} ;
    h2g:onEndpoint h2r:overall-survival ;
    h2g:favoursArm {trial}-arm-1 ;
    h2g:statedSignificance h2r:stated-non-significant-trend ;
    h2g:citesReference h2r:synthetic-review-ref-{number} ;
{_evidence(True)}    prov:wasDerivedFrom {finding_span} .
""")
    return "".join(out)


def _levels_turtle(source: _SourceBuilder) -> str:
    span = source.add_sentence("In this synthetic review, p95HER2 is a truncated form of HER2, and "
                               "trastuzumab is a monoclonal antibody.")
    out = [f"""
h2r:p95her2 h2g:truncatedFormOf h2r:her2 .
h2r:trastuzumab a h2g:MonoclonalAntibody .

s:claim-trastuzumab-antibody a h2g:Claim , owl:NamedIndividual ;
    rdfs:label "claim: trastuzumab is a monoclonal antibody (synthetic)"@en ;
    h2g:claimSubject h2r:trastuzumab ; h2g:claimProperty rdf:type ; h2g:claimObject h2g:MonoclonalAntibody ;
{_evidence(False)}    prov:wasDerivedFrom {span} .

s:claim-p95her2-truncated-her2 a h2g:Claim , owl:NamedIndividual ;
    rdfs:label "claim: p95HER2 is a truncated form of HER2 (synthetic)"@en ;
    h2g:claimSubject h2r:p95her2 ; h2g:claimProperty h2g:truncatedFormOf ; h2g:claimObject h2r:her2 ;
{_evidence(False)}    prov:wasDerivedFrom {span} .
"""]
    for level in range(1, LEVELS + 1):
        span = source.add_sentence(f"Synthetic resistance level {level} groups synthetic mechanisms.")
        out.append(f"""
s:level-{level} a h2g:ResistanceLevel , owl:NamedIndividual ;
    rdfs:label "synthetic resistance level {level}"@en ;
    h2g:levelNumber "{level}"^^xsd:positiveInteger ;
{_evidence(False)}    prov:wasDerivedFrom {span} .
""")
    return "".join(out)


def _drug_turtle(number: int, rng: random.Random, source: _SourceBuilder) -> str:
    drug = f"s:drug-{number}"
    if number % 2:
        target = rng.choice(TARGETS)
        span = source.add_sentence(f"Synthetic drug {number} is a tyrosine kinase inhibitor of {target}.")
        facts = (f"a h2g:TyrosineKinaseInhibitor , owl:NamedIndividual ;\n    h2g:inhibits h2r:{target}",
                 [("rdf:type", "h2g:TyrosineKinaseInhibitor"), ("h2g:inhibits", f"h2r:{target}")])
    else:
        span = source.add_sentence(f"Synthetic drug {number} is an antibody-drug conjugate of trastuzumab "
                                   "and DM1, targeting HER2.")
        facts = ("a h2g:AntibodyDrugConjugate , owl:NamedIndividual ;\n    h2g:hasAntibodyComponent h2r:trastuzumab ;\n"
                 "    h2g:hasPayload h2r:dm1 ;\n    h2g:hasTarget h2r:her2",
                 [("rdf:type", "h2g:AntibodyDrugConjugate"), ("h2g:hasAntibodyComponent", "h2r:trastuzumab"),
                  ("h2g:hasPayload", "h2r:dm1"), ("h2g:hasTarget", "h2r:her2")])
    out = [f"""
{drug} {facts[0]} ;
    rdfs:label "synthetic drug {number}"@en .
"""]
    for index, (prop, value) in enumerate(facts[1]):
        out.append(f"""
s:claim-drug-{number}-{index} a h2g:Claim , owl:NamedIndividual ;
    rdfs:label "claim {index} about synthetic drug {number}"@en ;
    h2g:claimSubject {drug} ; h2g:claimProperty {prop} ; h2g:claimObject {value} ;
{_evidence(False)}    prov:wasDerivedFrom {span} .
""")
    return "".join(out)


def _mechanism_turtle(number: int, rng: random.Random, source: _SourceBuilder) -> str:
    mechanism, level = f"s:mechanism-{number}", rng.randint(1, LEVELS)
    target, process = rng.choice(TARGETS), rng.choice(PROCESSES)
    span = source.add_sentence(f"Synthetic mechanism {number}: resistance through {target} and {process}, "
                               f"at level {level} (reference {number}).")
    return f"""
{mechanism} a h2g:ResistanceMechanism , owl:NamedIndividual ;
    rdfs:label "synthetic mechanism {number} through {target}"@en ;
    h2g:atLevel s:level-{level} ;
    h2g:involvesTarget h2r:{target} ;
    h2g:involvesProcess h2r:{process} ;
    h2g:citesReference h2r:synthetic-review-ref-{number} ;
{_evidence(True)}    prov:wasDerivedFrom {span} .

s:claim-mechanism-{number}-target a h2g:Claim , owl:NamedIndividual ;
    rdfs:label "claim: synthetic mechanism {number} involves {target}"@en ;
    h2g:claimSubject {mechanism} ; h2g:claimProperty h2g:involvesTarget ; h2g:claimObject h2r:{target} ;
{_evidence(False)}    prov:wasDerivedFrom {span} .
"""


def _result_turtle(trial: str, number: int, nct: str, endpoint: str, rng: random.Random,
                   source: _SourceBuilder) -> str:
    result = f"{trial}-{endpoint}"
    median_1, median_2 = round(rng.uniform(3, 40), 1), round(rng.uniform(3, 40), 1)
    hazard_ratio = round(rng.uniform(0.4, 1.2), 2)
    lower, upper = round(hazard_ratio / CI_FACTOR, 2), round(hazard_ratio * CI_FACTOR, 2)
    # the p-value the interval implies, so that the ratio statistics check finds the numbers consistent
    implied = two_sided_p(hazard_ratio, standard_error(lower, upper))
    p_value = 0.001 if implied < 0.001 else round(implied, 3)
    relation, sign = ("h2r:p-less-than", "<") if implied < 0.001 else ("h2r:p-equals", "=")
    span = source.add_sentence(
        f"In {nct}, the median {ENDPOINT_WORDS[endpoint]} was {median_1} vs {median_2} months "
        f"(HR {hazard_ratio}, 95% CI {lower}-{upper}, P {sign} {p_value}).")
    return f"""
{result}-analysis a h2g:Analysis , owl:NamedIndividual ;
    rdfs:label "synthetic trial {number}: analysis of {endpoint}"@en ;
    h2g:analysisOf {trial} ;
    h2g:analysisKind h2r:final-analysis ;
    h2g:analysedEndpoint h2r:{endpoint} ;
{_evidence(False)}    prov:wasDerivedFrom {span} .

{trial} h2g:hasAnalysis {result}-analysis .

{result} a h2g:EndpointResult , owl:NamedIndividual ;
    rdfs:label "synthetic trial {number}: {endpoint}"@en ;
    h2g:ofTrial {trial} ;
    h2g:fromAnalysis {result}-analysis ;
    h2g:onEndpoint h2r:{endpoint} ;
    h2g:experimentalArm {trial}-arm-1 ;
    h2g:comparatorArm {trial}-arm-2 ;
    h2g:hasArmMedian {result}-median-1 , {result}-median-2 ;
    h2g:hasEffectEstimate {result}-hr ;
{_evidence(False)}    prov:wasDerivedFrom {span} .

{result}-median-1 a h2g:ArmMedian , owl:NamedIndividual ;
    rdfs:label "synthetic trial {number}: median {endpoint}, arm 1"@en ;
    h2g:ofArm {trial}-arm-1 ;
    h2g:medianValue {median_1} ;
    h2g:printedMedianValue "{median_1}" ;
    h2g:unit {MONTH} .

{result}-median-2 a h2g:ArmMedian , owl:NamedIndividual ;
    rdfs:label "synthetic trial {number}: median {endpoint}, arm 2"@en ;
    h2g:ofArm {trial}-arm-2 ;
    h2g:medianValue {median_2} ;
    h2g:printedMedianValue "{median_2}" ;
    h2g:unit {MONTH} .

{result}-hr a h2g:HazardRatio , owl:NamedIndividual ;
    rdfs:label "synthetic trial {number}: hazard ratio for {endpoint}"@en ;
    h2g:estimate {hazard_ratio} ;
    h2g:printedEstimate "{hazard_ratio}" ;
    h2g:ciLower {lower} ;
    h2g:printedCiLower "{lower}" ;
    h2g:ciUpper {upper} ;
    h2g:printedCiUpper "{upper}" ;
    h2g:confidenceLevel 0.95 ;
    h2g:pValue {p_value} ;
    h2g:printedPValue "{p_value}" ;
    h2g:pValueRelation {relation} .
"""


def _write_provenance(folder: Path, source: _SourceBuilder, digest: str, references: int) -> None:
    with (folder / "graph" / "provenance" / "synthetic-provenance.ttl").open("w", encoding="utf-8") as out:
        out.write(PREFIXES)
        out.write(f"""
h2r:synthetic-review a h2g:SourceDocument , owl:NamedIndividual ;
    rdfs:label "synthetic review for benchmarks"@en ;
    h2g:fileName "{SOURCE_FILE_NAME}" ;
    h2g:sha256 "{digest}" .
""")
        for number in range(1, references + 1):
            out.write(f"""
h2r:synthetic-review-ref-{number} a h2g:CitedReference , owl:NamedIndividual ;
    rdfs:label "reference {number} of the synthetic review"@en ;
    h2g:referenceNumber "{number}"^^xsd:positiveInteger ;
    h2g:inDocument h2r:synthetic-review .
""")
        for start, end in source.spans:
            out.write(f"""
h2r:synthetic-review-span-{start}-{end} a h2g:SourceSpan , oa:SpecificResource , owl:NamedIndividual ;
    rdfs:label "synthetic span {start}-{end}"@en ;
    oa:hasSource h2r:synthetic-review ;
    oa:hasSelector h2r:synthetic-review-span-{start}-{end}-selector .
h2r:synthetic-review-span-{start}-{end}-selector a h2g:SpanSelector , oa:TextPositionSelector , owl:NamedIndividual ;
    rdfs:label "selector of synthetic span {start}-{end}"@en ;
    oa:start "{start}"^^xsd:nonNegativeInteger ;
    oa:end "{end}"^^xsd:nonNegativeInteger .
""")
