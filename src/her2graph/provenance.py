"""Reading the provenance graph: the source document and the text spans statements are derived from.

Spans follow the W3C Web Annotation model: a statement `prov:wasDerivedFrom` an `oa:SpecificResource`
whose `oa:hasSource` is the document and whose `oa:hasSelector` is an `oa:TextPositionSelector`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from .errors import DataFileError
from .namespaces import H2G, OA
from .source_text import SourceText, read_source_text


@dataclass(frozen=True)
class Span:
    """One text span a statement rests on."""

    statement: URIRef
    iri: URIRef
    start: int
    end: int


def source_document(graph: Graph) -> tuple[URIRef, str, str]:
    """The one source document: (IRI, file name, SHA-256)."""
    documents = list(graph.subjects(RDF.type, H2G.SourceDocument))
    if len(documents) != 1:
        raise DataFileError("graph/provenance", f"expected one h2g:SourceDocument, found {len(documents)}")
    document = documents[0]
    file_name, digest = graph.value(document, H2G.fileName), graph.value(document, H2G.sha256)
    if file_name is None or digest is None:
        raise DataFileError("graph/provenance", f"{document} needs h2g:fileName and h2g:sha256")
    return document, str(file_name), str(digest)


def source_of(graph: Graph, folder: Path | None = None) -> SourceText:
    """The verified source text of the graph's source document."""
    _, file_name, digest = source_document(graph)
    return read_source_text(file_name, digest, folder)


def spans(graph: Graph) -> list[Span]:
    """Every (statement, span) pair, with the span's offsets. Only spans count: prov:wasDerivedFrom may also
    name a mapping or another entity a fact comes from."""
    found = []
    for statement, span in graph.subject_objects(PROV.wasDerivedFrom):
        if (span, RDF.type, OA.SpecificResource) not in graph and (span, OA.hasSelector, None) not in graph:
            continue
        selector = graph.value(span, OA.hasSelector)
        start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
        if start is None or end is None:
            raise DataFileError("graph/provenance", f"the span {span} has no oa:start/oa:end selector")
        found.append(Span(statement, span, int(start), int(end)))
    return sorted(found, key=lambda span: (span.start, str(span.statement)))
