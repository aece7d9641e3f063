"""The mapping table (mappings/her2graph.sssom.tsv) and the external terms list follow the Bioregistry, point
from real entities of the graph, and cover every kind of entity the graph describes, or say why not
(mappings/unmapped.tsv)."""
from __future__ import annotations

import csv
import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from her2graph.import_module import read_external_terms
from her2graph.locations import mappings_dir
from her2graph.namespaces import GRAPH, H2G, H2R
from her2graph.sssom import CERTAIN_CONFIDENCE, MAPPING_PREDICATES, PAV, SSSOM, read_mapping_set

bioregistry = pytest.importorskip("bioregistry")

MAPPING_SET = read_mapping_set()
TERMS = read_external_terms()
LOCAL_PREFIXES = {"h2g", "h2r"}
SKOS_MATCHES = {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch", "skos:relatedMatch"}
# Bioregistry's own form of a prefix: its preferred prefix where it has one (CHEBI, NCIT ...), else canonical.
CONVERTER = bioregistry.get_converter(prefix_priority=["preferred", "default"])


def _external_curies():
    curies = {row["object_id"] for row in MAPPING_SET.rows} | {term.curie for term in TERMS}
    return sorted(curies | {term.parent_curie for term in TERMS if term.parent_curie})


def _unmapped():
    with (mappings_dir() / "unmapped.tsv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def asserted(dataset):
    graph = Graph()
    for part in ("ontology", "facts"):
        graph += dataset.graph(GRAPH[part])
    return graph


@pytest.mark.parametrize("curie", _external_curies())
def test_every_external_identifier_matches_its_registry_pattern(curie):
    prefix, _, local = curie.partition(":")
    assert bioregistry.get_resource(prefix) is not None, f"{prefix} is not a Bioregistry prefix"
    pattern = bioregistry.get_pattern(prefix)
    assert pattern and re.fullmatch(pattern, local), f"{curie} does not match {prefix}'s pattern {pattern}"


@pytest.mark.parametrize("curie", _external_curies())
def test_every_prefix_is_in_bioregistrys_own_form(curie):
    prefix = curie.partition(":")[0]
    assert CONVERTER.standardize_prefix(prefix) == prefix


def test_no_prefix_outside_the_bioregistry_and_ours():
    used = {curie.partition(":")[0] for row in MAPPING_SET.rows for curie in (row["subject_id"], row["object_id"])}
    unknown = {prefix for prefix in used - LOCAL_PREFIXES if bioregistry.get_resource(prefix) is None}
    assert not unknown
    assert {row["subject_id"].partition(":")[0] for row in MAPPING_SET.rows} <= LOCAL_PREFIXES


def test_the_curie_map_expands_external_prefixes_as_the_bioregistry_does():
    for prefix, uri_prefix in MAPPING_SET.curie_map.items():
        if bioregistry.get_resource(prefix) is not None and prefix not in {"skos", "rdfs"}:
            assert CONVERTER.prefix_map[CONVERTER.standardize_prefix(prefix)] == uri_prefix, prefix


def test_every_row_is_justified_and_uses_a_mapping_predicate():
    for row in MAPPING_SET.rows:
        assert row["predicate_id"] in MAPPING_PREDICATES
        assert row["mapping_justification"].startswith("semapv:")
        assert row["comment"].strip(), f"{row['subject_id']} -> {row['object_id']} records no evidence"


def test_every_subject_is_an_entity_of_the_ontology_or_the_facts(asserted):
    for row in MAPPING_SET.rows:
        assert (MAPPING_SET.expand(row["subject_id"]), None, None) in asserted, row["subject_id"]


def test_every_mapping_object_is_in_the_external_terms_list_with_the_same_label():
    labels = {term.curie: term.label for term in TERMS}
    for row in MAPPING_SET.rows:
        assert labels.get(row["object_id"]) == row["object_label"], row["object_id"]


def test_every_unit_the_facts_use_is_an_imported_term(dataset):
    imported = {MAPPING_SET.expand(term.curie) for term in TERMS}
    units = set(dataset.graph(GRAPH.facts).objects(None, H2G.unit))
    assert units and units <= imported


def _axioms(graph):
    """(subject, predicate, object) -> the SSSOM/RDF axiom node of that mapping."""
    return {(graph.value(a, OWL.annotatedSource), graph.value(a, OWL.annotatedProperty), graph.value(a, OWL.annotatedTarget)): a
            for a in graph.subjects(RDF.type, OWL.Axiom)}


def test_every_row_survives_into_rdf_with_its_metadata(dataset):
    graph = dataset.graph(GRAPH.mappings)
    axioms = _axioms(graph)
    assert len(axioms) == len(MAPPING_SET.rows)
    for row in MAPPING_SET.rows:
        axiom = axioms[tuple(MAPPING_SET.expand(row[c]) for c in ("subject_id", "predicate_id", "object_id"))]
        assert graph.value(axiom, SSSOM.mapping_justification) == MAPPING_SET.expand(row["mapping_justification"])
        assert float(graph.value(axiom, SSSOM.confidence)) == float(row["confidence"])
        assert str(graph.value(axiom, RDFS.comment)) == row["comment"]
        assert str(graph.value(axiom, SSSOM.object_label)) == row["object_label"]
        assert graph.value(axiom, DCTERMS.source) == URIRef(MAPPING_SET.metadata["mapping_set_id"])


def test_only_certain_mappings_are_plain_triples(dataset):
    graph = dataset.graph(GRAPH.mappings)
    for row in MAPPING_SET.rows:
        triple = tuple(MAPPING_SET.expand(row[c]) for c in ("subject_id", "predicate_id", "object_id"))
        assert (triple in graph) == (float(row["confidence"]) >= CERTAIN_CONFIDENCE), row["object_id"]
    assert (H2R.lapatinib, SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/CHEBI_49603")) in graph


def test_the_inferred_link_of_the_ref_55_study_is_not_stated_as_certain(dataset):
    graph = dataset.graph(GRAPH.mappings)
    study, nct = H2R["trastuzumab-lapatinib-phase3-study"], URIRef("https://www.clinicaltrials.gov/study/NCT00320385")
    assert not list(graph.triples((study, None, nct)))
    axiom = _axioms(graph)[(study, SKOS.exactMatch, nct)]
    assert float(graph.value(axiom, SSSOM.confidence)) < CERTAIN_CONFIDENCE
    assert "never names" in str(graph.value(axiom, RDFS.comment)) or "names no study" in str(graph.value(axiom, RDFS.comment))
    # the review's own NCT ids are certain
    assert (H2R.emilia, SKOS.exactMatch, URIRef("https://www.clinicaltrials.gov/study/NCT00829166")) in graph


def test_the_mapping_set_has_a_version_creators_licence_and_date_in_rdf(dataset):
    graph = dataset.graph(GRAPH.mappings)
    mapping_set = URIRef(MAPPING_SET.metadata["mapping_set_id"])
    assert (mapping_set, RDF.type, SSSOM.MappingSet) in graph
    for prop in (OWL.versionInfo, DCTERMS.creator, DCTERMS.license, DCTERMS.title, PAV.authoredOn):
        assert graph.value(mapping_set, prop) is not None, prop


def test_every_row_names_evidence_a_reader_outside_the_team_can_follow():
    for row in MAPPING_SET.rows:
        assert row["see_also"].startswith(("https://", "http://")), row["object_id"]
        assert not re.search(r"\d{9,}", row["comment"]), f"{row['object_id']}: an internal search id in the comment"


def test_the_statistics_properties_reuse_stato_and_obi():
    close = {(row["subject_id"], row["object_id"]) for row in MAPPING_SET.rows if row["predicate_id"] == "skos:closeMatch"}
    assert {("h2g:ciLower", "STATO:0000315"), ("h2g:ciUpper", "STATO:0000314"), ("h2g:confidenceLevel", "STATO:0000561"),
            ("h2g:pValue", "OBI:0000175")} <= close


def test_every_term_of_the_ontology_is_mapped_or_listed_as_unmapped(dataset):
    ontology = dataset.graph(GRAPH.ontology)
    mapped = {row["subject_id"] for row in MAPPING_SET.rows}
    unmapped = {row["entity"] for row in _unmapped()}
    terms = {f"h2g:{str(s)[len(str(H2G)):]}" for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in ontology.subjects(RDF.type, kind) if str(s).startswith(str(H2G))}
    assert len(terms) > 100
    assert sorted(terms - mapped - unmapped) == []


def test_tools_find_a_label_for_every_mapping_object(dataset):
    labelled = dataset.graph(GRAPH.imports)
    for obj in set(dataset.graph(GRAPH.mappings).objects(None, OWL.annotatedTarget)):
        assert labelled.value(obj, RDFS.label) is not None, obj


KINDS_LINKED_PER_INDIVIDUAL = (H2G.Drug, H2G.DrugClass, H2G.Target, H2G.ProteinRegion, H2G.Disease,
                               H2G.BiologicalProcess, H2G.Endpoint, H2G.Study)
CLASSES_LINKED = (H2G.Drug, H2G.TyrosineKinaseInhibitor, H2G.MonoclonalAntibody, H2G.AntibodyDrugConjugate,
                  H2G.MicrotubuleAgent, H2G.HazardRatio, H2G.ArmMedian, H2G.Trial, H2G.pValue, H2G.ciLower,
                  H2G.ciUpper, H2G.confidenceLevel)


def _members(graph, cls):
    subclasses = {cls} | set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {s for sub in subclasses for s in graph.subjects(RDF.type, sub) if isinstance(s, URIRef)}


def test_every_entity_of_each_kind_is_linked_or_says_why_not(asserted):
    mapped = {MAPPING_SET.expand(row["subject_id"]) for row in MAPPING_SET.rows if row["predicate_id"] in SKOS_MATCHES}
    explained = {MAPPING_SET.expand(row["entity"]) for row in _unmapped()}
    design_concepts = set(asserted.subjects(SKOS.inScheme, H2R["design-features"])) | \
        set(asserted.subjects(SKOS.inScheme, H2R["trial-phases"])) | \
        set(asserted.subjects(SKOS.inScheme, H2R["analysis-kinds"]))
    entities = set(CLASSES_LINKED) | design_concepts
    for kind in KINDS_LINKED_PER_INDIVIDUAL:
        entities |= _members(asserted, kind)
    missing = sorted(entity for entity in entities if entity not in mapped | explained)
    assert not missing, f"neither mapped nor in mappings/unmapped.tsv: {missing}"


def test_an_unmapped_entity_names_its_nearest_parent_and_is_really_unmapped(asserted):
    mapped = {row["subject_id"] for row in MAPPING_SET.rows if row["predicate_id"] in SKOS_MATCHES - {"skos:broadMatch", "skos:relatedMatch"}}
    for row in _unmapped():
        assert row["entity"] not in mapped, f"{row['entity']} is mapped; drop it from unmapped.tsv"
        assert (MAPPING_SET.expand(row["entity"]), None, None) in asserted, row["entity"]
        assert row["searched"] and row["nearest_parent"] and row["how_linked"]


def test_every_trial_with_a_registry_number_links_to_clinicaltrials_gov(asserted):
    linked = {MAPPING_SET.expand(row["subject_id"]) for row in MAPPING_SET.rows
              if row["object_id"].startswith("clinicaltrials:")}
    for trial in asserted.subjects(H2G.nctId, None):
        assert trial in linked, trial


def test_no_subject_is_exactly_matched_to_two_terms_of_one_source():
    seen = {}
    for row in MAPPING_SET.rows:
        if row["predicate_id"] == "skos:exactMatch":
            key = (row["subject_id"], row["object_id"].partition(":")[0])
            assert key not in seen, f"{row['subject_id']} exactly matches {seen.get(key)} and {row['object_id']}"
            seen[key] = row["object_id"]


def test_links_are_skos_matches_never_hand_written_same_as(dataset):
    from rdflib.namespace import OWL
    assert not list(dataset.triples((None, OWL.sameAs, None)))
