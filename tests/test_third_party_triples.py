"""The ontology adds no axiom to a term it does not own, so the release stays consistent (HermiT) when
ordinary triples of someone else's graph that use those terms are added: a table derived from our review,
an annotation tool's selector with its own offsets, a vocabulary that calls our trial a concept."""
from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from her2graph.build import built_files
from her2graph.consistency import check_consistency
from her2graph.namespaces import BASE, H2R

OURS = BASE
BUILT_IN = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
THEIRS = Namespace("https://example.org/third-party/")

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java, which is not installed")


@pytest.fixture(scope="module")
def release():
    return Graph().parse(built_files().release_owl, format="xml")


def foreign_terms(release, kind):
    return sorted(term for term in release.subjects(RDF.type, kind)
                  if isinstance(term, URIRef) and not str(term).startswith(OURS) and not str(term).startswith(BUILT_IN))


def test_no_axiom_of_the_ontology_is_about_a_term_it_does_not_own(release):
    logical = (RDFS.domain, RDFS.range, RDFS.subClassOf, RDFS.subPropertyOf, OWL.disjointWith, OWL.equivalentClass,
               OWL.inverseOf, OWL.propertyChainAxiom)
    foreign = set(foreign_terms(release, OWL.ObjectProperty) + foreign_terms(release, OWL.DatatypeProperty)
                  + foreign_terms(release, OWL.Class))
    # The import module restates an imported term's place in its own ontology (NCIT_C36301 under NCIT_C3995):
    # the owner's axiom, copied. An axiom that ties their term to ours is ours, and is not allowed.
    about_theirs = sorted((term, prop) for term in foreign for prop in logical for value in release.objects(term, prop)
                          if not (prop == RDFS.subClassOf and value in foreign))
    characteristics = sorted((term, kind) for term in foreign for kind in
                             (OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty,
                              OWL.SymmetricProperty) if (term, RDF.type, kind) in release)
    in_disjointness = sorted(term for members in release.objects(None, OWL.members)
                             for term in Graph.items(release, members) if term in foreign)
    assert (about_theirs, characteristics, in_disjointness) == ([], [], [])


def third_party_triples(release):
    """Ordinary triples another graph could hold, one set per foreign term the release uses."""
    graph = Graph()
    review, trial = H2R["her2-resistance-review"], H2R.nct00078572
    for prop in foreign_terms(release, OWL.ObjectProperty):
        # their table is derived from our review; our trial, in their graph, points at their things
        graph.add((THEIRS.table, prop, review))
        graph.add((trial, prop, THEIRS.thing))
        graph.add((THEIRS.selector, prop, trial))
    for prop in foreign_terms(release, OWL.DatatypeProperty):
        # their selector has two offsets (two revisions of their text), one of them a plain string
        graph.add((THEIRS.selector, prop, Literal(5)))
        graph.add((THEIRS.selector, prop, Literal(7)))
        graph.add((review, prop, Literal("chapter 2")))
    for cls in foreign_terms(release, OWL.Class):
        # our document, trial and drug are, to them, instances of their classes
        for ours in (review, trial, H2R.lapatinib):
            graph.add((ours, RDF.type, cls))
    return graph


def test_the_third_party_triples_use_every_foreign_term_of_the_release(release):
    triples = third_party_triples(release)
    used = set(triples.predicates()) | set(triples.objects(None, RDF.type))
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Class):
        assert set(foreign_terms(release, kind)) <= used
    assert len(foreign_terms(release, OWL.Class)) > 40  # PROV, Web Annotation, SKOS and the imported terms


@needs_java
def test_the_release_stays_consistent_with_third_party_triples_on_every_foreign_term(release):
    result = check_consistency(release + third_party_triples(release))
    assert result.consistent, result.explanation
