"""The import module: the external terms the graph links to, with their labels (and parents where known).

OBO practice: an ontology imports only the external terms it uses, from a committed list of them, so that
Protégé and other tools show names, not codes, and open it offline. Our list is mappings/external_terms.tsv
(CURIE, label, OWL kind, parent); the module is built from it, never edited by hand, and the ontology imports
it by IRI (resolved to the local file by ontology/catalog-v001.xml).

Ontology terms (ChEBI, NCIt, GO ...) are declared owl:Class; records of databases (a UniProt entry, a
ClinicalTrials.gov study, a paper) are declared owl:NamedIndividual: neither carries any logical axiom but a
parent class, so importing them cannot change what the reasoner infers about our own terms.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from .errors import DataFileError
from .locations import mappings_dir
from .namespaces import BASE, PREFIXES
from .sssom import MappingSet

EXTERNAL_TERMS_TABLE = "external_terms.tsv"
IMPORT_MODULE_IRI = URIRef(BASE + "ontology/imports/external-terms")
OWL_KINDS = {"class": OWL.Class, "individual": OWL.NamedIndividual, "object property": OWL.ObjectProperty}


@dataclass(frozen=True)
class ExternalTerm:
    curie: str
    label: str
    owl_kind: str
    parent_curie: str
    parent_label: str
    source: str


def external_terms_path(root: Path | None = None) -> Path:
    return mappings_dir(root) / EXTERNAL_TERMS_TABLE


def read_external_terms(path: Path | None = None) -> list[ExternalTerm]:
    """The rows of mappings/external_terms.tsv."""
    path = path or external_terms_path()
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except OSError as error:
        raise DataFileError(path, f"cannot read the external terms list ({error.strerror})") from None
    terms = []
    for number, row in enumerate(rows, start=1):
        try:
            term = ExternalTerm(row["curie"], row["label"], row["owl_kind"], row["parent_curie"] or "",
                                row["parent_label"] or "", row["source"])
        except KeyError as missing:
            raise DataFileError(path, f"the column {missing} is missing") from None
        if term.owl_kind not in OWL_KINDS:
            raise DataFileError(path, f"row {number}: owl_kind must be one of {', '.join(OWL_KINDS)}")
        if not term.label:
            raise DataFileError(path, f"row {number}: {term.curie} has no label")
        terms.append(term)
    return terms


def import_module_graph(terms: list[ExternalTerm], mapping_set: MappingSet) -> Graph:
    """The import module: an ontology declaring each external term with its label, source and parent."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.add((IMPORT_MODULE_IRI, RDF.type, OWL.Ontology))
    graph.add((IMPORT_MODULE_IRI, RDFS.label, Literal("her2graph import module: external terms", lang="en")))
    graph.add((IMPORT_MODULE_IRI, RDFS.comment, Literal(
        "Built by `her2graph build` from mappings/external_terms.tsv; do not edit. The external terms the "
        "her2graph mappings and units point to, with their labels, so that tools show names offline.", lang="en")))
    graph.add((DCTERMS.source, RDF.type, OWL.AnnotationProperty))
    for term in terms:
        iri = mapping_set.expand(term.curie)
        graph.add((iri, RDF.type, OWL_KINDS[term.owl_kind]))
        graph.add((iri, RDFS.label, Literal(term.label, lang="en")))
        graph.add((iri, DCTERMS.source, Literal(term.source)))
        if term.parent_curie:
            parent = mapping_set.expand(term.parent_curie)
            graph.add((parent, RDF.type, OWL.Class))
            graph.add((parent, RDFS.label, Literal(term.parent_label, lang="en")))
            graph.add((parent, DCTERMS.source, Literal(term.source)))
            graph.add((iri, RDFS.subClassOf if term.owl_kind == "class" else RDF.type, parent))
    return graph
