"""Built artefacts are what `her2graph build` makes from their sources today: a stale committed copy fails.

OBO practice: the import module, the mapping triples and the release are built by a command, never edited by
hand, and committed so that a fresh clone needs no build step; these tests rebuild each and compare graphs.
"""
from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic, graph_diff
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from her2graph.build import build_import_module, build_mappings, build_release, built_files
from her2graph.import_module import IMPORT_MODULE_IRI
from her2graph.locations import ontology_dir
from her2graph.namespaces import H2G, ONTOLOGY_IRI
from her2graph.release import release_date_of

FILES = built_files()


def _assert_same(built: Graph, committed_path: Path, fmt: str):
    committed = Graph().parse(committed_path, format=fmt)
    if not isomorphic(built, committed):
        _, only_built, only_committed = graph_diff(built, committed)
        raise AssertionError(f"{committed_path} is stale: run `her2graph build`. "
                             f"{len(only_built)} triples missing, {len(only_committed)} extra, e.g. "
                             f"{sorted(only_built)[:3]} / {sorted(only_committed)[:3]}")


def test_the_import_module_is_built_from_the_external_terms_list():
    _assert_same(build_import_module(), FILES.import_module, "turtle")


def test_the_mapping_graph_is_built_from_the_sssom_table():
    _assert_same(build_mappings(), FILES.mappings, "turtle")


def test_the_release_is_built_from_the_asserted_graphs_at_its_own_date():
    committed = Graph().parse(FILES.release_owl, format="xml")
    date = release_date_of(committed)
    assert date is not None, "the release has no dated versionIRI"
    built = build_release(date)
    _assert_same(built, FILES.release_owl, "xml")
    _assert_same(built, FILES.release_ttl, "turtle")


def test_the_release_is_one_ontology_with_a_dated_version_and_no_import_left():
    release = Graph().parse(FILES.release_owl, format="xml")
    assert list(release.subjects(RDF.type, OWL.Ontology)) == [URIRef(ONTOLOGY_IRI)]
    version = release.value(URIRef(ONTOLOGY_IRI), OWL.versionIRI)
    assert str(version).startswith(f"{ONTOLOGY_IRI}/releases/") and str(version).endswith("/her2graph.owl")
    assert not list(release.objects(None, OWL.imports))
    assert (None, SKOS.exactMatch, None) in release          # mappings
    assert (H2G.Drug, RDF.type, OWL.Class) in release         # ontology
    assert (URIRef("http://purl.obolibrary.org/obo/CHEBI_49603"), RDFS.label, None) in release  # import


def test_the_source_ontology_imports_the_module_and_the_catalog_resolves_it_to_a_local_file():
    ontology = Graph().parse(ontology_dir() / "her2graph.ttl")
    assert (URIRef(ONTOLOGY_IRI), OWL.imports, IMPORT_MODULE_IRI) in ontology
    catalog = ElementTree.parse(ontology_dir() / "catalog-v001.xml").getroot()
    entries = {uri.get("name"): uri.get("uri") for uri in catalog.iter("{urn:oasis:names:tc:entity:xmlns:xml:catalog}uri")}
    imported = set(ontology.objects(None, OWL.imports))
    assert imported and all(str(iri) in entries for iri in imported)
    for local in entries.values():
        assert (ontology_dir() / local).is_file(), local
    module = Graph().parse(ontology_dir() / entries[str(IMPORT_MODULE_IRI)])
    assert (IMPORT_MODULE_IRI, RDF.type, OWL.Ontology) in module


def test_every_term_of_the_ontology_has_a_label_and_a_definition():
    ontology = Graph().parse(ontology_dir() / "her2graph.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for kind in kinds:
        for term in ontology.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(str(H2G)):
                assert ontology.value(term, RDFS.label) is not None, term
                assert ontology.value(term, SKOS.definition) is not None, term


def test_every_entity_of_the_release_has_a_label_so_protege_shows_names():
    release = Graph().parse(FILES.release_owl, format="xml")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
    unlabelled = sorted({s for kind in kinds for s in release.subjects(RDF.type, kind)
                         if isinstance(s, URIRef) and release.value(s, RDFS.label) is None})
    assert not unlabelled
