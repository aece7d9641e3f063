"""The smaller findings of the outside review (issue 8, defect 9) and the evidence every assertion carries:
definitions from background knowledge are marked, synonyms are scoped, labels match IRIs and no two of our
terms share one, "advanced or metastatic" is one condition with two alternatives, the crossover is what
happened after early termination, and every statement carries its source, evidence type, direction,
certainty and knowledge level."""
from __future__ import annotations

import re
from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from her2graph.namespaces import BASE, GRAPH, H2G, H2R, OBO, OBOINOWL

ENTITY_KINDS = (H2G.Drug, H2G.DrugClass, H2G.Target, H2G.ProteinRegion, H2G.Disease, H2G.BiologicalProcess,
                H2G.Endpoint, H2G.TherapyRegimen, SKOS.Concept)
# Abbreviations an IRI may use for words its label spells out.
ABBREVIATIONS = {"ci": "confidence interval", "nct": "clinicaltrials gov", "sha256": "sha 256", "pvalue": "p value"}
STRUCTURAL_WORDS = {"has", "of", "a", "is", "in", "the"}


def _ours(node):
    return isinstance(node, URIRef) and str(node).startswith(BASE)


def _words_of_iri(iri):
    local = str(iri).rsplit("/", 1)[-1]
    local = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", local)
    local = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", local)
    return [word.lower() for word in re.split(r"[-_ ]", local) if word]


def _normalised(label):
    text = label.lower().replace("'", "").replace("signalling", "signaling").replace("randomised", "randomized")
    return " " + re.sub(r"[^a-z0-9]+", " ", text) + " "


def _terms_and_entities(graph):
    terms = {s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
             for s in graph.subjects(RDF.type, kind) if _ours(s)}
    for kind in ENTITY_KINDS:
        terms |= {s for s in graph.subjects(RDF.type, kind) if _ours(s)}
    return terms


def test_every_label_says_what_its_iri_says(graph):
    mismatched = []
    for term in sorted(_terms_and_entities(graph)):
        label = _normalised(str(graph.value(term, RDFS.label)))
        for word in _words_of_iri(term):
            if word in STRUCTURAL_WORDS or word.isdigit():
                continue
            spelled = _normalised(ABBREVIATIONS.get(word, word)).strip()
            if f" {spelled}" not in label:
                mismatched.append((term.rsplit("/", 1)[-1], str(graph.value(term, RDFS.label)), word))
    assert mismatched == []


def test_no_label_is_shared_by_two_of_our_terms(graph):
    holders = defaultdict(set)
    for subject, label in graph.subject_objects(RDFS.label):
        if _ours(subject):
            holders[str(label).lower()].add(subject)
    assert {label: sorted(s) for label, s in holders.items() if len(s) > 1} == {}


def test_every_definition_says_whether_it_comes_from_the_text_or_from_background_knowledge(dataset):
    facts = dataset.graph(GRAPH.facts)
    defined = set(facts.subjects(SKOS.definition, None))
    assert defined
    assert sorted(s for s in defined if facts.value(s, H2G.definitionSource) is None) == []
    assert set(facts.objects(None, H2G.definitionSource)) == {H2R["definition-from-source-text"],
                                                              H2R["definition-from-background-knowledge"]}
    assert facts.value(H2R.her2, H2G.definitionSource) == H2R["definition-from-background-knowledge"]


def test_synonyms_that_are_not_exact_are_scoped(graph):
    scoped = {
        (H2R.p95her2, OBOINOWL.hasBroadSynonym, "truncated HER2 receptor"),
        (H2R["trastuzumab-resistant-breast-cancer"], OBOINOWL.hasRelatedSynonym, "trastuzumab resistance"),
        (H2R["cns-metastases-incidence"], OBOINOWL.hasRelatedSynonym, "CNS metastases"),
        (H2R.apoptosis, OBOINOWL.hasRelatedSynonym, "apoptosis pathway"),
        (H2R["signaling-crosstalk"], OBOINOWL.hasNarrowSynonym, "compensatory crosstalk"),
        (H2R["her3-signaling"], OBOINOWL.hasRelatedSynonym, "HER3 activation"),
    }
    for subject, prop, name in scoped:
        assert (subject, prop, Literal(name, lang="en")) in graph
        assert (subject, SKOS.altLabel, Literal(name, lang="en")) not in graph


def test_advanced_or_metastatic_is_one_condition_with_two_alternatives(graph):
    population = graph.value(H2R.nct00078572, H2G.hasPopulation)
    (condition,) = graph.objects(population, H2G.hasCondition)
    assert set(graph.objects(condition, H2G.hasAlternative)) == {
        H2R["her2-positive-advanced-breast-cancer"], H2R["her2-positive-metastatic-breast-cancer"]}
    assert "advanced or metastatic" in str(graph.value(condition, RDFS.label))


def test_the_crossover_is_what_happened_after_early_termination_not_a_design_feature(graph):
    trial = H2R.nct00078572
    assert (trial, H2G.hasDesignFeature, H2R["crossover-design"]) not in graph
    (event,) = [f for f in graph.subjects(H2G.aboutStudy, trial) if (f, H2G.findingKind, H2R["trial-conduct"]) in graph]
    definition = str(graph.value(event, SKOS.definition))
    assert definition.index("stopped early") < definition.index("crossed over")
    # TH3RESA's crossover was designed in ("optional crossover ... upon disease progression")
    assert (H2R.th3resa, H2G.hasDesignFeature, H2R["crossover-design"]) in graph


def _statements(graph):
    classes = set(graph.transitive_subjects(RDFS.subClassOf, H2G.CuratedStatement))
    return sorted({s for s, cls in graph.subject_objects(RDF.type) if cls in classes})


def test_every_statement_carries_source_evidence_type_direction_certainty_and_knowledge_level(graph):
    fields = (H2G.statedIn, H2G.evidenceType, H2G.evidenceDirection, H2G.certainty, H2G.knowledgeLevel)
    statements = _statements(graph)
    assert len(statements) > 50
    incomplete = [(str(s), str(field)) for s in statements for field in fields if graph.value(s, field) is None]
    assert incomplete == []


def test_the_evidence_type_is_a_traceable_author_statement_exactly_when_a_reference_is_cited(graph):
    for statement in _statements(graph):
        cites = (statement, H2G.citesReference, None) in graph
        assert graph.value(statement, H2G.evidenceType) == (OBO.ECO_0000304 if cites else OBO.ECO_0000303), statement


def test_hedged_and_suggested_statements_are_told_apart_from_stated_ones(graph):
    certainty = {s.rsplit("/", 1)[-1]: graph.value(s, H2G.certainty).rsplit("/", 1)[-1] for s in _statements(graph)}
    assert certainty["mechanism-compensatory-crosstalk"] == "certainty-hedged"     # "might also occur"
    assert certainty["mechanism-apoptosis-defects"] == "certainty-hedged"          # "another potential mechanism"
    assert certainty["trastuzumab-after-cns-metastases"] == "certainty-suggested"  # "it is also suggested"
    assert certainty["trastuzumab-beyond-progression"] == "certainty-suggested"    # "preliminary reports"
    assert certainty["mechanism-p95her2-expression"] == "certainty-stated"
