"""The IRIs her2graph mints and the vocabularies it reuses, in one place."""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/her2graph/"

H2G = Namespace(BASE + "ontology/")
"""Terms of the her2graph ontology (classes and properties)."""
H2R = Namespace(BASE + "resource/")
"""Individuals: drugs, trials, results, spans ..."""
GRAPH = Namespace(BASE + "graph/")
"""Named graphs of the dataset."""
H2S = Namespace(BASE + "shapes/")
"""SHACL shapes the graph is validated against (shapes/*.ttl); not a prefix of the dataset."""
ONTOLOGY_IRI = BASE + "ontology"

OA = Namespace("http://www.w3.org/ns/oa#")
OBO = Namespace("http://purl.obolibrary.org/obo/")
SH = Namespace("http://www.w3.org/ns/shacl#")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")

PREFIXES = {
    "h2g": H2G,
    "h2r": H2R,
    "oa": OA,
    "obo": OBO,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "oboInOwl": OBOINOWL,
}
PREFIX_IRIS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
"""The prefix table as plain strings (what pyoxigraph's serialisers take)."""
SPARQL_PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIX_IRIS.items())
"""The PREFIX lines of the prefix table, to put before a SPARQL query."""

__all__ = ["BASE", "H2G", "H2R", "H2S", "GRAPH", "ONTOLOGY_IRI", "OA", "OBO", "OBOINOWL", "SH", "PREFIXES",
           "PREFIX_IRIS", "SPARQL_PROLOGUE",
           "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD"]
