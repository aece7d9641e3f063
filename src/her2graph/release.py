"""The release: the asserted graphs merged into one OWL ontology with a dated version IRI.

OBO practice: the hand-edited ontology (ontology/her2graph.ttl) imports the external-terms module by IRI;
the release merges that module in (so the release has no import to resolve), adds the facts, their
provenance and the mapping triples, and names itself with a dated versionIRI. It is written as RDF/XML
(what Protégé, the OWL API and owlready2 read everywhere) and as Turtle (for diffs and people).
Inferences are not part of it: they are their own named graph (see her2graph.reasoning).
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD

from .import_module import IMPORT_MODULE_IRI
from .namespaces import GRAPH, ONTOLOGY_IRI, PREFIXES

RELEASE_BASENAME = "her2graph"
# Named graphs that make up the release: everything asserted or built from asserted tables, not inferences.
RELEASE_GRAPHS = ("ontology", "imports", "mappings", "facts", "provenance")
_DATED_VERSION = re.compile(r"/releases/(\d{4}-\d{2}-\d{2})/")


def release_version_iri(date: datetime.date) -> URIRef:
    """The dated version IRI, in the OBO form .../releases/YYYY-MM-DD/her2graph.owl."""
    return URIRef(f"{ONTOLOGY_IRI}/releases/{date.isoformat()}/{RELEASE_BASENAME}.owl")


def release_date_of(graph: Graph) -> datetime.date | None:
    """The date in a release's versionIRI, or None when it has no dated one."""
    for version in graph.objects(URIRef(ONTOLOGY_IRI), OWL.versionIRI):
        match = _DATED_VERSION.search(str(version))
        if match:
            return datetime.date.fromisoformat(match.group(1))
    return None


def release_graph(dataset: Dataset, date: datetime.date) -> Graph:
    """The merged release graph: the RELEASE_GRAPHS, the import merged in, a dated versionIRI."""
    merged = Graph()
    for prefix, namespace in PREFIXES.items():
        merged.bind(prefix, namespace)
    for part in RELEASE_GRAPHS:
        merged += dataset.graph(GRAPH[part])
    ontology = URIRef(ONTOLOGY_IRI)
    # The import module's terms are now part of the release: drop its header and the import itself.
    merged.remove((IMPORT_MODULE_IRI, None, None))
    merged.remove((ontology, OWL.imports, IMPORT_MODULE_IRI))
    merged.remove((ontology, OWL.versionIRI, None))
    merged.add((ontology, OWL.versionIRI, release_version_iri(date)))
    merged.add((ontology, DCTERMS.issued, Literal(date.isoformat(), datatype=XSD.date)))
    return merged


def release_version_in_file(path) -> URIRef | None:
    """The dated version IRI a release file names (read as text: no need to parse the whole release)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = _DATED_VERSION.search(text)
    return release_version_iri(datetime.date.fromisoformat(match.group(1))) if match else None
