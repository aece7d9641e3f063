"""Serialisations that are byte-identical for the same graph, run after run: what makes `build` reproducible.

rdflib's Turtle writers (longturtle, turtle) already sort what they write. Its RDF/XML writer does not: it
visits subjects in the store's order, collects namespace declarations from a set (so their order, and the
ns1, ns2 ... prefixes it invents, change with Python's hash seed) and labels blank nodes at random. So the
graph is first put in canonical form (blank nodes labelled by their content: rdflib.compare, an
implementation of Hogan's canonicalisation), its triples added in sorted order, and the writer's namespace
collection and its walk over subjects and their statements made to go in sorted order too. The plain writer, not "pretty-xml": that one drops statements
about list nodes (owl:AllDisjointClasses members).
"""
from __future__ import annotations

import io
from typing import Iterator

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.rdfxml import XMLSerializer

_RDF = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#")


def sorted_graph(graph: Graph) -> Graph:
    """The same graph with canonical blank node labels, its triples inserted in sorted order."""
    canonical = to_canonical_graph(graph)
    ordered = _SortedGraph()
    for prefix, namespace in sorted(graph.namespaces()):
        ordered.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(canonical):
        ordered.add(triple)
    return ordered


def rdfxml_bytes(graph: Graph) -> bytes:
    """RDF/XML, the same bytes for the same graph."""
    stream = io.BytesIO()
    _SortedXMLSerializer(sorted_graph(graph)).serialize(stream, encoding="utf-8")
    return stream.getvalue()


def turtle_bytes(graph: Graph, turtle_format: str = "longturtle") -> bytes:
    """Turtle, the same bytes for the same graph (rdflib's Turtle writers sort subjects and predicates)."""
    return sorted_graph(graph).serialize(format=turtle_format, encoding="utf-8")


class _SortedGraph(Graph):
    """A graph whose subjects and each subject's statements come out sorted (the RDF/XML writer walks them)."""

    def subjects(self, predicate=None, object=None, unique=False):  # noqa: A002 - rdflib's signature
        yield from sorted(set(super().subjects(predicate, object)))

    def predicate_objects(self, subject=None, unique=False):
        yield from sorted(set(super().predicate_objects(subject)))


class _SortedXMLSerializer(XMLSerializer):
    """rdflib's RDF/XML writer, declaring namespaces in sorted order (its own goes through a set)."""

    def _XMLSerializer__bindings(self) -> Iterator[tuple[str, URIRef]]:  # replaces XMLSerializer.__bindings
        manager = self.store.namespace_manager
        bindings = {}
        for predicate in sorted(set(self.store.predicates())):
            prefix, namespace, _ = manager.compute_qname_strict(predicate)
            bindings[prefix] = URIRef(namespace)
        bindings.setdefault("rdf", _RDF)
        yield from sorted(bindings.items())
