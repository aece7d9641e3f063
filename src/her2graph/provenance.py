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
from .source_text import SourceText, find_source_text, read_source_text


@dataclass(frozen=True)
class Span:
    """One text span a statement rests on, and the document it is a span of."""

    statement: URIRef
    iri: URIRef
    start: int
    end: int
    document: URIRef | None = None


def source_documents(graph: Graph) -> list[URIRef]:
    """Every source document of the graph, sorted."""
    return sorted(graph.subjects(RDF.type, H2G.SourceDocument))


def source_document(graph: Graph, document: URIRef | None = None) -> tuple[URIRef, str, str]:
    """A source document (`document`, or the graph's only one): (IRI, file name, SHA-256)."""
    if document is None:
        documents = source_documents(graph)
        if len(documents) != 1:
            raise DataFileError("graph/provenance", f"expected one h2g:SourceDocument, found {len(documents)}: "
                                                    "name the document")
        document = documents[0]
    file_name, digest = graph.value(document, H2G.fileName), graph.value(document, H2G.sha256)
    if file_name is None or digest is None:
        raise DataFileError("graph/provenance", f"{document} needs h2g:fileName and h2g:sha256")
    return document, str(file_name), str(digest)


def source_of(graph: Graph, folder: Path | None = None, document: URIRef | None = None) -> SourceText:
    """The verified text of a source document (`document`, or the graph's only one): from `folder`, else
    from HER2GRAPH_SOURCE or the project's shipped texts (evidence/sources/)."""
    _, file_name, digest = source_document(graph, document)
    if folder is not None:
        return read_source_text(file_name, digest, folder)
    return find_source_text(file_name, digest)


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
        found.append(Span(statement, span, int(start), int(end), graph.value(span, OA.hasSource)))
    return sorted(found, key=lambda span: (span.start, str(span.statement)))
