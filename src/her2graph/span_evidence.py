"""The source spans a node of the graph rests on, with their text when the source is at hand.

A curated statement names its spans with `prov:wasDerivedFrom`. A node that is part of one statement (a
hazard ratio or an arm median of one result, the selector of one span) rests on that statement's spans.
A node that many statements share (a drug, an arm) rests on none of its own: listing every span that
mentions lapatinib would bury the one that matters.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import PROV, RDF
from rdflib.term import Literal, Node, URIRef

from .errors import Her2graphError
from .namespaces import H2G, OA
from .source_text import SourceText, find_source_text, normalise_space, text_folders


@dataclass(frozen=True)
class SpanEvidence:
    """One span of the source: its IRI, its offsets, and its text (None when the source is not at hand)."""

    iri: URIRef
    start: int | None
    end: int | None
    text: str | None


def supporting_spans(graph: Graph, node: Node, source: SourceText | None = None) -> tuple[SpanEvidence, ...]:
    """The spans `node` rests on: its own, or those of the one statement it is part of."""
    spans = _own_spans(graph, node)
    if not spans:
        owners = {owner for owner in graph.subjects(None, node) if _own_spans(graph, owner)}
        owners -= set(graph.subjects(RDF.type, node))  # instances of a class are not parts of it
        if len(owners) == 1:
            spans = _own_spans(graph, owners.pop())
    return tuple(_evidence(graph, span, source) for span in sorted(spans))


def _own_spans(graph: Graph, node: Node) -> set[URIRef]:
    if (node, RDF.type, OA.SpecificResource) in graph:
        return {node}
    return {span for span in graph.objects(node, PROV.wasDerivedFrom) if isinstance(span, URIRef)}


def _evidence(graph: Graph, span: URIRef, source: SourceText | None) -> SpanEvidence:
    selector = graph.value(span, OA.hasSelector)
    if selector is None:
        return SpanEvidence(span, None, None, None)
    start, end = _offset(graph.value(selector, OA.start)), _offset(graph.value(selector, OA.end))
    return SpanEvidence(span, start, end, _text(_text_of_document(graph, span, source), start, end))


def _text_of_document(graph: Graph, span: URIRef, source: SourceText | None) -> SourceText | None:
    """The text of the document the span is part of: `source` when it is that document's file, else the
    document's own file (a graph with several sources), or None when it is not at hand."""
    document = graph.value(span, OA.hasSource)
    file_name, digest = graph.value(document, H2G.fileName), graph.value(document, H2G.sha256)
    if file_name is None or digest is None:
        return source
    if source is not None and source.path.name == str(file_name):
        return source
    return _read_text(str(file_name), str(digest), tuple(text_folders()))


@lru_cache(maxsize=16)
def _read_text(file_name: str, digest: str, folders: tuple[Path, ...]) -> SourceText | None:
    """`folders` (text_folders()) is part of the cache key: HER2GRAPH_SOURCE may change between calls."""
    try:
        return find_source_text(file_name, digest)
    except Her2graphError:  # not redistributed, or another version: shown as offsets
        return None


def _offset(literal) -> int | None:
    """The offset as an int, or None when it is missing or not an integer (the shapes report that)."""
    value = literal.toPython() if isinstance(literal, Literal) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(source: SourceText | None, start: int | None, end: int | None) -> str | None:
    if source is None or start is None or end is None:
        return None
    try:
        return normalise_space(source.span(start, end))
    except Her2graphError:  # offsets outside the text: the report shows the offsets alone
        return None
